"""What the intros area reminds people of: an intro nobody answered in `nudges.intro_days` (once
per person per intro); and whether a queued ask or reminder about an intro still matters."""

from __future__ import annotations

from bot.areas.intros import queries, words
from bot.areas.intros.queries import Waiting
from bot.ids import IntroId, PersonId
from bot.scheduling.job import Relevance
from bot.scheduling.reminders import DAY, Reminder
from bot.storage.db import Tx

INTRO_REMINDERS = Reminder[Waiting](
    "intro reminders", "nudge.intro", "intro", queries.to_remind, queries.next_reminder,
    subject_id=lambda w: w.intro_id, key=lambda w: f"nudge:intro:{w.intro_id}:p{w.person_id}",
    words=lambda w, now: words.intro_waiting(w.intro_id, max((int(now.timestamp()) - w.created_at) // DAY, 1)),
    buttons=lambda w: words.reminder_buttons(w.intro_id), settle=queries.reminded,
)  # fmt: skip


async def _waiting_for(tx: Tx, intro_id: int, person_id: PersonId | None) -> bool:
    return await queries.is_waiting_for(tx, IntroId(intro_id), person_id)


RELEVANCE = (Relevance("intro", _waiting_for),)
