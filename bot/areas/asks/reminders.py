"""What the asks area reminds people of: a claim with no update for `asks.stale_claim_days`, and
an ask due within `nudges.due_soon_hours` that is not done; and when a queued message about a
claim or an ask still matters."""

from __future__ import annotations

from bot.areas.asks import queries, words
from bot.areas.asks.queries import ClaimDue
from bot.config import Config
from bot.ids import PersonId
from bot.scheduling.job import Relevance
from bot.scheduling.reminders import DAY, Reminder
from bot.storage.db import Tx


def _period(config: Config) -> int:
    return config.asks.stale_claim_days * DAY


def _horizon(config: Config) -> int:
    return config.nudges.due_soon_hours * 3600


async def _stale(tx: Tx, now: int, limit: int, config: Config) -> list[ClaimDue]:
    return await queries.stale_claims(tx, now, limit)


async def _next_stale(tx: Tx, now: int, config: Config) -> int | None:
    return await queries.next_stale(tx)


async def _remind_again_later(tx: Tx, claim: ClaimDue, now: int, config: Config) -> None:
    await queries.set_next_nudge(tx, claim.id, now + _period(config))


async def _after_pause(tx: Tx, claim: ClaimDue, until: int) -> None:
    await queries.set_next_nudge(tx, claim.id, until)


STALE_CLAIMS = Reminder[ClaimDue](
    name="stale claims",
    kind="nudge.claim",
    subject="claim",
    due=_stale,
    next_due=_next_stale,
    person=lambda claim: claim.person_id,
    subject_id=lambda claim: claim.id,
    key=lambda claim: f"nudge:claim:{claim.id}:{claim.next_nudge_at}",
    words=lambda claim, zone, now: words.stale_claim(
        claim.ask_id, claim.title, (int(now.timestamp()) - claim.last_activity_at) // DAY
    ),
    buttons=lambda claim: words.claim_buttons(claim.ask_id),
    settle=_remind_again_later,
    postpone=_after_pause,
)


async def _due_soon(tx: Tx, now: int, limit: int, config: Config) -> list[ClaimDue]:
    return await queries.due_soon(tx, now, _horizon(config), limit)


async def _next_due_soon(tx: Tx, now: int, config: Config) -> int | None:
    return await queries.next_due_soon(tx, now, _horizon(config))


async def _due_reminded(tx: Tx, claim: ClaimDue, now: int, config: Config) -> None:
    await queries.mark_due_nudged(tx, claim.id, now)


DUE_SOON = Reminder[ClaimDue](
    name="asks due soon",
    kind="nudge.due",
    subject="claim",
    due=_due_soon,
    next_due=_next_due_soon,
    person=lambda claim: claim.person_id,
    subject_id=lambda claim: claim.id,
    key=lambda claim: f"nudge:due:{claim.id}:{claim.due_at}",
    words=lambda claim, zone, now: words.due_soon(claim.ask_id, claim.title, claim.due_at or 0, zone, now),
    buttons=lambda claim: words.claim_buttons(claim.ask_id),
    settle=_due_reminded,
)


async def _claim_open(tx: Tx, claim_id: int, person_id: PersonId | None) -> bool:
    return await queries.claim_open(tx, claim_id)


RELEVANCE = (Relevance("claim", _claim_open), Relevance("ask", queries.still_wanted))
