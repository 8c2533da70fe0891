"""Everything the resources area says. Links are shown as plain text (each platform escapes it
and turns it into a plain link), and replies holding them ask Discord for no previews."""

from __future__ import annotations

from collections.abc import Sequence

from bot.areas.resources.queries import Resource
from bot.core.paging import Page
from bot.core.text import Rich, fmt, lines
from bot.core.words import not_theirs, page_header, plural, someone


def line(resource: Resource) -> Rich:
    tags = f" [{', '.join(resource.tag_list)}]" if resource.tags else ""
    return fmt("· **{id}** {title}{tags} — {url}", id=str(resource.id), title=resource.title or "(untitled)",
               tags=tags, url=resource.url)  # fmt: skip


def of_ask_heading() -> Rich:
    return fmt("Resources:")


def added(resource: Resource, already: bool, merged: bool, ask_id: int | None) -> Rich:
    if not already:
        first = fmt("Added to the library as **{id}**.", id=str(resource.id))
    elif merged:
        first = fmt("That link is already in the library as **{id}**; I merged your tags and details.",
                    id=str(resource.id))  # fmt: skip
    else:
        first = fmt("That link is already in the library as **{id}**; nothing new to add.", id=str(resource.id))
    rows = [first, line(resource)]
    if ask_id is not None:
        rows.append(fmt("It's listed under ask {ask}: `ask {ask}` shows it.", ask=str(ask_id)))
    rows.append(fmt("Next: `resources` to browse, `resource {id}` for details.", id=str(resource.id)))
    return lines(*rows)


def details(resource: Resource, asks: Sequence[int]) -> Rich:
    rows = [fmt("**{id}** {title}", id=str(resource.id), title=resource.title or "(untitled)"), fmt("{url}",
            url=resource.url)]  # fmt: skip
    if resource.tags:
        rows.append(fmt("Tags: {tags}", tags=", ".join(resource.tag_list)))
    if resource.note:
        rows.append(fmt("Note: {note}", note=resource.note))
    rows.append(fmt("Added by {name}.", name=someone(resource.owner)))
    if asks:
        rows.append(fmt("For {asks}: {ids}.", asks=plural("ask", len(asks)), ids=", ".join(str(a) for a in asks)))
    rows.append(fmt("Next: `resources` for more; the one who added it or a lead can `resource drop {id}`.",
                    id=str(resource.id)))  # fmt: skip
    return lines(*rows)


def dropped(resource_id: int) -> Rich:
    return fmt("Dropped resource {id} from the library. Next: `resources`.", id=str(resource_id))


def listing(page: Page[Resource], searched: bool) -> Rich:
    title = "Resources matching that, newest first" if searched else "Shared resources, newest first"
    rows: list[Rich] = [page_header(title, page.page, page.pages, page.total), *(line(r) for r in page.items)]
    more = f"`{page.next_page}` for more, " if page.page < page.pages else ""
    rows.append(fmt("Next: {more}`resource <id>` for details.", more=more))
    return lines(*rows)


def none_yet(searched: bool) -> Rich:
    empty = 'The library is empty. Share a link: `resource add https://… title:"…" tags:a,b`.'
    return fmt("Nothing in the library matches that. Try fewer words, or plain `resources`." if searched else empty)


def url_too_long(limit: int) -> Rich:
    return fmt("That link is over {n} characters. Share a shorter one.", n=str(limit))


def only_web_links(given: str) -> Rich:
    return fmt(
        "I only keep web links starting with http:// or https://, not `{given}`."
        " Example: `resource add https://example.org/guide`.",
        given=given,
    )


def not_a_link(given: str) -> Rich:
    return fmt("`{given}` isn't a link I can use. Example: `resource add https://example.org/guide`.", given=given)


def no_such_ask(ask_id: int) -> Rich:
    return fmt("There's no ask {id}. Next: `asks` to find the right number.", id=str(ask_id))


def too_many_tags(limit: int) -> Rich:
    return fmt("A resource takes at most {n} tags. Keep the most useful ones.", n=str(limit))


def no_such_resource(resource_id: int) -> Rich:
    return fmt("There's no resource {id}. Next: `resources` to search the library.", id=str(resource_id))


def not_yours(resource_id: int) -> Rich:
    rule = fmt("Only the person who added resource {id}, or a lead, can drop it.", id=str(resource_id))
    return not_theirs(rule, "one of them", fmt("`resource {id}` shows who added it.", id=str(resource_id)))
