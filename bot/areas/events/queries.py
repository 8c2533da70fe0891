"""The events area's SQL: events, their occurrences, the answers, and who an event is for. What
the reminders ask (the answers they are about, whether a queued message still matters) is in
`reminder_queries.py`."""

from __future__ import annotations

from collections.abc import Sequence

from bot.areas.events.records import Event, Occurrence
from bot.core.names import fold, searched
from bot.core.params import Asker, Choice
from bot.ids import EventId, PersonId, TimeId
from bot.storage.db import Tx, assignments, bound_ids, record, written
from bot.storage.persons import NOT_PAUSED, P_COLUMNS, Person, person_from

EVENT_FIELDS = ("title", "place", "length_s", "tz", "anchor", "at_minute", "anchor_seq")
GOING = "('yes', 'maybe')"

_COUNT = "(SELECT COUNT(*) FROM event_rsvps r WHERE r.time_id = t.id AND r.status = '{status}') AS {status}"
_COLUMNS = f"""t.id, t.event_id, t.seq, t.starts_at, t.ends_at, t.status, e.revision, e.title, e.place, e.every,
  e.tz, e.skill, e.region, e.posted_by, e.status AS event_status,
  {", ".join(_COUNT.format(status=status) for status in ("yes", "maybe", "no"))}"""
_FROM = "FROM event_times t JOIN events e ON e.id = t.event_id"
_TIME = f"SELECT {_COLUMNS} {_FROM}"


async def create(
    tx: Tx,
    *,
    title: str,
    place: str | None,
    length_s: int,
    every: str | None,
    tz: str,
    anchor: str,
    at_minute: int,
    skill: str | None,
    region: tuple[str, str] | None,
    posted_by: PersonId,
    now: int,
) -> EventId:
    values = {
        "title": title, "place": place, "length": length_s, "every": every, "tz": tz, "anchor": anchor,
        "minute": at_minute, "skill": skill, "region": region[0] if region else None,
        "region_key": region[1] if region else None, "by": posted_by, "now": now,
    }  # fmt: skip
    return EventId(
        await tx.insert(
            "INSERT INTO events (title, place, length_s, every, tz, anchor, at_minute, skill, region, region_key,"
            " posted_by, created_at, updated_at) VALUES (:title, :place, :length, :every, :tz, :anchor, :minute,"
            " :skill, :region, :region_key, :by, :now, :now)",
            values,
        )
    )


async def get(tx: Tx, event_id: EventId) -> Event | None:
    row = await tx.one("SELECT * FROM events WHERE id = :id", {"id": event_id})
    return record(Event, row) if row else None


async def update_fields(tx: Tx, event_id: EventId, changes: dict[str, str | int | None], now: int) -> None:
    """Change an event's own fields; every change is a new revision (its notices are keyed by it)."""
    await tx.execute(
        f"UPDATE events SET {assignments(changes, EVENT_FIELDS)}, revision = revision + 1, updated_at = :now"
        " WHERE id = :id",
        {**changes, "now": now, "id": event_id},
    )


async def set_status(tx: Tx, event_id: EventId, status: str, now: int) -> None:
    await tx.execute(
        "UPDATE events SET status = :s, updated_at = :now WHERE id = :id", {"s": status, "now": now, "id": event_id}
    )


async def new_revision(tx: Tx, event_id: EventId, now: int) -> None:
    """A change that is no field's (an occurrence put back): notices and calendar files follow it."""
    await tx.execute(
        "UPDATE events SET revision = revision + 1, updated_at = :now WHERE id = :id", {"now": now, "id": event_id}
    )


# --- occurrences ------------------------------------------------------------------------------


async def add_time(tx: Tx, event_id: EventId, seq: int, starts_at: int, ends_at: int, now: int) -> TimeId:
    return TimeId(
        await tx.insert(
            "INSERT INTO event_times (event_id, seq, starts_at, ends_at, created_at)"
            " VALUES (:e, :seq, :starts, :ends, :now)",
            {"e": event_id, "seq": seq, "starts": starts_at, "ends": ends_at, "now": now},
        )
    )


async def get_time(tx: Tx, time_id: TimeId) -> Occurrence:
    return written(await find_time(tx, time_id))


async def find_time(tx: Tx, time_id: TimeId) -> Occurrence | None:
    """The occurrence, if it is still there (one nobody went to may be dropped: `drop_time`)."""
    row = await tx.one(f"{_TIME} WHERE t.id = :id", {"id": time_id})
    return record(Occurrence, row) if row else None


async def upcoming(tx: Tx, event_id: EventId) -> Occurrence | None:
    """The event's next occurrence that has not started (or its last one, if none is to come)."""
    row = await tx.one(
        f"{_TIME} WHERE t.event_id = :e AND t.status != 'moved' ORDER BY t.status = 'on' DESC, t.seq DESC LIMIT 1",
        {"e": event_id},
    )
    return record(Occurrence, row) if row else None


