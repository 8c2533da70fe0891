"""Commands for the shared library of links (spec §14)."""

from __future__ import annotations

from bot.areas.resources import queries, rules, words
from bot.core.commands import CommandSet, Section
from bot.core.context import Context, Listing
from bot.core.kinds import Id, Items, Number, Text
from bot.core.messages import Reply
from bot.core.params import Args, Param

resources = CommandSet[Context](Section.SHARING)

URL = Param(
    "url",
    Text(rules.URL_MAX),
    "The link (http:// or https://; `ala.org/guide` is read as https://).",
    required=True,
    positional=True,
)
TITLE = Param("title", Text(200), "What it is, in a line.")
TAGS = Param("tags", Items(max_len=30, max_items=rules.MAX_TAGS), "Comma-separated tags.", placeholder="a,b")
NOTE = Param("note", Text(2000), "Why it's useful.")
ASK = Param("ask", Id(), "An ask it helps with.", placeholder="id")
RESOURCE_ID = Param("id", Id(), "The resource's number.", required=True, positional=True)
SEARCH = Param("search", Text(100), "Words in a title, tag or note.", positional=True, rest=True)
PAGE = Param("page", Number(1), "Which page.", placeholder="n")


@resources.command(
    "resource add", "Add a link to the shared library (optionally for an ask); the same link twice is one entry.",
    example='resource add https://example.org/guide title:"Bargaining guide" tags:bargaining,research ask:12',
    params=(URL, TITLE, TAGS, NOTE, ASK),
)  # fmt: skip
async def add(ctx: Context, args: Args) -> Reply:
    tags = tuple(tag.lower() for tag in args.get(TAGS) or ())
    ask_id = args.get(ASK)
    result = await rules.add(
        ctx.tx, ctx.speaker, args[URL], title=args.get(TITLE) or None, tags=tags, note=args.get(NOTE) or None,
        ask_id=ask_id, now=ctx.ts,
    )  # fmt: skip
    return Reply(words.added(result.resource, result.already, result.merged, ask_id), suppress_embeds=True)


@resources.command(
    "resources", "Search the shared library by words in titles, tags and notes; newest first.",
    example="resources bargaining", params=(SEARCH, PAGE), reads=True,
)  # fmt: skip
async def search(ctx: Context, args: Args) -> Reply:
    terms = tuple((args.get(SEARCH) or "").split())
    page = await rules.search(ctx.tx, terms, args.get(PAGE) or 1)
    if not page.items:
        return Reply(words.none_yet(bool(terms)))
    return Reply(words.listing(page, bool(terms)), suppress_embeds=True)


@resources.command(
    "resource", "One shared resource.", form="show", example="resource 4", params=(RESOURCE_ID,), reads=True
)
async def show(ctx: Context, args: Args) -> Reply:
    resource = await rules.get(ctx.tx, args[RESOURCE_ID])
    asks = await queries.asks_of(ctx.tx, resource.id)
    return Reply(words.details(resource, asks), suppress_embeds=True)


@resources.command(
    "resource drop", "Remove a resource from the library.", who="the one who added it, or leads",
    example="resource drop 4", params=(RESOURCE_ID,),
)  # fmt: skip
async def drop(ctx: Context, args: Args) -> Reply:
    dropped = await rules.drop(ctx.tx, ctx.speaker, ctx.role, args[RESOURCE_ID])
    if dropped.someone_elses:  # a lead's power: who added it is named as they are then
        await ctx.audit("resource.drop", f"resource {dropped.resource.id}", dropped.resource.owner or "")
    return Reply(words.dropped(dropped.resource.id))


async def of_ask(ctx: Context, ask_id: int) -> Listing | None:
    """The links shared for an ask, for `ask <id>`."""
    found = await queries.of_ask(ctx.tx, ask_id, 10)
    return Listing(words.of_ask_heading(), tuple(words.line(r) for r in found)) if found else None
