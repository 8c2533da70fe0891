"""What the asks area adds to other replies: claims and posted asks in `mine`, matching open asks
in a new volunteer's welcome, and `snooze c12` for a claim's reminders."""

from __future__ import annotations

from bot.areas.asks import reminders, rules, words
from bot.clock import to_ts
from bot.core.context import Context, Later, Listing, Snoozed, SnoozeKind
from bot.core.dates import MORNING, When
from bot.ids import Role
from bot.zones import later_by


async def my_claims(ctx: Context) -> Listing | None:
    claims = await rules.my_claims(ctx.tx, ctx.speaker)
    if not claims:
        return None
    lines = tuple(words.ask_line(ask) for _, ask in claims)
    return Listing(words.your_claims(), lines, words.work_on(claims[0][1].id), rank=10)


async def my_asks(ctx: Context) -> Listing | None:
    if ctx.role < Role.LEAD:
        return None
    posted = await rules.my_posted(ctx.tx, ctx.speaker)
    if not posted:
        return None
    return Listing(words.your_asks(), tuple(words.ask_line(ask) for ask in posted), rank=20)


async def open_for_you(ctx: Context) -> Listing | None:
    matches = await rules.suggestions(ctx.tx, ctx.speaker)
    if not matches:
        return None
    lines = tuple(words.ask_line(ask) for ask in matches)
    return Listing(words.open_for_you(), lines, words.take_one(matches[0].id))


async def _snooze_claim(ctx: Context, number: int | None, later: Later) -> Snoozed:
    """Hold a claim's reminders `later` from now, or until a date (that morning, without a time)."""
    assert number is not None
    until = to_ts(later.moment(MORNING) if isinstance(later, When) else later_by(ctx.now, later, ctx.zone))
    ask = await rules.snooze_claim(ctx.tx, ctx.speaker, number, until)
    await reminders.withdraw(ctx.tx, ask.id, ctx.speaker.id)  # one waiting for the morning, too
    return Snoozed(words.claim_reminders(), f"c{ask.id}", ask.title, until)


SNOOZE_CLAIM = SnoozeKind("c", "claim reminder", True, _snooze_claim)
