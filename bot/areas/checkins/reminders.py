"""Scheduled work of the check-ins area: asking each check-in when it comes due (in the person's
own zone), reminding of one not answered in `nudges.checkin_answer_days`, and whether a queued
question or reminder still matters."""

from __future__ import annotations

from datetime import datetime

from bot.areas.checkins import queries, rules, words
from bot.areas.checkins.queries import Checkin
from bot.clock import from_ts, to_ts
from bot.config import Config
from bot.core.notices import to_person
from bot.ids import PersonId
from bot.scheduling.job import Job, Relevance
from bot.scheduling.reminders import Reminder
from bot.storage import outbox
from bot.storage.db import Tx


async def ask_checkins(tx: Tx, now: datetime, config: Config) -> None:
    messages = [
        to_person(
            asked.person.id,
            asked.person,
            words.question(),
            key=f"checkin:{asked.checkin_id}",
            kind="checkin",
            at=from_ts(asked.due_at),
            config=config,
            subject=f"checkin:{asked.checkin_id}",
        )
        for asked in await rules.ask_due(tx, now, config)
    ]
    await outbox.queue(tx, messages, to_ts(now))


async def next_checkin(tx: Tx, now: datetime, config: Config) -> datetime | None:
    found = await rules.next_due(tx)
    return None if found is None else from_ts(found)


ASK_CHECKINS = Job("check-ins", ask_checkins, next_checkin)


async def _due(tx: Tx, now: int, limit: int, config: Config) -> list[Checkin]:
    return await queries.due_reminders(tx, now, limit)


async def _next(tx: Tx, now: int, config: Config) -> int | None:
    return await queries.next_reminder_due(tx)


async def _reminded(tx: Tx, checkin: Checkin, now: int, config: Config) -> None:
    await queries.clear_reminder(tx, checkin.id)


CHECKIN_REMINDERS = Reminder[Checkin](
    name="check-in reminders",
    kind="nudge.checkin",
    subject="checkin",
    due=_due,
    next_due=_next,
    person=lambda checkin: checkin.person_id,
    subject_id=lambda checkin: checkin.id,
    key=lambda checkin: f"nudge:checkin:{checkin.id}",
    words=lambda checkin, zone, now: words.reminder(checkin.due_at, zone, now),
    buttons=lambda checkin: words.reminder_buttons(),
    settle=_reminded,
)


async def _still_open(tx: Tx, checkin_id: int, person_id: PersonId | None) -> bool:
    return await queries.still_open(tx, checkin_id)


RELEVANCE = (Relevance("checkin", _still_open),)
