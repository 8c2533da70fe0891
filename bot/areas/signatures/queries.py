"""The signatures area's SQL: signatories and their import, who joined, invite codes, `iam`
attempts, and the welcome mark on a person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.areas.signatures.records import Place, Signatory
from bot.core.names import fold
from bot.ids import PersonId
from bot.storage.db import Tx, like_literal, record

#: The columns an import writes that follow from the others: what `signatures <words>` searches,
#: and the name's key (`bot/core/names.py`) the list is sorted by.
DERIVED = ("search", "name_key")
#: The columns an import writes, in this order.
IMPORTED = ("name", "email", "workplace", "library", "region", "region_key", "job", "skills", "notes", *DERIVED)
#: What `search` is made of: what the list shows of each signatory, so any word seen there finds
#: them (`signatures school`). Migration 30 (`bot/storage/fills.py`) makes it of the same columns.
SEARCHED = ("name", "email", "workplace", "region", "library")


async def by_key(tx: Tx) -> dict[str, Signatory]:
    """Every signatory by its key: an import compares a whole file against them at once."""
    return {row["key"]: record(Signatory, row) for row in await tx.all("SELECT * FROM signatories")}


async def forgotten(tx: Tx) -> set[str]:
    return {row["key_hash"] for row in await tx.all("SELECT key_hash FROM signatories_forgotten")}


async def insert(tx: Tx, rows: Sequence[dict[str, Any]], now: int) -> None:
    columns = ("key", *IMPORTED)
    await tx.executemany(
        f"INSERT INTO signatories ({', '.join(columns)}, created_at, updated_at)"
        f" VALUES ({', '.join(':' + c for c in columns)}, :now, :now)",
        [row | {"now": now} for row in rows],
    )


async def update(tx: Tx, rows: Sequence[dict[str, Any]], now: int) -> None:
    """Rewrite the given columns (and the key) of each row, by id; all rows of one import give the
    same columns."""
    if not rows:
        return
    columns = [column for column in rows[0] if column != "id"]
    assignments = ", ".join(f"{column} = :{column}" for column in columns)
    await tx.executemany(
        f"UPDATE signatories SET {assignments}, updated_at = :now WHERE id = :id", [row | {"now": now} for row in rows]
    )


async def listing(
    tx: Tx, terms: Sequence[str], joined: bool | None, limit: int, offset: int
) -> tuple[list[Signatory], int]:
    where = ["1 = 1"]
    params: dict[str, object] = {"limit": limit, "offset": offset}
    for index, term in enumerate(terms):
        where.append(f"search LIKE :t{index} ESCAPE '\\'")
        params[f"t{index}"] = f"%{like_literal(fold(term))}%"
    if joined is not None:
        where.append("person_id IS NOT NULL" if joined else "person_id IS NULL")
    clause = " AND ".join(where)
    rows = await tx.all(
        f"SELECT * FROM signatories WHERE {clause} ORDER BY name_key, id LIMIT :limit OFFSET :offset", params
    )
    total = await tx.value(f"SELECT COUNT(*) FROM signatories WHERE {clause}", params)
    return [record(Signatory, row) for row in rows], int(total)


async def places(tx: Tx) -> list[Place]:
    rows = await tx.all(
        "SELECT MAX(region) AS region, library, COUNT(*) AS signed, COUNT(person_id) AS joined"
        " FROM signatories GROUP BY region_key, library"
    )
    return [record(Place, row) for row in rows]


async def tally(tx: Tx, since: int) -> tuple[int, int, int]:
    """Signed, joined, and joined since `since`."""
    row = await tx.one(
        "SELECT COUNT(*) AS signed, COUNT(person_id) AS joined,"
        " COALESCE(SUM(CASE WHEN joined_at >= :s THEN 1 ELSE 0 END), 0) AS lately FROM signatories",
        {"s": since},
    )
    return (row["signed"], row["joined"], row["lately"]) if row else (0, 0, 0)


async def to_invite(tx: Tx, limit: int, again: bool = False) -> tuple[list[Signatory], int]:
    """Waiting signatories never given a code (with `again`: given one, earliest first), oldest
    first, and how many there are in all."""
    which = f"FROM signatories WHERE person_id IS NULL AND invited_at IS {'NOT NULL' if again else 'NULL'}"
    order = "invited_at, id" if again else "id"
    rows = await tx.all(f"SELECT * {which} ORDER BY {order} LIMIT :n", {"n": limit})
    total = await tx.value(f"SELECT COUNT(*) {which}")
    return [record(Signatory, row) for row in rows], int(total)


async def set_codes(tx: Tx, codes: Sequence[tuple[int, str]], now: int) -> None:
    await tx.executemany(
        "UPDATE signatories SET code_hash = ?, invited_at = ? WHERE id = ?", [(h, now, i) for i, h in codes]
    )


async def find(tx: Tx, *, email: str | None = None, code_hash: str | None = None) -> Signatory | None:
    """The signatory with this email (lower-cased) or this code's hash."""
    if email is not None:
        row = await tx.one("SELECT * FROM signatories WHERE key = :k", {"k": email})
    else:
        row = await tx.one("SELECT * FROM signatories WHERE code_hash = :h", {"h": code_hash})
    return record(Signatory, row) if row else None


async def of_person(tx: Tx, person_id: PersonId) -> Signatory | None:
    row = await tx.one("SELECT * FROM signatories WHERE person_id = :p", {"p": person_id})
    return record(Signatory, row) if row else None


async def link(tx: Tx, signatory_id: int, person_id: PersonId, now: int) -> None:
    """Link a signature to its member; its invite code stops working."""
    await tx.execute(
        "UPDATE signatories SET person_id = :p, joined_at = :now, code_hash = NULL WHERE id = :id",
        {"p": person_id, "now": now, "id": signatory_id},
    )


async def record_failure(tx: Tx, person_id: PersonId, now: int) -> None:
    await tx.execute("INSERT INTO iam_attempts (person_id, at) VALUES (:p, :at)", {"p": person_id, "at": now})


async def failures(tx: Tx, person_id: PersonId, since: int) -> tuple[int, int]:
    """Wrong `iam` tries since `since`: by this person, and by everyone."""
    row = await tx.one(
        "SELECT COALESCE(SUM(CASE WHEN person_id = :p THEN 1 ELSE 0 END), 0) AS mine, COUNT(*) AS everyone"
        " FROM iam_attempts WHERE at >= :s",
        {"p": person_id, "s": since},
    )
    return (row["mine"], row["everyone"]) if row else (0, 0)


async def mark_welcomed(tx: Tx, person_id: PersonId, now: int) -> bool:
    """Mark someone welcomed; False when they already were (a welcome goes once per person, ever)."""
    changed = await tx.execute(
        "UPDATE people SET welcomed_at = :now WHERE id = :p AND welcomed_at IS NULL", {"now": now, "p": person_id}
    )
    return changed > 0


async def signed_up(tx: Tx, person_id: PersonId) -> bool:
    """Whether someone has signed up (a queued welcome no longer matters to them)."""
    value = await tx.value("SELECT signed_up_at FROM people WHERE id = :p", {"p": person_id})
    return value is not None
