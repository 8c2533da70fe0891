"""The resources area's SQL: the shared library of links, and which asks each belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.names import fold, searched
from bot.ids import PersonId
from bot.storage import counters
from bot.storage.db import Tx, like_literal, record, written


@dataclass(frozen=True)
class Resource:
    id: int
    url: str
    title: str | None
    tags: str
    note: str | None
    added_by: PersonId | None
    owner: str | None
    created_at: int
    #: Who wrote the note: the one who added the link, or whoever filled the note it lacked by
    #: adding the link again. `forget me` clears the notes a person wrote, wherever they are.
    note_by: PersonId | None = None

    @property
    def tag_list(self) -> tuple[str, ...]:
        return tuple(tag for tag in self.tags.split(",") if tag)


_RESOURCE = "SELECT r.*, p.display_name AS owner FROM resources r LEFT JOIN people p ON p.id = r.added_by"


def _search(title: str | None, tags: Sequence[str], note: str | None) -> str:
    """What `resources <words>` looks in, folded (`bot/core/names.py`; `bot/storage/fills.py`
    recomputed it for the resources stored before)."""
    return searched(title, " ".join(tags), note)


async def get(tx: Tx, resource_id: int) -> Resource | None:
    row = await tx.one(f"{_RESOURCE} WHERE r.id = :id", {"id": resource_id})
    return record(Resource, row) if row else None


async def by_url(tx: Tx, url: str) -> Resource | None:
    row = await tx.one(f"{_RESOURCE} WHERE r.url = :u", {"u": url})
    return record(Resource, row) if row else None


async def add(
    tx: Tx, url: str, title: str | None, tags: Sequence[str], note: str | None, by: PersonId, now: int
) -> Resource:
    new_id = await counters.insert(
        tx,
        "INSERT INTO resources (url, title, tags, note, note_by, search, added_by, created_at, updated_at)"
        " VALUES (:url, :title, :tags, :note, :note_by, :search, :by, :now, :now)",
        {"url": url, "title": title, "tags": ",".join(tags), "note": note, "note_by": by if note else None,
         "search": _search(title, tags, note), "by": by, "now": now},
    )  # fmt: skip
    return written(await get(tx, new_id))


async def amend(
    tx: Tx, found: Resource, title: str | None, tags: Sequence[str], note: str | None, by: PersonId, now: int
) -> None:
    """Merge tags into an entry and fill a title or note it lacks (others' words are kept); a note
    filled here is `by`'s, not the entry owner's."""
    note_by = found.note_by if found.note else by if note else None
    title, note = found.title or title, found.note or note
    await tx.execute(
        "UPDATE resources SET title = :title, tags = :tags, note = :note, note_by = :note_by, search = :search,"
        " updated_at = :now WHERE id = :id",
        {"title": title, "tags": ",".join(tags), "note": note, "note_by": note_by,
         "search": _search(title, tags, note), "now": now, "id": found.id},
    )  # fmt: skip


async def ask_exists(tx: Tx, ask_id: int) -> bool:
    return await tx.value("SELECT 1 FROM asks WHERE id = :id", {"id": ask_id}) is not None


async def attach(tx: Tx, resource_id: int, ask_id: int) -> None:
    await tx.execute(
        "INSERT INTO resource_asks (resource_id, ask_id) VALUES (:r, :a) ON CONFLICT DO NOTHING",
        {"r": resource_id, "a": ask_id},
    )


async def asks_of(tx: Tx, resource_id: int) -> list[int]:
    rows = await tx.all("SELECT ask_id FROM resource_asks WHERE resource_id = :r ORDER BY ask_id", {"r": resource_id})
    return [row["ask_id"] for row in rows]


async def of_ask(tx: Tx, ask_id: int, limit: int) -> list[Resource]:
    rows = await tx.all(
        f"{_RESOURCE} WHERE r.id IN (SELECT resource_id FROM resource_asks WHERE ask_id = :a)"
        " ORDER BY r.id DESC LIMIT :n",
        {"a": ask_id, "n": limit},
    )
    return [record(Resource, row) for row in rows]


async def search(tx: Tx, terms: Sequence[str], limit: int, offset: int) -> tuple[list[Resource], int]:
    """Newest first; each word must appear in the title, tags or note."""
    clause = " AND ".join(["1 = 1", *(f"r.search LIKE :w{i} ESCAPE '\\'" for i in range(len(terms)))])
    params: dict[str, object] = {f"w{i}": f"%{like_literal(fold(term))}%" for i, term in enumerate(terms)}
    rows = await tx.all(f"{_RESOURCE} WHERE {clause} ORDER BY r.id DESC LIMIT :n OFFSET :o",
                        {**params, "n": limit, "o": offset})  # fmt: skip
    total = await tx.value(f"SELECT COUNT(*) FROM resources r WHERE {clause}", params)
    return [record(Resource, row) for row in rows], int(total)


async def drop(tx: Tx, resource_id: int) -> None:
    await tx.execute("DELETE FROM resources WHERE id = :id", {"id": resource_id})
