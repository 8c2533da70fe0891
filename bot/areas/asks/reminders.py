"""What the asks area reminds people of: a claim with no update for `asks.stale_claim_days`, and
an ask due within `nudges.due_soon_hours` that is not done; when a queued message about a claim
or an ask still matters; and how an ask reads when a message about it is sent."""

from __future__ import annotations

from datetime import datetime

from bot.areas.asks import queries, reminder_queries, words
from bot.areas.asks.records import ClaimDue
from bot.core.text import Rich
from bot.ids import AskId, PersonId
from bot.scheduling.job import Queued, Relevance, View
from bot.scheduling.reminders import DAY, Reminder, Round
from bot.storage import outbox
from bot.storage.db import Tx


async def _again_in_a_while(tx: Tx, claim: ClaimDue, when: Round) -> None:
    await reminder_queries.set_next_nudge(tx, claim.id, when.now + when.config.asks.stale_claim_days * DAY)


async def _after_pause(tx: Tx, claim: ClaimDue, until: int) -> None:
    await reminder_queries.set_next_nudge(tx, claim.id, until)


def _quiet_for(claim: ClaimDue, now: datetime) -> Rich:
    return words.stale_claim(claim.ask_id, claim.title, (int(now.timestamp()) - claim.last_activity_at) // DAY)


# About `stale:<claim>`, not `claim:<claim>` (a notice that the ask changed, which matters while
# the claim is open): an update or a snooze meanwhile settles this one only.
STALE_CLAIMS = Reminder[ClaimDue](
    "stale claims", "nudge.claim", "stale", reminder_queries.stale_claims, reminder_queries.next_stale,
    subject_id=lambda c: c.id, key=lambda c: f"nudge:claim:{c.id}:{c.next_nudge_at}", words=_quiet_for,
    buttons=lambda c: words.claim_buttons(c.ask_id), settle=_again_in_a_while, postpone=_after_pause,
)  # fmt: skip


async def _due_reminded(tx: Tx, claim: ClaimDue, when: Round) -> None:
    await reminder_queries.mark_due_nudged(tx, claim.id, when.now)


# About `due:<claim>`, so a reminder of a due date that was changed before it went out is dropped.
DUE_SOON = Reminder[ClaimDue](
    "asks due soon", "nudge.due", "due", reminder_queries.due_soon, reminder_queries.next_due_soon,
    subject_id=lambda c: c.id, key=lambda c: f"nudge:due:{c.id}:{c.due_at}",
    buttons=lambda c: words.claim_buttons(c.ask_id), words=lambda c, now: words.due_soon(c), settle=_due_reminded,
)  # fmt: skip


async def _claim_open(tx: Tx, claim_id: int, person_id: PersonId | None) -> bool:
    return await reminder_queries.claim_open(tx, claim_id)


async def _still_stale(tx: Tx, queued: Queued) -> bool:
    """A "no update" reminder goes only if the claim is as stale as when it was queued: an update,
    or a snooze past its next reminder, made while it waited for the morning settles it."""
    stale = queued.config.asks.stale_claim_days * DAY
    return await reminder_queries.still_stale(tx, queued.subject_id, queued.queued_at, queued.now, stale)


async def _still_due(tx: Tx, queued: Queued) -> bool:
    return await reminder_queries.still_due_reminded(tx, queued.subject_id, queued.queued_at, queued.now)


async def withdraw(tx: Tx, ask_id: AskId, person: PersonId) -> None:
    """Drop the reminders about a person's claim on an ask still waiting to be sent (they snoozed it): a
    snooze shorter than the week to the claim's next reminder leaves the claim as it was, so no
    check at sending could tell it happened."""
    found = await queries.with_own_claim(tx, ask_id, person)
    if found is not None and found[1] is not None:
        for subject in ("stale", "due"):
            await outbox.withdraw(tx, f"{subject}:{found[1]}", "the claim was snoozed")


async def _as_now(tx: Tx, ask_id: int, part: str) -> Rich | None:
    ask = await queries.get(tx, AskId(ask_id))
    return None if ask is None else words.part(ask, part)


RELEVANCE = (
    Relevance("claim", _claim_open), Relevance("stale", since_queued=_still_stale),
    Relevance("due", since_queued=_still_due), Relevance("ask", reminder_queries.still_wanted),
    Relevance("closed", reminder_queries.still_closed),
)  # fmt: skip
VIEWS = (View("ask", _as_now),)
