"""What the events area adds to other replies: the events someone is going to, in `mine`."""

from __future__ import annotations

from bot.areas.events import queries, words
from bot.core.context import Context, Listing

MINE_LIMIT = 5


async def my_events(ctx: Context) -> Listing | None:
    going = await queries.mine(ctx.tx, ctx.speaker.id, MINE_LIMIT, ctx.ts)
    if not going:
        return None
    rows = tuple(words.time_line(occurrence, answer, ctx.ts) for occurrence, answer in going)
    return Listing(words.your_events(), rows, words.see_event(going[0][0].event_id), rank=30)
