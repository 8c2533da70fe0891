"""What the check-ins area offers others: `snooze checkin`, and moving the schedule along when
someone changes timezone."""

from __future__ import annotations

from datetime import timedelta

from bot.areas.checkins import rules, words
from bot.clock import to_ts
from bot.core.context import Context, Snoozed, SnoozeKind


async def _snooze_checkin(ctx: Context, number: int | None, span: timedelta) -> Snoozed:
    due = await rules.snooze(ctx.tx, ctx.speaker, ctx.now + span, ctx.now, ctx.config)
    return Snoozed("check-in", "checkin", words.next_checkin(), to_ts(due))


SNOOZE_CHECKIN = SnoozeKind("checkin", "check-in", False, _snooze_checkin)


async def zone_changed(ctx: Context) -> None:
    """Check-ins are at a local time: a new zone moves the next one."""
    await rules.reschedule(ctx.tx, ctx.speaker.id, ctx.now, ctx.config)
