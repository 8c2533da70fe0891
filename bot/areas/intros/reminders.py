"""What the intros area reminds people of: an intro nobody answered in `nudges.intro_days` (once
per person per intro); and whether a queued ask or reminder about an intro still matters."""

from __future__ import annotations

from bot.areas.intros import queries, words
from bot.areas.intros.queries import Waiting
from bot.config import Config
from bot.ids import IntroId, PersonId
from bot.scheduling.job import Relevance
from bot.scheduling.reminders import DAY, Reminder
from bot.storage.db import Tx


async def _due(tx: Tx, now: int, limit: int, config: Config) -> list[Waiting]:
    return await queries.to_remind(tx, now, limit)


async def _next(tx: Tx, now: int, config: Config) -> int | None:
    return await queries.next_reminder(tx)


async def _reminded(tx: Tx, waiting: Waiting, now: int, config: Config) -> None:
    await queries.reminded(tx, [waiting.intro_id])


INTRO_REMINDERS = Reminder[Waiting](
    name="intro reminders",
    kind="nudge.intro",
    subject="intro",
    due=_due,
    next_due=_next,
    person=lambda waiting: waiting.person_id,
    subject_id=lambda waiting: waiting.intro_id,
    key=lambda waiting: f"nudge:intro:{waiting.intro_id}:p{waiting.person_id}",
    words=lambda waiting, zone, now: words.intro_waiting(
        waiting.intro_id, max((int(now.timestamp()) - waiting.created_at) // DAY, 1)
    ),
    buttons=lambda waiting: words.reminder_buttons(waiting.intro_id),
    settle=_reminded,
)


async def _waiting_for(tx: Tx, intro_id: int, person_id: PersonId | None) -> bool:
    return await queries.is_waiting_for(tx, IntroId(intro_id), person_id)


RELEVANCE = (Relevance("intro", _waiting_for),)
