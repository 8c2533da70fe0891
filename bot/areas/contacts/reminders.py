"""What the contacts area reminds people of: a follow-up that has come due (once per due date,
after a pause ends if the owner is paused); and whether a queued reminder still stands."""

from __future__ import annotations

from bot.areas.contacts import queries, words
from bot.areas.contacts.queries import FollowUp
from bot.config import Config
from bot.ids import FollowUpId, PersonId
from bot.scheduling.job import Relevance
from bot.scheduling.reminders import Reminder
from bot.storage.db import Tx


async def _due(tx: Tx, now: int, limit: int, config: Config) -> list[FollowUp]:
    return await queries.to_remind(tx, now, limit)


async def _next(tx: Tx, now: int, config: Config) -> int | None:
    return await queries.next_reminder(tx)


async def _reminded(tx: Tx, followup: FollowUp, now: int, config: Config) -> None:
    await queries.reminded(tx, followup.id)


async def _after_pause(tx: Tx, followup: FollowUp, until: int) -> None:
    await queries.defer_reminder(tx, followup.id, until)


FOLLOWUPS = Reminder[FollowUp](
    name="follow-up reminders",
    kind="nudge.followup",
    subject="followup",
    due=_due,
    next_due=_next,
    person=lambda followup: followup.person_id,
    subject_id=lambda followup: followup.id,
    key=lambda followup: f"nudge:followup:{followup.id}:{followup.due_at}",
    words=lambda f, zone, now: words.followup_due(f.id, f.contact_name, f.due_at, zone, now),
    buttons=lambda followup: words.snooze_button(followup.id),
    settle=_reminded,
    postpone=_after_pause,
)


async def _still_reminded(tx: Tx, followup_id: int, person_id: PersonId | None) -> bool:
    return await queries.still_reminded(tx, FollowUpId(followup_id))


RELEVANCE = (Relevance("followup", _still_reminded),)
