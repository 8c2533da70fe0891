"""`mine`: one personal to-do list gathered from every area."""

from __future__ import annotations

from bot.core.args import Args
from bot.core.commands import Command, Section
from bot.core.context import Context
from bot.core.messages import Reply, Role
from bot.core.text import Rich, fmt, lines
from bot.features import asks
from bot.handlers.render import ask_line


async def mine(ctx: Context, args: Args) -> Reply:
    claims = await asks.my_claims(ctx.tx, ctx.speaker)
    posted = await asks.my_posted(ctx.tx, ctx.speaker) if ctx.role >= Role.LEAD else []
    rows: list[Rich] = []
    if claims:
        rows.append(fmt("Your claims:"))
        rows.extend(ask_line(ask, ctx.zone, ctx.now) for _, ask in claims)
    if posted:
        rows.append(fmt("Asks you posted:"))
        rows.extend(ask_line(ask, ctx.zone, ctx.now) for ask in posted)
    if not rows:
        return Reply(fmt("Nothing on your list. Next: `asks` to find something to do."))
    if claims:
        first = claims[0][1].id
        rows.append(fmt("Next: `update {id} <text>` or `done {id}`.", id=str(first)))
    else:
        rows.append(fmt("Next: `asks` to find something to do."))
    return Reply(lines(*rows))


COMMANDS = (
    Command(
        "mine",
        Section.ASKS,
        "Your to-do list: claims, intros, follow-ups, next check-in.",
        mine,
        example="mine",
        sensitive=True,
    ),
)
