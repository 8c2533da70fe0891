"""`pairing on|off`: opting in to the weekly pairing rounds (spec §3); `pairing` alone says which."""

from __future__ import annotations

from bot.areas.pairing import queries, words
from bot.areas.pairing.jobs import next_round_for
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.kinds import Choices
from bot.core.messages import Reply
from bot.core.params import Args, Param

pairing = CommandSet[Context](Section.NETWORK)

STATE = Param("state", Choices(("on", "off")), "On or off (leave it out to see which).", positional=True)


@pairing.command(
    "pairing", "Opt in or out of being paired each week with a member you haven't met.", example="pairing on",
    params=(STATE,),
)  # fmt: skip
async def set_pairing(ctx: Context, args: Args) -> Reply:
    when = words.schedule_text(await next_round_for(ctx.tx, ctx.speaker, ctx.now, ctx.config))
    if STATE not in args:  # (it used to answer "`pairing` needs a state")
        return Reply(words.in_it(when) if await queries.opted_in(ctx.tx, ctx.speaker.id) else words.out(when))
    on = args[STATE] == "on"
    changed = await queries.set_opt_in(ctx.tx, ctx.speaker.id, on, ctx.ts)
    if on:
        return Reply(words.joined(when) if changed else words.already_in(when))
    return Reply(words.left() if changed else words.not_in(when))
