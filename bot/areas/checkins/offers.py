"""What the check-ins area offers others: the next check-in (and one waiting for an answer) in
`mine`, `snooze checkin`, and moving the schedule along when someone changes timezone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.areas.checkins import rules, words
from bot.clock import to_ts
from bot.core.context import Context, Later, Listing, Snoozed, SnoozeKind


async def in_mine(ctx: Context) -> Listing | None:
    """The next check-in, and the open one if it still waits for an answer."""
    schedule = await rules.schedule_of(ctx.tx, ctx.speaker)
    waiting = await rules.waiting(ctx.tx, ctx.speaker)
    rows = []
    if waiting is not None:
        rows.append(words.waiting(waiting.due_at))
    if schedule is not None:
        rows.append(words.next_one(schedule, *rules.held(schedule, ctx.speaker, ctx.zone, ctx.ts, ctx.config)))
    step = words.answer_it() if waiting is not None else words.move_it()
    return Listing(words.in_mine(), tuple(rows), step, rank=60) if rows else None


async def _snooze_checkin(ctx: Context, number: int | None, later: Later) -> Snoozed:
    due = await rules.snooze(ctx.tx, ctx.speaker, later, ctx.now, ctx.zone)
    return Snoozed("check-in", "", words.next_checkin(), to_ts(due))


SNOOZE_CHECKIN = SnoozeKind("checkin", "check-in", False, _snooze_checkin)


async def zone_changed(ctx: Context, was: ZoneInfo) -> None:
    """Check-ins are at a local time: a new zone moves the next one (a snoozed one keeps its
    local date and time: `rules.reschedule`)."""
    await rules.reschedule(ctx.tx, ctx.speaker.id, was, ctx.now, ctx.config)
