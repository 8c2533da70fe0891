"""Commands for the network (spec §3): met, and the leads' `network` view.

`network` is for leads and is sent privately: who knows whom is nobody else's business.
"""

from __future__ import annotations

from bot.areas import people
from bot.areas.network import rules, words
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.kinds import Text
from bot.core.messages import Reply
from bot.core.params import Args, Param
from bot.ids import Role

NOTE_MAX = 2000

network = CommandSet[Context](Section.NETWORK)

MEMBER = Param("member", people.member(), "A member: a mention or their name.", required=True, positional=True)
NOTE = Param(
    "note", Text(NOTE_MAX), "What you talked about (optional; only you can see it).", positional=True, rest=True
)
ONE_MEMBER = Param("member", people.member(), "One member to look at (optional).", positional=True)


@network.command(
    "met", "Record that you and a member have talked.", example="met @alice talked about the bargaining survey",
    params=(MEMBER, NOTE),
)  # fmt: skip
async def met(ctx: Context, args: Args) -> Reply:
    result = await rules.met(ctx.tx, ctx.speaker, args[MEMBER], args.get(NOTE), platform=ctx.incoming.platform,
                             now=ctx.ts)  # fmt: skip
    return Reply(words.met(result.other.display_name, result.tie.times))


@network.command(
    "network", "Who knows whom: counts, isolated members, bridges between regions and library types.",
    role=Role.LEAD, example="network @alice", sensitive=True, params=(ONE_MEMBER,), reads=True,
)  # fmt: skip
async def show_network(ctx: Context, args: Args) -> Reply:
    ref = args.get(ONE_MEMBER)
    if ref is not None:
        view = await rules.member(ctx.tx, ctx.speaker, ref, platform=ctx.incoming.platform, now=ctx.ts,
                                  config=ctx.config)  # fmt: skip
        return Reply(words.member(view))
    return Reply(words.overview(await rules.overview(ctx.tx, ctx.ts, ctx.config)))
