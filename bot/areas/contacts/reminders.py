"""What the contacts area reminds people of: a follow-up that has come due (once per due date,
after a pause ends if the owner is paused); and whether a queued reminder still stands."""

from __future__ import annotations

from bot.areas.contacts import followup_queries, words
from bot.areas.contacts.records import FollowUp
from bot.ids import FollowUpId, PersonId
from bot.scheduling.job import Relevance
from bot.scheduling.reminders import Reminder
from bot.storage.db import Tx

FOLLOWUPS = Reminder[FollowUp](
    "follow-up reminders", "nudge.followup", "followup", followup_queries.to_remind, followup_queries.next_reminder,
    subject_id=lambda f: f.id, key=lambda f: f"nudge:followup:{f.id}:{f.due_at}",
    words=lambda f, now: words.followup_due(f), buttons=lambda f: words.snooze_button(f.id),
    settle=followup_queries.reminded, postpone=followup_queries.defer_reminder,
)  # fmt: skip


async def _still_reminded(tx: Tx, followup_id: int, person_id: PersonId | None) -> bool:
    return await followup_queries.still_reminded(tx, FollowUpId(followup_id))


RELEVANCE = (Relevance("followup", _still_reminded),)
