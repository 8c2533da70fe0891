"""The events area's SQL for its reminders and queued messages: the answers a reminder is due for
(each found by an indexed range on an occurrence's time), marking one sent, and whether a message
waiting in the outbox still matters.

Apart from `queries.py` (events, occurrences, answers) because only `reminders.py` asks these, and
together they took that module over the size we keep modules to.
"""

from __future__ import annotations

from bot.areas.events.queries import GOING
from bot.areas.events.records import Answer
from bot.ids import PersonId
from bot.storage.db import Tx, record

# --- what reminders are about ---------------------------------------------------------------

_ANSWER = """SELECT r.time_id, t.event_id, r.person_id, e.title, e.place, t.starts_at, r.answered_at, r.status
FROM event_times t JOIN events e ON e.id = t.event_id JOIN event_rsvps r ON r.time_id = t.id"""


_BEFORE = {"day": "r.day_sent_at", "hour": "r.hour_sent_at"}
_PENDING = f"t.status = 'on' AND t.starts_at > :now AND r.status IN {GOING} AND {{sent}} IS NULL"


async def before_pending(tx: Tx, which: str, now: int, until: int, limit: int) -> list[Answer]:
    """Answers of yes or maybe for occurrences starting by `until` whose reminder `which` (`day`
    or `hour` before) has not gone."""
    rows = await tx.all(
        f"{_ANSWER} WHERE {_PENDING.format(sent=_BEFORE[which])} AND t.starts_at <= :until AND e.status = 'on'"
        " ORDER BY t.starts_at, t.id, r.person_id LIMIT :n",
        {"now": now, "until": until, "n": limit},
    )
    return [record(Answer, row) for row in rows]


async def first_before_pending(tx: Tx, which: str, now: int) -> int | None:
    """When the soonest occurrence with reminder `which` still to send starts."""
    value = await tx.value(
        "SELECT MIN(t.starts_at) FROM event_times t JOIN event_rsvps r ON r.time_id = t.id"
        f" WHERE {_PENDING.format(sent=_BEFORE[which])}",
        {"now": now},
    )
    return None if value is None else int(value)


async def met_due(tx: Tx, ended_before: int, ended_after: int, limit: int) -> list[Answer]:
    """Yes answers for occurrences that ended in the window, not yet asked "who did you meet?"."""
    rows = await tx.all(
        f"""{_ANSWER} WHERE t.status = 'past' AND t.ends_at <= :before AND t.ends_at > :after
          AND r.status = 'yes' AND r.met_sent_at IS NULL ORDER BY t.ends_at, t.id, r.person_id LIMIT :n""",
        {"before": ended_before, "after": ended_after, "n": limit},
    )
    return [record(Answer, row) for row in rows]


async def first_met_pending(tx: Tx, ended_after: int) -> int | None:
    value = await tx.value(
        """SELECT MIN(t.ends_at) FROM event_times t JOIN event_rsvps r ON r.time_id = t.id
        WHERE t.status IN ('on', 'past') AND t.ends_at > :after AND r.status = 'yes' AND r.met_sent_at IS NULL""",
        {"after": ended_after},
    )
    return None if value is None else int(value)


async def mark_sent(tx: Tx, which: str, answer: Answer, now: int) -> None:
    """Record that a reminder (`day`, `hour` or `met`) about an answer was queued or passed over."""
    if which not in {"day", "hour", "met"}:
        raise ValueError(f"no reminder called {which!r}")
    tx.later(
        f"UPDATE event_rsvps SET {which}_sent_at = :now WHERE time_id = :t AND person_id = :p",
        {"now": now, "t": answer.time_id, "p": answer.person_id},
    )


# --- whether a queued message still matters -------------------------------------------------


async def still_going(tx: Tx, time_id: int, person_id: PersonId | None) -> bool:
    """Whether an occurrence is still to come and the person still means to go (a reminder matters)."""
    row = await tx.one(
        f"""SELECT 1 FROM event_times t JOIN events e ON e.id = t.event_id
        JOIN event_rsvps r ON r.time_id = t.id AND r.person_id = :p AND r.status IN {GOING}
        WHERE t.id = :t AND t.status = 'on' AND e.status = 'on'""",
        {"t": time_id, "p": person_id},
    )
    return row is not None


async def still_off(tx: Tx, time_id: int, person_id: PersonId | None) -> bool:
    """Whether an occurrence is still cancelled (news of it matters: a lead may have put it back)."""
    row = await tx.one(
        "SELECT 1 FROM event_times t JOIN events e ON e.id = t.event_id"
        " WHERE t.id = :t AND (t.status = 'cancelled' OR e.status = 'cancelled')",
        {"t": time_id},
    )
    return row is not None


async def still_on(tx: Tx, event_id: int, person_id: PersonId | None) -> bool:
    """Whether an event still has an occurrence to come (an invitation to it matters)."""
    row = await tx.one(
        "SELECT 1 FROM events e JOIN event_times t ON t.event_id = e.id AND t.status = 'on'"
        " WHERE e.id = :e AND e.status = 'on'",
        {"e": event_id},
    )
    return row is not None
