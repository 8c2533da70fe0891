"""What the contacts area adds to other replies and moves: follow-ups due in `mine`, `snooze f7`,
and follow-ups kept at their local time when their owner's zone changes."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from bot.areas.contacts import rules, words
from bot.clock import to_ts
from bot.core.context import Context, Later, Listing, Snoozed, SnoozeKind
from bot.zones import localize


async def due_today(ctx: Context) -> Listing | None:
    """Follow-ups due by the end of the speaker's today, most overdue first."""
    end_of_today = localize(ctx.now.astimezone(ctx.zone).date() + timedelta(days=1), time(0), ctx.zone)
    found = await rules.followups(ctx.tx, ctx.speaker, ctx.zone, due_before=to_ts(end_of_today) - 1)
    if not found:
        return None
    lines = tuple(words.followup_line(f, ctx.now, ctx.zone) for f in found)
    return Listing(words.followups_due(), lines, words.in_touch(found[0]), rank=40)


async def _snooze_followup(ctx: Context, number: int | None, later: Later) -> Snoozed:
    assert number is not None
    moved = await rules.snooze_followup(ctx.tx, ctx.speaker, number, later, ctx.now, ctx.zone)
    return Snoozed("follow-up", f"f{moved.id}", moved.contact_name, moved.due_at)


SNOOZE_FOLLOWUP = SnoozeKind("f", "follow-up", True, _snooze_followup)


async def zone_changed(ctx: Context, was: ZoneInfo) -> None:
    """Follow-ups are for a local day and time: a new zone keeps them there (`rules.keep_local_times`)."""
    await rules.keep_local_times(ctx.tx, ctx.speaker.id, was, ctx.ts, ctx.config)
