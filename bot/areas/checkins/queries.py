"""The check-ins area's SQL: schedules, check-ins asked, and their answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.ids import CheckinId, PersonId
from bot.scheduling.reminders import Round
from bot.storage import summaries
from bot.storage.db import Row, Tx, bound_ids, record


@dataclass(frozen=True)
class Schedule:
    person_id: PersonId
    every: str
    weekday: int | None
    at_minute: int
    anchor: str
    next_due_at: int


@dataclass(frozen=True)
class Checkin:
    id: CheckinId
    person_id: PersonId
    person_name: str | None
    due_at: int
    remind_at: int | None
    answered_at: int | None
    answer: str | None


def _schedule(row: Row) -> Schedule:
    return record(Schedule, row)


def _checkin(row: Row) -> Checkin:
    return record(Checkin, row)


async def schedule_of(tx: Tx, person_id: PersonId) -> Schedule | None:
    row = await tx.one("SELECT * FROM checkin_schedules WHERE person_id = :p", {"p": person_id})
    return _schedule(row) if row else None


async def save_schedule(tx: Tx, schedule: Schedule, now: int) -> None:
    await tx.execute(
        "INSERT INTO checkin_schedules"
        " (person_id, every, weekday, at_minute, anchor, next_due_at, created_at)"
        " VALUES (:p, :every, :weekday, :at, :anchor, :next, :now)"
        " ON CONFLICT (person_id) DO UPDATE SET every = excluded.every, weekday = excluded.weekday,"
        " at_minute = excluded.at_minute, anchor = excluded.anchor, next_due_at = excluded.next_due_at",
        {
            "p": schedule.person_id,
            "every": schedule.every,
            "weekday": schedule.weekday,
            "at": schedule.at_minute,
            "anchor": schedule.anchor,
            "next": schedule.next_due_at,
            "now": now,
        },
    )


async def delete_schedule(tx: Tx, person_id: PersonId) -> None:
    await tx.execute("DELETE FROM checkin_schedules WHERE person_id = :p", {"p": person_id})


async def set_next_due(tx: Tx, person_id: PersonId, next_due_at: int) -> None:
    tx.later("UPDATE checkin_schedules SET next_due_at = :n WHERE person_id = :p", {"n": next_due_at, "p": person_id})


async def due_schedules(tx: Tx, now: int, limit: int) -> list[Schedule]:
    rows = await tx.all(
        "SELECT * FROM checkin_schedules WHERE next_due_at <= :now ORDER BY next_due_at LIMIT :n",
        {"now": now, "n": limit},
    )
    return [_schedule(row) for row in rows]


async def next_schedule_due(tx: Tx) -> int | None:
    value = await tx.value("SELECT MIN(next_due_at) FROM checkin_schedules")
    return None if value is None else int(value)


async def last_asked(tx: Tx, person_id: PersonId) -> int | None:
    """When the person's latest check-in question was for (its `due_at`); None if never asked."""
    value = await tx.value("SELECT MAX(due_at) FROM checkins WHERE person_id = :p", {"p": person_id})
    return None if value is None else int(value)


_CHECKIN = "SELECT c.*, p.display_name AS person_name FROM checkins c LEFT JOIN people p ON p.id = c.person_id"


async def add(tx: Tx, person_id: PersonId, due_at: int, remind_at: int) -> CheckinId | None:
    """Record a check-in asked; None if this one was already asked (a repeated sweep). The caller
    counts the people it asked for the digest (`count_asked`), once for all of them.

    Older unanswered check-ins stop being reminded of: the new question supersedes them.
    """
    tx.later(
        "UPDATE checkins SET remind_at = NULL WHERE person_id = :p AND answered_at IS NULL AND due_at < :d",
        {"p": person_id, "d": due_at},
    )
    added = await tx.insert_or_ignore(
        "INSERT OR IGNORE INTO checkins (person_id, due_at, remind_at) VALUES (:p, :d, :r)",
        {"p": person_id, "d": due_at, "r": remind_at},
    )
    return None if added is None else CheckinId(added)


def count_asked(tx: Tx, person_ids: Sequence[PersonId]) -> None:
    """When these people were last asked, for the digest: once for a share of check-ins asked,
    as five statements whichever their number (once per check-in, 250 in a share of 50)."""
    summaries.checkins_changed(tx, person_ids)


async def _latest(tx: Tx, person_id: PersonId) -> Checkin | None:
    row = await tx.one(f"{_CHECKIN} WHERE c.person_id = :p ORDER BY c.id DESC LIMIT 1", {"p": person_id})
    return _checkin(row) if row else None


async def open_for(tx: Tx, person_id: PersonId) -> Checkin | None:
    """The person's latest check-in if it is still waiting for an answer."""
    checkin = await _latest(tx, person_id)
    return checkin if checkin and checkin.answered_at is None else None


