"""Handlers for check-ins (spec §5)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.args import Args
from bot.core.commands import Arg, Command, Kind, Section
from bot.core.context import Context
from bot.core.errors import Conflict, UsageError
from bot.core.messages import Reply, Role
from bot.core.text import Rich, fmt, lines
from bot.features import checkins, people
from bot.features.checkins import ANSWER_MAX, WEEKDAYS
from bot.handlers.render import date_text, day_text, someone
from bot.storage.checkins import Schedule

EVERY = ("day", "week", "2weeks", *WEEKDAYS)


def describe(schedule: Schedule) -> str:
    at = f"{schedule.at_minute // 60:02d}:{schedule.at_minute % 60:02d}"
    if schedule.every == "day":
        return f"every day at {at}"
    weekday = WEEKDAYS[schedule.weekday or 0].capitalize()
    if schedule.every == "2weeks":
        return f"every other {weekday} at {at}"
    return f"every {weekday} at {at}"


async def schedule(ctx: Context, args: Args) -> Reply:
    every = args.opt_text("every") or "week"
    on = args.opt_text("on")
    at = args.clock("at")
    weekday: int | None = None
    if every in WEEKDAYS:
        weekday, every = WEEKDAYS.index(every), "week"
    if on is not None:
        if every == "day":
            raise UsageError(fmt("`on:` is for weekly check-ins, like `checkin every:2weeks on:thursday`."))
        weekday = WEEKDAYS.index(on)
    minute = at.hour * 60 + at.minute if at else 10 * 60
    saved = await checkins.set_schedule(
        ctx.tx, ctx.speaker, every=every, weekday=weekday, at_minute=minute, now=ctx.now, config=ctx.config
    )
    return Reply(
        lines(
            fmt("Check-ins on: {when} ({zone}).", when=describe(saved), zone=str(ctx.zone)),
            fmt(
                "The first is {day}. I'll ask privately what you worked on, what's blocking, what you need.",
                day=day_text(saved.next_due_at, ctx.zone, ctx.now),
            ),
            fmt("Next: `checkin off` stops them; `profile tz:…` if that zone is wrong."),
        )
    )


async def off(ctx: Context, args: Args) -> Reply:
    await checkins.turn_off(ctx.tx, ctx.speaker)
    return Reply(fmt("Check-ins off. Next: `checkin every:monday at:10:00` to start again."))


async def _answer(ctx: Context, text: str) -> Reply | None:
    answered = await checkins.record_answer(ctx.tx, ctx.speaker, text, ctx.ts)
    if answered is None:
        return None
    return Reply(
        fmt(
            "Thanks, noted for your check-in of {day}. Next: `mine` for your list.",
            day=date_text(answered.due_at, ctx.zone, ctx.now),
        ),
        sensitive=True,
    )


async def reply(ctx: Context, args: Args) -> Reply:
    answered = await _answer(ctx, args.text("text"))
    if answered is None:
        raise Conflict(fmt("There's no check-in waiting for an answer. Next: `checkin` to schedule them."))
    return answered


async def plain_message(ctx: Context, text: str) -> Sequence[Reply] | None:
    """A private message that is not a command answers an open check-in, if there is one."""
    answered = await _answer(ctx, text)
    return [answered] if answered else None


async def overview(ctx: Context, args: Args) -> Reply:
    ref = args.opt_member("member")
    member = await people.resolve(ctx.tx, ref, ctx.incoming.platform) if ref else None
    view = await checkins.overview(ctx.tx, member, ctx.ts)
    who = member.display_name if member else "everyone"
    if not view.answered and not view.waiting:
        return Reply(
            fmt("No check-ins from {who} in the last two weeks. Members start them with `checkin`.", who=who),
            sensitive=True,
        )
    rows: list[Rich] = [fmt("Check-ins from {who}, last two weeks:", who=who)]
    for item in view.answered[:20]:
        answer = (item.answer or "")[:300]
        rows.append(
            fmt(
                "· {day} {name}: {answer}",
                day=date_text(item.due_at, ctx.zone, ctx.now),
                name=someone(item.person_name),
                answer=answer,
            )
        )
    if view.waiting:
        names = ", ".join(sorted({someone(item.person_name) for item in view.waiting}))
        rows.append(fmt("Not answered yet: {names}.", names=names))
    rows.append(fmt("Next: `intro` or a friendly message to anyone who's gone quiet."))
    return Reply(lines(*rows), sensitive=True)


COMMANDS = (
    Command(
        "checkin",
        Section.CHECKINS,
        "Schedule your private check-in (default: Mondays 10:00).",
        schedule,
        example="checkin every:monday at:10:00",
        args=(
            Arg("every", Kind.CHOICE, "How often: day, week, 2weeks, or a weekday.", choices=EVERY),
            Arg("at", Kind.TIME, "Your local time (default 10:00).", placeholder="HH:MM"),
            Arg("on", Kind.CHOICE, "The weekday, for week or 2weeks (default Monday).", choices=WEEKDAYS),
        ),
    ),
    Command("checkin off", Section.CHECKINS, "Stop your check-ins.", off, example="checkin off"),
    Command(
        "checkin reply",
        Section.CHECKINS,
        "Answer your open check-in (or just reply to it privately).",
        reply,
        example="checkin reply finished the bargaining summary; blocked on the budget numbers",
        sensitive=True,
        args=(
            Arg(
                "text",
                Kind.TEXT,
                "Your answer.",
                required=True,
                positional=True,
                rest=True,
                max_len=ANSWER_MAX,
            ),
        ),
    ),
    Command(
        "checkins",
        Section.CHECKINS,
        "Recent check-in answers, and who hasn't answered.",
        overview,
        role=Role.LEAD,
        example="checkins @alice",
        sensitive=True,
        args=(Arg("member", Kind.MEMBER, "Only this member.", positional=True, complete="members"),),
    ),
)
