"""Scheduled work of the events area: occurrences that start (and the next of a series), the
reminders to everyone who said yes or maybe — a day before, at a waking hour, and an hour
before, whatever the hour — and "who did you meet?" afterwards; whether a queued message still
matters; and how each kind of message is delivered.

Each reminder's key names the occurrence and its start (`event:day:7:1773878400:p3`), and an
answer records when each reminder about it was queued, so a reminder goes once, across restarts.
An edit of the time gives the answers a new occurrence with reminders of its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.areas.events import notice_words, queries, reminder_queries, rules
from bot.areas.events.records import Answer
from bot.areas.events.when import DAY, HOUR, MET_AFTER, RECENT, day_before, day_reminder_goes, hour_reminder_goes
from bot.clock import from_ts, to_ts
from bot.config import Config
from bot.core.messages import Button
from bot.core.text import Rich
from bot.core.timing import person_quiet, person_zone
from bot.ids import TimeId
from bot.scheduling.job import DeliveryRule, Job, Relevance, View
from bot.scheduling.reminders import Reminder, Round
from bot.storage import persons
from bot.storage.db import Tx


async def _started(tx: Tx, now: datetime, config: Config) -> None:
    await rules.started(tx, to_ts(now))


async def _next_start(tx: Tx, now: datetime, config: Config) -> datetime | None:
    found = await queries.next_start(tx)
    return None if found is None else from_ts(found)


STARTS = Job("events starting", _started, _next_start)


async def _day_moments(tx: Tx, now: int, until: int, when: Round) -> list[Answer]:
    """Answers whose day-before reminder has not gone, each with its moment in its reader's own
    zone and waking hours."""
    found = await reminder_queries.before_pending(tx, "day", now, until, when.limit)
    people = await persons.get_many(tx, sorted({a.person_id for a in found}))
    return [
        dataclasses.replace(
            a, send_at=day_before(a.starts_at, person_zone(p, when.config), person_quiet(p, when.config))
        )
        for a in found
        if (p := people.get(a.person_id)) is not None
    ]


async def _day_due(tx: Tx, when: Round) -> list[Answer]:
    due = []
    for answer in await _day_moments(tx, when.now, when.now + 2 * DAY, when):
        if answer.send_at > when.now:
            continue
        if not day_reminder_goes(answer.starts_at, answer.answered_at, answer.send_at, when.now):
            # Answered since, or the hour-before one is next.
            await reminder_queries.mark_sent(tx, "day", answer, when.now)
            continue
        due.append(answer)
    return due


async def _next_day(tx: Tx, when: Round) -> int | None:
    first = await reminder_queries.first_before_pending(tx, "day", when.now)
    if first is None:
        return None
    return min((a.send_at for a in await _day_moments(tx, when.now, first + DAY, when)), default=None)


async def _hour_due(tx: Tx, when: Round) -> list[Answer]:
    due = []
    for answer in await reminder_queries.before_pending(tx, "hour", when.now, when.now + HOUR, when.limit):
        if not hour_reminder_goes(answer.starts_at, answer.answered_at):
            await reminder_queries.mark_sent(tx, "hour", answer, when.now)  # they answered within the hour: no need
            continue
        due.append(dataclasses.replace(answer, send_at=answer.starts_at - HOUR))
    return due


async def _next_hour(tx: Tx, when: Round) -> int | None:
    first = await reminder_queries.first_before_pending(tx, "hour", when.now)
    return None if first is None else first - HOUR


async def _met_due(tx: Tx, when: Round) -> list[Answer]:
    return await reminder_queries.met_due(tx, when.now - MET_AFTER, when.now - RECENT, when.limit)


async def _next_met(tx: Tx, when: Round) -> int | None:
    first = await reminder_queries.first_met_pending(tx, when.now - RECENT)
    return None if first is None else first + MET_AFTER


def _settle(which: str) -> Callable[[Tx, Answer, Round], Awaitable[None]]:
    """Record that the reminder was queued."""

    async def settle(tx: Tx, answer: Answer, when: Round) -> None:
        await reminder_queries.mark_sent(tx, which, answer, when.now)

    return settle


def _cannot_come(answer: Answer) -> tuple[Button, ...]:
    return (Button("Can't make it", f"rsvp {answer.event_id} no", "secondary"),)


DAY_BEFORE = Reminder[Answer](
    "event reminders, a day before", "event.day", "event", _day_due, _next_day, subject_id=lambda a: a.time_id,
    key=lambda a: f"event:day:{a.time_id}:{a.starts_at}:p{a.person_id}", buttons=_cannot_come,
    words=lambda a, now: notice_words.day_reminder(a), settle=_settle("day"), send_at=lambda a: a.send_at,
    despite_pause=True,
)  # fmt: skip

HOUR_BEFORE = Reminder[Answer](
    "event reminders, an hour before", "event.hour", "event", _hour_due, _next_hour, subject_id=lambda a: a.time_id,
    key=lambda a: f"event:hour:{a.time_id}:{a.starts_at}:p{a.person_id}", buttons=lambda a: (),
    words=lambda a, now: notice_words.hour_reminder(a), settle=_settle("hour"), send_at=lambda a: a.send_at,
    despite_pause=True,
)  # fmt: skip

WHO_DID_YOU_MEET = Reminder[Answer](
    "who did you meet?", "event.met", "event.met", _met_due, _next_met, subject_id=lambda a: a.time_id,
    key=lambda a: f"event:met:{a.time_id}:p{a.person_id}", words=lambda a, now: notice_words.met_question(a),
    buttons=lambda a: (), settle=_settle("met"), despite_pause=True,
)  # fmt: skip


RELEVANCE = (
    Relevance("event", reminder_queries.still_going),
    # News of an edit: only while the occurrence is to come (not cancelled, moved or started) and
    # the person still says yes or maybe; a cancellation is the news then (spec §15).
    Relevance("event.change", reminder_queries.still_going),
    Relevance("event.invite", reminder_queries.still_on),
    Relevance("event.off", reminder_queries.still_off),  # news of a cancellation, until it is put back
)


async def _as_now(tx: Tx, time_id: int, part: str) -> Rich | None:
    occurrence = await queries.find_time(tx, TimeId(time_id))
    return None if occurrence is None else notice_words.part(occurrence, part)


#: A notice that waits for its reader's waking hour shows the occurrence as it is when it goes
#: (its place and answers then: `notice_words.live_line`).
VIEWS = (View("event", _as_now),)

DELIVERY = (
    # Event reminders are not nudges: they join a bundle due at the same time, never wait a day,
    # and come to a paused person too (pause stops ask pings, nudges and check-ins: spec §1).
    DeliveryRule("event.day", once_a_day=False, despite_pause=True),
    # The hour before, and news of an occurrence about to start: the person chose to be up then.
    DeliveryRule("event.hour", wakes=True, once_a_day=False, despite_pause=True),
    DeliveryRule("event.soon", wakes=True, outlives_cause=True),
    DeliveryRule("event.met", once_a_day=False, despite_pause=True),
    # News of an occurrence, and the channels' post of a new one: the event stays when its
    # organiser uses `forget me`, and those going (or asked to) still need to hear.
    DeliveryRule("event.invite", outlives_cause=True),
    DeliveryRule("event.change", outlives_cause=True),
    DeliveryRule("announce", outlives_cause=True),
)
