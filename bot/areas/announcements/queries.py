"""The announcements area's SQL: announcements, and the members an announcement reaches."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ids import PersonId
from bot.storage.db import Tx, record, written
from bot.storage.persons import NOT_PAUSED, P_COLUMNS, Person, person_from


@dataclass(frozen=True)
class Announcement:
    id: int
    text: str
    kind: str
    target: str | None
    posted_by: PersonId | None
    poster: str | None
    send_at: int
    released_at: int | None
    reach: int | None
    created_at: int
    released_through: int | None  # the last person queued so far (it goes out in shares)


_ANNOUNCEMENT = "SELECT a.*, p.display_name AS poster FROM announcements a LEFT JOIN people p ON p.id = a.posted_by"
#: Who may hear a private announcement: signed up, not paused; `{only}` narrows it to an audience.
_AUDIENCE = f"SELECT {P_COLUMNS} FROM people p WHERE p.signed_up_at IS NOT NULL AND {NOT_PAUSED} AND p.id != :poster"
#: A share takes people in id order after the last one queued, so each is asked in that order
#: (`|| ''` keeps SQLite from an index by region or library, whose rows it would then sort, all
#: of them, for every share).
_ONLY = {
    "everyone": "",
    "skill": " AND EXISTS (SELECT 1 FROM person_skills s WHERE s.person_id = p.id AND s.skill = :target)",
    "region": " AND p.region_key || '' = :target",
    "library": " AND p.library || '' = :target",
}
#: Whether anyone is in a group, and how many: from the group's own index (a skill's people: 13 ms
#: for 27,000 at national scale, where asking each person took 90 ms).
_INDEXED = {
    "everyone": "",
    "skill": " AND p.id IN (SELECT s.person_id FROM person_skills s WHERE s.skill = :target)",
    "region": " AND p.region_key = :target",
    "library": " AND p.library = :target",
}


async def create(
    tx: Tx, *, text: str, kind: str, target: str | None, posted_by: PersonId, send_at: int, now: int
) -> Announcement:
    new_id = await tx.insert(
        "INSERT INTO announcements (text, kind, target, posted_by, send_at, created_at)"
        " VALUES (:text, :kind, :target, :by, :at, :now)",
        {"text": text, "kind": kind, "target": target, "by": posted_by, "at": send_at, "now": now},
    )
    return written(await get(tx, new_id))


async def get(tx: Tx, announcement_id: int) -> Announcement | None:
    row = await tx.one(f"{_ANNOUNCEMENT} WHERE a.id = :id", {"id": announcement_id})
    return record(Announcement, row) if row else None


async def audience(
    tx: Tx, kind: str, target: str | None, poster: PersonId | None, now: int, *, after: int, limit: int
) -> list[Person]:
    """Who an announcement reaches, in id order: those after person `after`, `limit` of them at most."""
    rows = await tx.all(
        f"{_AUDIENCE}{_ONLY[kind]} AND p.id > :after ORDER BY p.id LIMIT :limit",
        {"poster": poster or 0, "now": now, "target": target, "after": after, "limit": limit},
    )
    return [person_from(row) for row in rows]


async def count(tx: Tx, kind: str, target: str | None, poster: PersonId | None, now: int) -> int:
    """How many `audience` would find, for the reply (a count is one row, not 100,000 people)."""
    sql = f"SELECT COUNT(*) FROM ({_AUDIENCE}{_INDEXED[kind]}) a"
    return int(await tx.value(sql, {"poster": poster or 0, "now": now, "target": target}))


async def anyone(tx: Tx, kind: str, target: str | None, poster: PersonId, now: int) -> bool:
    """Whether `audience` would find someone (asked before an announcement is made: a row is cheaper
    than a whole audience of people)."""
    sql = f"SELECT EXISTS ({_AUDIENCE}{_INDEXED[kind]})"
    return bool(await tx.value(sql, {"poster": poster, "now": now, "target": target}))


async def queued(tx: Tx, announcement_id: int, through: int | None, more: int, done: bool, now: int) -> None:
    """A share was queued: `more` messages, the last to person `through`; `done`: it was the last."""
    tx.later(
        "UPDATE announcements SET reach = COALESCE(reach, 0) + :n,"
        " released_through = COALESCE(:through, released_through),"
        " released_at = CASE WHEN :done = 1 THEN :now ELSE released_at END WHERE id = :id",
        {"n": more, "through": through, "done": int(done), "now": now, "id": announcement_id},
    )


async def due(tx: Tx, now: int) -> list[Announcement]:
    rows = await tx.all(
        f"{_ANNOUNCEMENT} WHERE a.released_at IS NULL AND a.send_at <= :now ORDER BY a.id", {"now": now}
    )
    return [record(Announcement, row) for row in rows]


async def next_due(tx: Tx) -> int | None:
    value = await tx.value("SELECT MIN(send_at) FROM announcements WHERE released_at IS NULL")
    return None if value is None else int(value)


async def recent(tx: Tx, limit: int, with_scheduled: bool) -> list[Announcement]:
    where = "" if with_scheduled else " WHERE a.released_at IS NOT NULL"
    rows = await tx.all(f"{_ANNOUNCEMENT}{where} ORDER BY a.send_at DESC, a.id DESC LIMIT :n", {"n": limit})
    return [record(Announcement, row) for row in rows]


#: Everyone in a group, paused or not (a count taken at release may hold someone paused since).
_MEMBERS = f"SELECT {P_COLUMNS} FROM people p WHERE p.signed_up_at IS NOT NULL AND p.id != :poster"


async def hidden_within(
    tx: Tx, kind: str, target: str | None, poster: PersonId | None, now: int, *, paused_too: bool = False
) -> bool:
    """Whether the group holds someone whose region or library only leads may see: then how
    many it holds tells the channel where that person is, and the count goes privately.
    `paused_too`: someone paused counts (a count made before they paused)."""
    if kind not in ("region", "library"):
        return False
    sql = f"SELECT EXISTS ({_MEMBERS if paused_too else _AUDIENCE}{_INDEXED[kind]} AND p.visibility = 'leads')"
    return bool(await tx.value(sql, {"poster": poster or 0, "now": now, "target": target}))


async def poster_of(tx: Tx, announcement_id: int) -> PersonId | None:
    """Who posted an announcement: told when a private copy of it cannot reach its reader."""
    value = await tx.value("SELECT posted_by FROM announcements WHERE id = :id", {"id": announcement_id})
    return None if value is None else PersonId(value)
