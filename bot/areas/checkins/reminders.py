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
from bot.scheduling.shares import size
from bot.storage import outbox
from bot.storage.db import Tx

#: Check-ins asked a transaction at most (`shares.size`): a week's catch-up goes in shares,
#: commands writing in between.
SHARE = 50


async def ask_checkins(tx: Tx, now: datetime, config: Config) -> bool:
    """Ask the check-ins that came due, a share at a time; True while there may be more."""
    due, more = await rules.ask_due(tx, now, config, size(SHARE))
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
        for asked in due
    ]
    await outbox.queue(tx, messages, to_ts(now))
    return more


async def next_checkin(tx: Tx, now: datetime, config: Config) -> datetime | None:
    found = await rules.next_due(tx)
    return None if found is None else from_ts(found)


ASK_CHECKINS = Job("check-ins", ask_checkins, next_checkin)


CHECKIN_REMINDERS = Reminder[Checkin](
    "check-in reminders", "nudge.checkin", "checkin", queries.due_reminders, queries.next_reminder_due,
    subject_id=lambda c: c.id, key=lambda c: f"nudge:checkin:{c.id}", settle=queries.reminded,
    words=lambda c, now: words.reminder(c.due_at), buttons=lambda c: (),
)  # fmt: skip


async def _still_open(tx: Tx, checkin_id: int, person_id: PersonId | None) -> bool:
    return await queries.still_open(tx, checkin_id)


RELEVANCE = (Relevance("checkin", _still_open),)