async def last_seq(tx: Tx, event_id: EventId) -> int:
    return int(await tx.value("SELECT MAX(seq) FROM event_times WHERE event_id = :e", {"e": event_id}))


async def skipped(tx: Tx, event_id: EventId, after: int) -> list[int]:
    """The numbers of the event's occurrences after `after` called off ahead of their turn, in order."""
    rows = await tx.all(
        "SELECT seq FROM event_skips WHERE event_id = :e AND seq > :after ORDER BY seq", {"e": event_id, "after": after}
    )
    return [int(row[0]) for row in rows]


async def skip(tx: Tx, event_id: EventId, seq: int, now: int) -> bool:
    """Call off occurrence `seq` ahead of its turn; False when it already was."""
    added = await tx.execute(
        "INSERT INTO event_skips (event_id, seq, created_at) VALUES (:e, :seq, :now) ON CONFLICT DO NOTHING",
        {"e": event_id, "seq": seq, "now": now},
    )
    return added > 0


async def unskip(tx: Tx, event_id: EventId, seq: int) -> None:
    """Put back occurrence `seq`, called off ahead of its turn."""
    await tx.execute("DELETE FROM event_skips WHERE event_id = :e AND seq = :seq", {"e": event_id, "seq": seq})


async def cancelled_to_come(tx: Tx, event_id: EventId, now: int) -> list[Occurrence]:
    """The event's cancelled occurrences that have not started yet, soonest first."""
    rows = await tx.all(
        f"{_TIME} WHERE t.event_id = :e AND t.status = 'cancelled' AND t.starts_at > :now ORDER BY t.starts_at",
        {"e": event_id, "now": now},
    )
    return [record(Occurrence, row) for row in rows]


async def drop_time(tx: Tx, time_id: TimeId) -> None:
    """Delete an occurrence (with any answers: only one nobody is going to is dropped)."""
    await tx.execute("DELETE FROM event_times WHERE id = :id", {"id": time_id})


async def set_time_status(tx: Tx, time_id: TimeId, status: str) -> None:
    await tx.execute("UPDATE event_times SET status = :s WHERE id = :id", {"s": status, "id": time_id})


async def set_end(tx: Tx, time_id: TimeId, ends_at: int) -> None:
    await tx.execute("UPDATE event_times SET ends_at = :end WHERE id = :id", {"end": ends_at, "id": time_id})


async def move_answers(tx: Tx, old: TimeId, new: TimeId) -> None:
    """Answers follow an occurrence to its new time; its reminders are due again, for that time."""
    await tx.execute(
        "UPDATE event_rsvps SET time_id = :new, day_sent_at = NULL, hour_sent_at = NULL WHERE time_id = :old",
        {"new": new, "old": old},
    )


#: Occurrences to come, and (given `:now`) those happening then: 'past' from their start, over at their end.
_TO_COME = "t.status = 'on' AND e.status = 'on'"
_TO_COME_OR_ON_NOW = f"({_TO_COME} OR (t.status = 'past' AND t.ends_at > :now))"


async def listing(tx: Tx, limit: int, offset: int, now: int | None = None) -> tuple[list[Occurrence], int]:
    """Every event's next occurrence, soonest first, and how many there are; given `now`, with
    any occurrence happening then (first: it started before the others)."""
    where = _TO_COME if now is None else _TO_COME_OR_ON_NOW
    rows = await tx.all(
        f"{_TIME} WHERE {where} ORDER BY t.starts_at, t.id LIMIT :n OFFSET :o", {"n": limit, "o": offset, "now": now}
    )
    total = await tx.value(
        f"SELECT COUNT(*) FROM event_times t JOIN events e ON e.id = t.event_id WHERE {where}", {"now": now}
    )
    return [record(Occurrence, row) for row in rows], int(total)


async def happening(tx: Tx, event_id: EventId, now: int) -> Occurrence | None:
    """The event's occurrence that started and has not ended yet, if one has."""
    row = await tx.one(
        f"{_TIME} WHERE t.event_id = :e AND t.status = 'past' AND t.ends_at > :now ORDER BY t.seq DESC LIMIT 1",
        {"e": event_id, "now": now},
    )
    return record(Occurrence, row) if row else None


async def started(tx: Tx, now: int) -> list[Occurrence]:
    """Occurrences that have started but are still marked as to come."""
    rows = await tx.all(
        f"{_TIME} WHERE t.status = 'on' AND t.starts_at <= :now ORDER BY t.starts_at, t.id", {"now": now}
    )
    return [record(Occurrence, row) for row in rows]


async def next_start(tx: Tx) -> int | None:
    value = await tx.value("SELECT MIN(starts_at) FROM event_times WHERE status = 'on'")
    return None if value is None else int(value)


async def lacking_next(tx: Tx) -> list[Event]:
    """Repeating events still on whose next occurrence is not written yet."""
    rows = await tx.all(
        "SELECT * FROM events e WHERE e.status = 'on' AND e.every IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM event_times t WHERE t.event_id = e.id AND t.status = 'on')"
    )
    return [record(Event, row) for row in rows]


