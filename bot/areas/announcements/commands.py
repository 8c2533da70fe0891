"""Commands for announcements (spec §14)."""

from __future__ import annotations

from bot.areas.announcements import rules, words
from bot.clock import to_ts
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.dates import MORNING
from bot.core.kinds import Date, Text
from bot.core.messages import Reply
from bot.core.params import Args, Param
from bot.ids import Role

announcements = CommandSet[Context](Section.SHARING)

TEXT = Param("text", Text(2000), "What to announce.", required=True, positional=True, rest=True)
TO = Param("to", Text(120), "channel (default), everyone (or all), skill:<skill>, region:<region> or library:<kind>.")
SKILL = Param("skill", Text(50), "Only those with this skill.")
REGION = Param("region", Text(80), "Only those in this region.")
LIBRARY = Param("library", Text(20), "Only those from this kind of library.")
AT = Param("at", Date(), "When to send it (default now), e.g. friday 10:00.", placeholder="date/time")


@announcements.command(
    "announce", "Announce in the channels, or privately to everyone or those with a skill, region or library type.",
    role=Role.LEAD, example='announce text:"Meeting Thursday 7pm" to:everyone at:"thursday 10:00"',
    params=(TEXT, TO, SKILL, REGION, LIBRARY, AT),
)  # fmt: skip
async def announce(ctx: Context, args: Args) -> Reply:
    to = rules.audience(args.get(TO), args.get(SKILL), args.get(REGION), args.get(LIBRARY))
    when = args.get(AT)
    send_at = to_ts(when.moment(MORNING)) if when is not None else ctx.ts
    item, reach = await rules.post(
        ctx.tx, ctx.speaker, args[TEXT], to, send_at, ctx.now, ctx.config, ctx.incoming.platform
    )
    await ctx.audit("announce", f"announcement {item.id}", words.audience_text(to.kind, to.target))
    hidden = await rules.reach_is_private(ctx.tx, item, ctx.speaker, ctx.now)
    return Reply(words.posted(item, reach, hidden))


@announcements.command("announcements", "Recent announcements.", example="announcements", reads=True)
async def recent(ctx: Context, args: Args) -> Reply:
    lead = ctx.role >= Role.LEAD
    items, hidden = await rules.recent(ctx.tx, 10, lead, ctx.now)
    return Reply(words.recent(items, hidden, lead) if items else words.none_yet())
