"""What each page of the dashboard shows, read from the areas: its template, the view the
dashboard area builds for it, and the query parameters it accepts (anything else is refused).

A page and its CSV downloads are built by the same function, so a download holds exactly the
rows the page may show, only all of them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from jinja2.utils import htmlsafe_json_dumps

from bot.areas import dashboard, people
from bot.areas.dashboard import Filters, Regions, Table, Viewer
from bot.config import Config
from bot.core.words import member_word
from bot.storage.db import Tx
from bot.web import render

SHOWN = 100  # rows of a table on a page; the CSV has them all
CARDS = 40  # cards per column of the asks board
_TEXT_MAX = 100


class BadQuery(ValueError):
    """A query parameter this page does not take, or a value it cannot be."""


@dataclass(frozen=True)
class Built:
    """A page's view with what its template needs besides, and its tables (for the CSVs)."""

    context: dict[str, Any]
    tables: tuple[Table, ...]


Builder = Callable[[Tx, Viewer, Mapping[str, str], int, Config, bool], Awaitable[Built]]


def _one(query: Mapping[str, str], name: str) -> str | None:
    value = query.get(name, "").strip()
    if len(value) > _TEXT_MAX:
        raise BadQuery(f"`{name}` is too long")
    return value or None


def filters(query: Mapping[str, str], regions: Regions) -> Filters:
    """The filters an address asks for; its region by id (`dashboard.addresses`), never by name."""
    library = _one(query, "library")
    if library is not None and library not in people.LIBRARY_TYPES:
        raise BadQuery(f"`library` should be one of {', '.join(people.LIBRARY_TYPES)}")
    region = _one(query, "region")
    key = None if region is None else regions.key_of(region)
    if region is not None and key is None:
        raise BadQuery("`region` should be one of the regions the filter offers")
    return Filters(key, library, _one(query, "skill"))


async def _network(tx: Tx, viewer: Viewer, query: Mapping[str, str], now: int, config: Config, full: bool) -> Built:
    colour = _one(query, "colour") or "region"
    if colour not in ("region", "library"):
        raise BadQuery("`colour` should be region or library")
    (labels, skills) = await dashboard.choices(tx)
    regions = await dashboard.addresses.regions(tx, [key for key, _ in labels])
    shown = filters(query, regions)
    view = await dashboard.graph.view(tx, viewer, shown, colour, now, config, rows=None if full else SHOWN)
    if full:
        return Built({}, view.tables)
    offered = ([(regions.id_of(key), key, label) for key, label in labels], skills)
    return Built({"v": view, "graph": _graph(view, regions), "choices": offered,
                  "library_types": people.LIBRARY_TYPES}, view.tables)  # fmt: skip


def _graph(view: dashboard.graph.NetworkView, regions: Regions) -> str:
    """The picture's data, as compact as it can be read back (it rides in the page, up to 2,000
    members): each node `[label, colour, size, flags, target]`, flags 1 isolated and 2 bridge,
    the target a member's id or the query that opens a group; each edge `[a, b, weight, paired]`."""
    nodes: list[list[object]] = []
    for node in view.nodes:
        target: object = node.person if node.person is not None else None
        if node.drill is not None:
            target = query_string(node.drill, view.colour_by, regions)
        flags = int(node.isolated) | 2 * int(node.bridge)
        nodes.append([render.isolated(node.label), node.colour, node.size, flags, target])
    edges = [[e.a, e.b, e.weight, int(e.paired)] for e in view.edges]
    return htmlsafe_json_dumps({"grouped": view.grouped, "nodes": nodes, "edges": edges}, separators=(",", ":"))


def query_string(shown: Filters, colour: str, regions: Regions) -> str:
    pairs = {"region": regions.id_of(shown.region), "library": shown.library, "skill": shown.skill, "colour": colour}
    return urlencode({key: value for key, value in pairs.items() if value})


async def _coverage(tx: Tx, viewer: Viewer, query: Mapping[str, str], now: int, config: Config, full: bool) -> Built:
    view = await dashboard.views.coverage(tx, _one(query, "skill"))
    return Built({"v": view, "choices": await dashboard.choices(tx)}, view.tables)


async def _asks(tx: Tx, viewer: Viewer, query: Mapping[str, str], now: int, config: Config, full: bool) -> Built:
    view = await dashboard.views.board(tx, now, config, cards=None if full else CARDS)
    return Built({"v": view}, view.tables)


async def _follow(tx: Tx, viewer: Viewer, query: Mapping[str, str], now: int, config: Config, full: bool) -> Built:
    view = await dashboard.views.follow(tx, now, config, rows=None if full else SHOWN)
    return Built({"v": view}, view.tables)


@dataclass(frozen=True)
class Page:
    path: str
    name: str
    template: str
    build: Builder
    params: frozenset[str]


PAGES = (
    Page("/network", "Network", "network.html", _network, frozenset({"region", "library", "skill", "colour"})),
    Page("/coverage", "Coverage", "coverage.html", _coverage, frozenset({"skill"})),
    Page("/asks", "Asks", "asks.html", _asks, frozenset()),
    Page("/follow-ups", "Follow-ups & check-ins", "follow.html", _follow, frozenset()),
)


async def person(tx: Tx, viewer: Viewer, person_id: int, now: int, config: Config, full: bool) -> Built | None:
    view = await dashboard.views.person(tx, viewer, person_id, now, config, rows=None if full else SHOWN)
    if view is None:
        return None
    return Built({"v": view, "mention": member_word(view.person.display_name)}, view.tables)
