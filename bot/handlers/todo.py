"""`mine`: one personal to-do list gathered from every area."""

from __future__ import annotations

from datetime import time, timedelta

from bot.clock import to_ts
from bot.core.args import Args
from bot.core.commands import Command, Section
from bot.core.context import Context
from bot.core.messages import Reply, Role
from bot.core.text import Rich, fmt, lines
from bot.features import asks, contacts, intros
from bot.handlers.contacts import followup_line
from bot.handlers.intros import waiting_line
from bot.handlers.render import ask_line
from bot.zones import localize


async def mine(ctx: Context, args: Args) -> Reply:
    claims = await asks.my_claims(ctx.tx, ctx.speaker)
    posted = await asks.my_posted(ctx.tx, ctx.speaker) if ctx.role >= Role.LEAD else []
    waiting = await intros.waiting_for(ctx.tx, ctx.speaker)
    end_of_today = localize(ctx.now.astimezone(ctx.zone).date() + timedelta(days=1), time(0), ctx.zone)
    followups = await contacts.followups(ctx.tx, ctx.speaker, due_before=to_ts(end_of_today) - 1)
    rows: list[Rich] = []
    if claims:
        rows.append(fmt("Your claims:"))
        rows.extend(ask_line(ask, ctx.zone, ctx.now) for _, ask in claims)
    if posted:
        rows.append(fmt("Asks you posted:"))
        rows.extend(ask_line(ask, ctx.zone, ctx.now) for ask in posted)
    if waiting:
        rows.append(fmt("Intros waiting for your answer:"))
        rows.extend(waiting_line(view, ctx) for view in waiting)
    if followups:
        rows.append(fmt("Follow-ups due:"))
        rows.extend(followup_line(followup, ctx) for followup in followups)
    if not rows:
        return Reply(fmt("Nothing on your list. Next: `asks` to find something to do."))
    if claims:
        first = claims[0][1].id
        rows.append(fmt("Next: `update {id} <text>` or `done {id}`.", id=str(first)))
    elif waiting:
        rows.append(fmt("Next: `accept {id}` or `decline {id}`.", id=str(waiting[0].intro.id)))
    elif followups:
        rows.append(
            fmt(
                "Next: `contact note {id} <text>` once you've been in touch, or `snooze f{f} 3d`.",
                id=str(followups[0].contact_id),
                f=str(followups[0].id),
            )
        )
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
