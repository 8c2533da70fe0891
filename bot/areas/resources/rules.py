"""The shared library of links (spec §14): add, search, show, drop, and the links of an ask.

Only http(s) links are taken, normalised (scheme and host lower-cased, a bare host given its
`/`, a link typed without its scheme, `ala.org/guide`, read as `https://` as a browser reads it)
so the same link typed twice is one entry: adding it again merges the tags, fills a title or
note it lacked, and attaches it to the ask named — it never overwrites what someone else wrote.
Anyone may add; the person who added a link or a lead may drop it (a lead dropping someone
else's is a use of lead powers, which `audit` lists: spec §7).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from bot.areas.resources import queries as store
from bot.areas.resources import words
from bot.areas.resources.queries import Resource
from bot.core.errors import NotAllowed, NotFound, TooLong, UsageError
from bot.core.paging import Page, offset
from bot.ids import Role
from bot.storage.db import Tx
from bot.storage.persons import Person

URL_MAX, MAX_TAGS, PAGE_SIZE = 2000, 10, 10
#: A host name with a dot, maybe a port, then a path or nothing: `ala.org`, `www.ala.org:8080/x`
#: (not `javascript:…` or `mailto:…`, whose scheme has no dot).
_BARE_HOST = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?([/?#]|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Added:
    """The entry, whether it was already there, and whether this added to it (tags, a title or
    note it lacked): "I merged your tags" only when something was merged."""

    resource: Resource
    already: bool
    merged: bool


@dataclass(frozen=True)
class Dropped:
    """The entry dropped, and whether it was someone else's: then it took a lead's powers, and the
    audit must say so, or a link shared by one member is gone with no trace of who took it."""

    resource: Resource
    someone_elses: bool


def normalise_url(text: str) -> str:
    """An http(s) link as stored and compared; anything else is refused with the reason."""
    url = text.strip().strip("<>")
    if len(url) > URL_MAX:
        raise TooLong(words.url_too_long(URL_MAX))
    if "://" not in url and _BARE_HOST.match(url):
        url = f"https://{url}"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UsageError(words.only_web_links(url[:60]))
    if not parts.hostname or any(ch.isspace() for ch in url):
        raise UsageError(words.not_a_link(url[:60]))
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, parts.fragment))


async def add(
    tx: Tx, person: Person, url: str, *, title: str | None, tags: Sequence[str], note: str | None,
    ask_id: int | None, now: int,
) -> Added:  # fmt: skip
    link = normalise_url(url)
    if ask_id is not None and not await store.ask_exists(tx, ask_id):
        raise NotFound(words.no_such_ask(ask_id))
    found = await store.by_url(tx, link)
    if found is None:
        if len(tags) > MAX_TAGS:
            raise TooLong(words.too_many_tags(MAX_TAGS))
        added = Added(await store.add(tx, link, title, tags, note, person.id, now), already=False, merged=False)
    else:
        combined = list(dict.fromkeys((*found.tag_list, *tags)))
        if len(combined) > MAX_TAGS:
            raise TooLong(words.too_many_tags(MAX_TAGS))
        merged = combined != list(found.tag_list) or bool(title and not found.title) or bool(note and not found.note)
        if merged:
            await store.amend(tx, found, title, combined, note, person.id, now)
        added = Added(await get(tx, found.id), already=True, merged=merged)
    if ask_id is not None:
        await store.attach(tx, added.resource.id, ask_id)
    return added


async def get(tx: Tx, resource_id: int) -> Resource:
    found = await store.get(tx, resource_id)
    if found is None:
        raise NotFound(words.no_such_resource(resource_id))
    return found


async def search(tx: Tx, terms: Sequence[str], page: int) -> Page[Resource]:
    found, total = await store.search(tx, terms, PAGE_SIZE, offset(page, PAGE_SIZE))
    return Page.of(found, total, page, PAGE_SIZE, " ".join(("resources", *terms)))


async def drop(tx: Tx, person: Person, role: Role, resource_id: int) -> Dropped:
    found = await get(tx, resource_id)
    someone_elses = found.added_by != person.id  # (a former member's too: nobody's now)
    if someone_elses and role < Role.LEAD:
        raise NotAllowed(words.not_yours(resource_id))
    await store.drop(tx, found.id)
    return Dropped(found, someone_elses)
