"""Commands for check-ins (spec §5), and the answer given as a plain private message."""

from __future__ import annotations

from collections.abc import Sequence

from bot.areas import people
from bot.areas.checkins import rules, words
from bot.areas.checkins.rules import ANSWER_MAX
from bot.config import WEEKDAYS
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.errors import Conflict, UsageError
from bot.core.kinds import Choices, ClockTime, Text
from bot.core.messages import Reply
from bot.core.params import Args, Param
from bot.ids import Role

EVERY = ("day", "week", "2weeks", *WEEKDAYS)

checkins = CommandSet[Context](Section.CHECKINS)

EVERY_PARAM = Param("every", Choices(EVERY), "How often: day, week, 2weeks, or a weekday.")
AT = Param("at", ClockTime(), "Your local time (default 10:00).", placeholder="HH:MM")
ON = Param("on", Choices(WEEKDAYS), "The weekday, for week or 2weeks (default Monday).")
ANSWER = Param("text", Text(ANSWER_MAX), "Your answer.", required=True, positional=True, rest=True)
MEMBER = Param("member", people.member(), "Only this member.", positional=True)
#: The command word the check-in question offers unprefixed: its lines run while it waits.
OWN_COMMAND = "checkin"
USAGE = " ".join(["checkin", *(param.usage() for param in (EVERY_PARAM, AT, ON))])
EXAMPLE = "checkin every:monday at:10:00"


@checkins.command(
    "checkin", "Schedule your private check-in (default: Mondays 10:00).", example=EXAMPLE,
    params=(EVERY_PARAM, AT, ON),
)  # fmt: skip
@checkins.command(  # what people type after `checkin off`
    "checkin on", "Turn your check-ins (back) on, as `checkin` does.", example="checkin on",
    params=(EVERY_PARAM, AT, ON),
)  # fmt: skip
async def schedule(ctx: Context, args: Args) -> Reply:
    every, on = args.get(EVERY_PARAM), args.get(ON)
    _refuse_clash(every, on)
    saved, changed = await rules.schedule(
        ctx.tx, ctx.speaker, every=every, on=on, at=args.get(AT), now=ctx.now, config=ctx.config
    )
    first = rules.first_asked(saved, ctx.speaker, ctx.zone, ctx.ts, ctx.config)
    said = words.scheduled if changed else words.already_on
    return Reply(said(saved, ctx.zone.key, first, rules.quiet_over(saved, ctx.speaker, ctx.config)))


def _refuse_clash(every: str | None, on: str | None) -> None:
    """`every:` and `on:` that say different things are refused, not one of them followed:
    `every:friday on:monday` set Mondays without a word."""
    if on is None or every is None:
        return
    if every == "day":
        raise UsageError(words.on_is_for_weeks(USAGE, EXAMPLE))
    if every in WEEKDAYS and every != on:
        raise UsageError(words.two_days(every, on, USAGE, EXAMPLE))


@checkins.command("checkin off", "Stop your check-ins.", example="checkin off")
async def off(ctx: Context, args: Args) -> Reply:
    return Reply(words.off(await rules.turn_off(ctx.tx, ctx.speaker)))


async def _answer(ctx: Context, text: str) -> Reply | None:
    answered = await rules.record_answer(ctx.tx, ctx.speaker, text, ctx.ts)
    if answered is None:
        return None
    return Reply(words.thanks(answered.due_at), sensitive=True)


@checkins.command(
    "checkin reply", "Answer your open check-in (or just reply to it privately).",
    example="checkin reply finished the bargaining summary; blocked on the budget numbers", sensitive=True,
    params=(ANSWER,),
)  # fmt: skip
async def reply(ctx: Context, args: Args) -> Reply:
    answered = await _answer(ctx, args[ANSWER])
    if answered is None:
        raise Conflict(words.nothing_waiting())
    return answered


async def plain_message(ctx: Context, text: str) -> Sequence[Reply] | None:
    """A private message without `!` or `/` answers an open check-in, if there is one, even when
    it is a command's words ("Help!", "mine": spec §11); one refused, too long or blank, is
    answered with why (`Catalog.offer`) and the check-in waits on. Except the commands the
    question itself offers (`checkin reply <text>`, `checkin off`): those run."""
    first = text.split(maxsplit=1)[:1]
    if first and first[0].strip("!?.,:").casefold() == OWN_COMMAND:
        return None
    answered = await _answer(ctx, text)
    return [answered] if answered else None


async def more_of_answer(ctx: Context, text: str) -> Sequence[Reply] | None:
    """A private message that is no command, soon after answering a check-in, adds to the answer;
    one that reads like a slip of a command ("volunter research") is told how to run it instead."""
    added = await rules.add_to_answer(ctx.tx, ctx.speaker, text, ctx.ts)
    if added is None:
        return None
    meant = ctx.registry.suggest(" ".join(text.split()[:2]))
    return [Reply(words.added_to_answer(added.due_at, meant), sensitive=True)]


@checkins.command(
    "checkins", "Recent check-in answers, and who hasn't answered.", role=Role.LEAD, example="checkins @alice",
    sensitive=True, params=(MEMBER,), reads=True,
)  # fmt: skip
async def overview(ctx: Context, args: Args) -> Reply:
    ref = args.get(MEMBER)
    member = await people.resolve(ctx.tx, ref, ctx.incoming.platform) if ref else None
    view = await rules.overview(ctx.tx, member, ctx.ts)
    if not view.answered and not view.waiting:
        return Reply(words.none_from(member.display_name if member else None), sensitive=True)
    return Reply(
        words.overview(member.display_name if member else "everyone", view.answered, view.waiting), sensitive=True
    )
