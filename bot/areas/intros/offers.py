"""What the intros area adds to `mine`: intros waiting for the speaker's answer."""

from __future__ import annotations

from bot.areas.intros import commands, rules, words
from bot.core.context import Context, Listing


async def waiting_for_you(ctx: Context) -> Listing | None:
    waiting = await rules.waiting_for(ctx.tx, ctx.speaker)
    if not waiting:
        return None
    lines = tuple(words.waiting_line(view.intro.id, commands.parties(view, ctx.speaker, ctx.role)) for view in waiting)
    return Listing(words.waiting_heading(), lines, words.answer_next(waiting[0].intro.id), rank=30)