async def answered_since(tx: Tx, person_id: PersonId, since: int) -> Checkin | None:
    """The person's latest check-in if it was answered at `since` or later."""
    checkin = await _latest(tx, person_id)
    return checkin if checkin and checkin.answered_at is not None and checkin.answered_at >= since else None


async def amend_answer(tx: Tx, checkin: Checkin, text: str) -> None:
    await tx.execute("UPDATE checkins SET answer = :a WHERE id = :id", {"a": text, "id": checkin.id})


async def answer(tx: Tx, checkin: Checkin, text: str, now: int) -> None:
    await tx.execute(
        "UPDATE checkins SET answer = :a, answered_at = :now, remind_at = NULL WHERE id = :id",
        {"a": text, "now": now, "id": checkin.id},
    )
    summaries.checkins_changed(tx, [checkin.person_id])  # when they were last heard from, for the digest


async def get(tx: Tx, checkin_id: CheckinId) -> Checkin | None:
    row = await tx.one(f"{_CHECKIN} WHERE c.id = :id", {"id": checkin_id})
    return _checkin(row) if row else None


async def due_reminders(tx: Tx, when: Round) -> list[Checkin]:
    rows = await tx.all(
        f"{_CHECKIN} WHERE c.answered_at IS NULL AND c.remind_at IS NOT NULL AND c.remind_at <= :now"
        " ORDER BY c.remind_at LIMIT :n",
        {"now": when.now, "n": when.limit},
    )
    return [_checkin(row) for row in rows]


async def reminded(tx: Tx, checkin: Checkin, when: Round) -> None:
    """One reminder per check-in."""
    tx.later("UPDATE checkins SET remind_at = NULL WHERE id = :id", {"id": checkin.id})


async def next_reminder_due(tx: Tx, when: Round) -> int | None:
    value = await tx.value("SELECT MIN(remind_at) FROM checkins WHERE answered_at IS NULL AND remind_at IS NOT NULL")
    return None if value is None else int(value)


async def recent(tx: Tx, since: int, person_ids: Sequence[PersonId] | None, limit: int) -> list[Checkin]:
    """Check-ins asked since `since`, newest first, optionally for some people only."""
    if person_ids is not None and not person_ids:
        return []
    params: list[object] = [since]
    where = "c.due_at >= ?"
    if person_ids is not None:
        where += f" AND c.person_id IN ({','.join('?' for _ in person_ids)})"
        params.extend(person_ids)
    rows = await tx.all(f"{_CHECKIN} WHERE {where} ORDER BY c.due_at DESC, c.id DESC LIMIT ?", [*params, limit])
    return [_checkin(row) for row in rows]


async def waiting_since(tx: Tx, since: int, now: int) -> list[Checkin]:
    """Each person's latest check-in asked since `since`, where it waits for an answer, newest
    first: the query `recent` and `rules.overview` make of every row, for a whole network."""
    rows = await tx.all(
        f"""{_CHECKIN} WHERE c.due_at >= :since AND c.due_at <= :now AND c.answered_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM checkins d WHERE d.person_id = c.person_id AND d.due_at >= :since
                        AND (d.due_at > c.due_at OR (d.due_at = c.due_at AND d.id > c.id)))
        ORDER BY c.due_at DESC, c.id DESC""",
        {"since": since, "now": now},
    )
    return [_checkin(row) for row in rows]


async def answers_since(tx: Tx, since: int) -> list[tuple[CheckinId, str | None, int]]:
    """Every answer to a check-in asked since `since` (id, answer, when), newest first: only
    what ordering them takes, so 15,000 of them are read without their people."""
    rows = await tx.all(
        "SELECT id, answer, answered_at FROM checkins WHERE due_at >= :since AND answered_at IS NOT NULL"
        " ORDER BY due_at DESC, id DESC",
        {"since": since},
    )
    return [(CheckinId(row[0]), row[1], int(row[2])) for row in rows]


async def by_ids(tx: Tx, ids: Sequence[CheckinId]) -> list[Checkin]:
    """These check-ins, in the order given."""
    found: dict[int, Checkin] = {}
    for start in range(0, len(ids), 500):
        marks, params = bound_ids(ids[start : start + 500], "c")  # (a statement text per size, not per list)
        found |= {row["id"]: _checkin(row) for row in await tx.all(f"{_CHECKIN} WHERE c.id IN ({marks})", params)}
    return [found[i] for i in ids if i in found]


async def still_open(tx: Tx, checkin_id: int) -> bool:
    """Whether a check-in is still waiting for its answer, is the person's latest, and they
    still have check-ins (so a question or reminder about it still matters)."""
    row = await tx.one(
        "SELECT 1 FROM checkins c JOIN checkin_schedules s ON s.person_id = c.person_id"
        " WHERE c.id = :id AND c.answered_at IS NULL"
        " AND c.id = (SELECT MAX(id) FROM checkins WHERE person_id = c.person_id)",
        {"id": checkin_id},
    )
    return row is not None
