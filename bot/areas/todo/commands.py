"""Your to-do list (`mine`) and moving a reminder later (`snooze`), gathered from every area.

Each area declares what it adds to `mine` (`Area.todo`) and what `snooze` can move
(`Area.snoozes`); this area only asks them, so a new area's to-dos appear here by declaring them.
"""

from __future__ import annotations

import re

from bot.areas import people
from bot.areas.todo import words
from bot.core.commands import CommandSet, Section
from bot.core.context import Context, Listing
from bot.core.errors import UsageError
from bot.core.kinds import Later, Word
from bot.core.messages import Reply
from bot.core.params import Args, Param
from bot.core.text import Rich, lines

mine_commands = CommandSet[Context](Section.ASKS)
snooze_commands = CommandSet[Context](Section.CONTACTS)

THING = Param(
    "thing", Word(), "What: f7 (follow-up 7), c12 (your claim on ask 12) or checkin.", required=True, positional=True
)
LATER = Param("later", Later(), "How much later, like 3d or 2 weeks, or until when, like friday 3pm.", required=True,
              positional=True, rest=True, placeholder="duration or date")  # fmt: skip
_REF = re.compile(r"^#?([a-z][a-z-]*?)(\d{1,9})?$")


@mine_commands.command(
    "mine",
    "Your to-do list: claims, intros, follow-ups, next check-in.",
    example="mine",
    sensitive=True,
    reads=True,
    meant_by=("todo", "to-do", "my list"),
)
async def mine(ctx: Context, args: Args) -> Reply:
    listings: list[Listing] = []
    for source in ctx.catalog.todo:
        listing = await source(ctx)
        if listing is not None and listing.lines:
            listings.append(listing)
    pause = people.pause_of(ctx.speaker, ctx.ts, ctx.config)
    rows: list[Rich] = [words.paused(pause.until)] if pause else []  # a pause forgotten hides every ping
    if not listings:
        return Reply(lines(*rows, words.nothing(ctx.speaker.signed_up)))
    listings.sort(key=lambda listing: listing.rank)
    for listing in listings:
        rows.extend((listing.heading, *listing.lines))
    next_step = next((listing.next_step for listing in listings if listing.next_step), None)
    rows.append(next_step or words.find_something())
    return Reply(lines(*rows))


@snooze_commands.command(
    "snooze", "Move a follow-up, your claim's reminders or your next check-in later.", example="snooze f7 3d",
    sensitive=True, params=(THING, LATER),
)  # fmt: skip
async def snooze(ctx: Context, args: Args) -> Reply:
    thing = args[THING]
    match = _REF.match(thing.strip().lower())
    kind = ctx.catalog.snoozes.get(match.group(1)) if match else None
    if match is None or kind is None or kind.numbered != (match.group(2) is not None):
        raise UsageError(words.unknown_thing(thing, ctx.catalog.snoozes.values()))
    number = int(match.group(2)) if match.group(2) is not None else None
    moved = await kind.snooze(ctx, number, args[LATER])
    if moved.until <= ctx.ts:  # `snooze f7 today` at noon: the move is undone with the command's savepoint
        raise UsageError(words.already_past(moved, " ".join(thing.split()).lower()))
    return Reply(words.snoozed(moved))