# --- answers ----------------------------------------------------------------------------------


async def answer(tx: Tx, time_id: TimeId, person_id: PersonId, status: str, now: int) -> None:
    await tx.execute(
        "INSERT INTO event_rsvps (time_id, person_id, status, answered_at) VALUES (:t, :p, :s, :now)"
        " ON CONFLICT (time_id, person_id) DO UPDATE SET status = excluded.status, answered_at = excluded.answered_at",
        {"t": time_id, "p": person_id, "s": status, "now": now},
    )


async def answer_of(tx: Tx, time_id: TimeId, person_id: PersonId) -> str | None:
    value = await tx.value(
        "SELECT status FROM event_rsvps WHERE time_id = :t AND person_id = :p", {"t": time_id, "p": person_id}
    )
    return None if value is None else str(value)


async def names(tx: Tx, time_id: TimeId) -> list[tuple[str, str]]:
    """(answer, name) for everyone who answered, by answer then name (its key: any case, the
    same order on both backends) (for leads)."""
    rows = await tx.all(
        "SELECT r.status, p.display_name FROM event_rsvps r JOIN people p ON p.id = r.person_id"
        " WHERE r.time_id = :t ORDER BY r.status DESC, p.name_key, p.id",
        {"t": time_id},
    )
    return [(row[0], row[1]) for row in rows]


async def going(tx: Tx, time_id: TimeId) -> list[PersonId]:
    """Who said yes or maybe."""
    rows = await tx.all(
        f"SELECT person_id FROM event_rsvps WHERE time_id = :t AND status IN {GOING} ORDER BY person_id",
        {"t": time_id},
    )
    return [PersonId(row[0]) for row in rows]


async def mine(tx: Tx, person_id: PersonId, limit: int, now: int) -> list[tuple[Occurrence, str]]:
    """The person's occurrences to come or happening now that they said yes or maybe to, soonest
    first, with the answer."""
    rows = await tx.all(
        f"""SELECT {_COLUMNS}, m.status AS mine {_FROM}
        JOIN event_rsvps m ON m.time_id = t.id AND m.person_id = :p AND m.status IN {GOING}
        WHERE {_TO_COME_OR_ON_NOW} ORDER BY t.starts_at, t.id LIMIT :n""",
        {"p": person_id, "n": limit, "now": now},
    )
    return [(record(Occurrence, row), row["mine"]) for row in rows]


async def answers_of(tx: Tx, person_id: PersonId, time_ids: Sequence[int]) -> dict[int, str]:
    """The person's answers for these occurrences."""
    if not time_ids:
        return {}
    marks, values = bound_ids(time_ids, "t")
    rows = await tx.all(
        f"SELECT time_id, status FROM event_rsvps WHERE person_id = :p AND time_id IN ({marks})",
        {"p": person_id, **values},
    )
    return {row[0]: row[1] for row in rows}


async def invitees(tx: Tx, skill: str | None, region_key: str | None, exclude: PersonId, now: int) -> list[Person]:
    """Signed-up members an event is for (its skill, or its region), not paused."""
    if skill is not None:
        source, where = "person_skills s JOIN people p ON p.id = s.person_id", "s.skill = :match"
    else:
        source, where = "people p", "p.region_key = :match"
    rows = await tx.all(
        f"SELECT {P_COLUMNS} FROM {source} WHERE {where} AND p.signed_up_at IS NOT NULL AND {NOT_PAUSED}"
        " AND p.id != :me ORDER BY p.id",
        {"match": skill if skill is not None else region_key, "now": now, "me": exclude},
    )
    return [person_from(row) for row in rows]


async def attended(tx: Tx, ended_after: int, now: int) -> list[tuple[PersonId, str]]:
    """(person, event title) for each yes to an occurrence that ended in the window."""
    rows = await tx.all(
        "SELECT DISTINCT r.person_id, e.title FROM event_times t JOIN events e ON e.id = t.event_id"
        " JOIN event_rsvps r ON r.time_id = t.id"
        " WHERE t.status = 'past' AND t.ends_at > :after AND t.ends_at <= :now AND r.status = 'yes'",
        {"after": ended_after, "now": now},
    )
    return [(PersonId(row[0]), row[1]) for row in rows]


async def complete_events(tx: Tx, typed: str, asker: Asker) -> list[Choice]:
    """Events to come, soonest first, whose number starts with what was typed or whose title has it,
    folded as every search is (`searched`: `ecole` finds École, `obrien` O'Brien); there are a few
    dozen at most, so the listing is filtered here."""
    wanted = fold(typed).lstrip("#")
    found, _ = await listing(tx, 200, 0)
    fits = [o for o in found if str(o.event_id).startswith(wanted) or wanted in searched(o.title)]
    return [Choice(f"{o.event_id} · {o.title}", o.event_id) for o in fits[:25]]
