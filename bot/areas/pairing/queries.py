"""The pairing area's SQL: who opted in, the rounds that ran, and every pair ever made (never
made twice)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from bot.ids import PersonId
from bot.storage.db import Tx
from bot.storage.persons import NOT_PAUSED


@dataclass(frozen=True)
class Candidate:
    """An opted-in member as the matcher sees them."""

    id: PersonId
    name: str
    skills: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    region_key: str | None = None
    region: str | None = None
    library: str | None = None
    visibility: str = "members"
    moments: frozenset[str] = frozenset()  # what they shared lately (an event), from other areas


async def set_opt_in(tx: Tx, person_id: PersonId, on: bool, now: int) -> bool:
    """Opt in or out; True if that changed anything."""
    if on:
        changed = await tx.execute(
            "INSERT INTO pairing_members (person_id, joined_at) VALUES (:p, :now) ON CONFLICT (person_id) DO NOTHING",
            {"p": person_id, "now": now},
        )
    else:
        changed = await tx.execute("DELETE FROM pairing_members WHERE person_id = :p", {"p": person_id})
    return changed > 0


async def candidates(tx: Tx, now: int) -> list[Candidate]:
    """Opted-in members who are not paused, with their skills and interests, by id."""
    rows = await tx.all(
        "SELECT p.id, p.display_name, p.region, p.region_key, p.library, p.visibility"
        f" FROM pairing_members m JOIN people p ON p.id = m.person_id WHERE {NOT_PAUSED} ORDER BY p.id",
        {"now": now},
    )
    skills: dict[int, set[str]] = {}
    for row in await tx.all(
        "SELECT s.person_id, s.skill FROM person_skills s JOIN pairing_members m ON m.person_id = s.person_id"
    ):
        skills.setdefault(row["person_id"], set()).add(row["skill"])
    interests: dict[int, set[str]] = {}
    for row in await tx.all(
        "SELECT i.person_id, i.interest FROM person_interests i JOIN pairing_members m ON m.person_id = i.person_id"
    ):
        interests.setdefault(row["person_id"], set()).add(row["interest"].casefold())
    return [
        Candidate(
            id=PersonId(row["id"]),
            name=row["display_name"],
            skills=frozenset(skills.get(row["id"], ())),
            interests=frozenset(interests.get(row["id"], ())),
            region_key=row["region_key"],
            region=row["region"],
            library=row["library"],
            visibility=row["visibility"],
        )
        for row in rows
    ]


async def excluded_pairs(tx: Tx) -> set[tuple[PersonId, PersonId]]:
    """Pairs of opted-in members never to be paired: they met, were paired, or have an intro on file.

    An intro on file includes a declined one: someone who said "not now" is never paired instead.
    """
    both_in = "JOIN pairing_members ma ON ma.person_id = {a} JOIN pairing_members mb ON mb.person_id = {b}"
    rows = await tx.all(
        f"SELECT t.a_id AS a, t.b_id AS b FROM ties t {both_in.format(a='t.a_id', b='t.b_id')}"
        " UNION "
        f"SELECT g.a_id, g.b_id FROM pairings g {both_in.format(a='g.a_id', b='g.b_id')}"
        " UNION "
        "SELECT CASE WHEN i.a_id < i.b_id THEN i.a_id ELSE i.b_id END,"
        " CASE WHEN i.a_id < i.b_id THEN i.b_id ELSE i.a_id END"
        f" FROM intros i {both_in.format(a='i.a_id', b='i.b_id')} WHERE i.b_id IS NOT NULL"
    )
    return {(PersonId(row[0]), PersonId(row[1])) for row in rows}


async def round_ran(tx: Tx, round_key: str) -> bool:
    return await tx.value("SELECT 1 FROM pairing_rounds WHERE round_key = :k", {"k": round_key}) is not None


async def record_round(tx: Tx, round_key: str, groups: Sequence[Sequence[PersonId]], unpaired: int, now: int) -> None:
    """The round and each pair of each group (a trio is three pairs), so none is ever repeated."""
    await tx.execute(
        "INSERT INTO pairing_rounds (round_key, ran_at, groups, unpaired) VALUES (:k, :now, :g, :u)",
        {"k": round_key, "now": now, "g": len(groups), "u": unpaired},
    )
    await tx.executemany(
        "INSERT INTO pairings (a_id, b_id, round_key, group_no) VALUES (:a, :b, :k, :g)",
        [
            {"a": min(x, y), "b": max(x, y), "k": round_key, "g": number}
            for number, group in enumerate(groups, start=1)
            for x, y in combinations(group, 2)
        ],
    )


async def groups_of_round(tx: Tx, round_key: str) -> list[tuple[PersonId, ...]]:
    """The groups a round made (pairs, and trios), in the order they were made."""
    rows = await tx.all(
        "SELECT group_no, a_id, b_id FROM pairings WHERE round_key = :k ORDER BY group_no, a_id, b_id",
        {"k": round_key},
    )
    groups: dict[int, list[PersonId]] = {}
    for row in rows:
        members = groups.setdefault(row["group_no"], [])
        for person in (PersonId(row["a_id"]), PersonId(row["b_id"])):
            if person not in members:
                members.append(person)
    return [tuple(sorted(members)) for _, members in sorted(groups.items())]
