"""The network page (spec §16): members as nodes and ties as edges, coloured by region or library
type, with isolated members and bridges marked — the network view of chat (`network`), drawn.

Edges are ties (written by intros both sides accepted and by `met`) and pairs made by pairing
rounds that have not met yet (drawn dashed). "Isolated" and "bridge" mean what they mean in chat:
no meeting in `network.isolated_days`, and ties that reach other regions or library types.

Above `MAX_NODES` members a drawing of people is unreadable (and too big for a phone), so the
page shows groups instead — regions, or library types — sized by members, with the ties between
them; clicking a group narrows the filters to it (drill-down) until the members fit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import NamedTuple

from bot.areas import people
from bot.areas.dashboard import queries as store
from bot.areas.dashboard.access import Viewer
from bot.areas.dashboard.queries import Filters, Member
from bot.areas.dashboard.tables import Row, Someone, Table, When, table
from bot.config import Config
from bot.ids import Role
from bot.storage.db import Tx

MAX_NODES = 2000
MAX_GROUP_EDGES = 400
COLOURS = 11  # distinct colours for the biggest groups; the rest share one, "not said" another
OTHER, UNSAID = COLOURS, COLOURS + 1
BRIDGES_MARKED = 20


@dataclass(frozen=True)
class Node:
    """A member (`person`), or a group of members (`drill`: the filters that open it), with its
    colour, its size (members), and whether it is isolated or a bridge."""

    label: str
    colour: int
    size: int
    isolated: bool = False
    bridge: bool = False
    person: int | None = None
    drill: Filters | None = None


class Edge(NamedTuple):
    """A tie (or, `paired`, a pair a round made who have not met) between two nodes, by index;
    between groups, `weight` ties."""

    a: int
    b: int
    weight: int = 1
    paired: bool = False


class Legend(NamedTuple):
    """What a colour stands for, and how many members have it."""

    colour: int
    label: str
    members: int


@dataclass(frozen=True)
class NetworkView:
    filters: Filters
    colour_by: str
    grouped: str | None
    members: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    legend: tuple[Legend, ...]
    figures: tuple[tuple[int, str], ...]  # (count, what), as `network` sums it up
    tables: tuple[Table, ...]


def _colours(counts: Counter[str | None], labels: dict[str | None, str]) -> tuple[dict[str | None, int], list[Legend]]:
    """A colour per group, biggest first; the rest share `OTHER`, and "not said" is `UNSAID`."""
    ranked = sorted((key for key in counts if key is not None), key=lambda k: (-counts[k], labels.get(k) or ""))
    colour: dict[str | None, int] = {key: (index if index < COLOURS else OTHER) for index, key in enumerate(ranked)}
    colour[None] = UNSAID
    legend = [Legend(colour[key], labels.get(key) or str(key), counts[key]) for key in ranked[:COLOURS]]
    rest = sum(counts[key] for key in ranked[COLOURS:])
    if rest:
        legend.append(Legend(OTHER, f"{len(ranked) - COLOURS} more", rest))
    if counts.get(None):
        legend.append(Legend(UNSAID, "not said", counts[None]))
    return colour, legend


def _key(member: Member, by: str, visible: bool) -> str | None:
    if not visible:
        return None
    return member.region_key if by == "region" else member.person.library


async def view(tx: Tx, viewer: Viewer, filters: Filters, colour_by: str, now: int, config: Config, *,
               rows: int | None) -> NetworkView:  # fmt: skip
    """The page for these filters; `rows` limits each table (None: all of it, for a CSV)."""
    since = now - config.network.isolated_days * 86400
    filters = replace(filters, everyone=viewer.role >= Role.LEAD)  # (leads see every profile, as in chat)
    total = await store.count_members(tx, filters)
    isolated, isolated_total = await store.isolated(tx, filters, since, now, rows if rows is not None else total)
    lonely = table(
        "isolated", "Isolated: nobody met in the last " + f"{config.network.isolated_days} days",
        ("member", "region", "library", "signed up"),
        [Row((*_who(viewer, m), When(m.person.signed_up_at or 0)), "isolated") for m in isolated], isolated_total,
    )  # fmt: skip
    if total > MAX_NODES:
        return await _groups(tx, filters, colour_by, total, lonely)
    return await _members(tx, viewer, filters, colour_by, (since, now), total, lonely, rows)


def _who(viewer: Viewer, member: Member) -> tuple[Someone, str, str]:
    """A member as the viewer may see them: region and library only if their profile allows."""
    person = member.person
    if not people.can_see_private(viewer.person, viewer.role, person):
        return (Someone(person.id, person.display_name), "", "")
    return (Someone(person.id, person.display_name), person.region or "", person.library or "")


async def _members(tx: Tx, viewer: Viewer, filters: Filters, colour_by: str, times: tuple[int, int], total: int,
                   lonely: Table, rows: int | None) -> NetworkView:  # fmt: skip
    since, now = times
    found = await store.members(tx, filters, MAX_NODES)
    ids = [m.person.id for m in found]
    visible = {m.person.id: people.can_see_private(viewer.person, viewer.role, m.person) for m in found}
    keys = {m.person.id: _key(m, colour_by, visible[m.person.id]) for m in found}
    labels = {keys[m.person.id]: (m.person.region if colour_by == "region" else m.person.library) or "" for m in found}
    colour, legend = _colours(Counter(keys.values()), labels)
    reach = await store.reach_of(tx, ids)
    bridges = sorted((pid for pid in reach if sum(reach[pid]) > 0), key=lambda pid: (-sum(reach[pid]), pid))
    marked = set(bridges[:BRIDGES_MARKED])
    index = {pid: i for i, pid in enumerate(ids)}
    nodes = []
    member_rows = []
    for m in found:
        alone = not m.person.paused(now) and (m.last_tie is None or m.last_tie < since)
        nodes.append(Node(m.person.display_name, colour[keys[m.person.id]], 1, person=m.person.id, isolated=alone,
                          bridge=m.person.id in marked))  # fmt: skip
        regions, libraries = reach.get(m.person.id, (0, 0))
        member_rows.append(Row(
            (*_who(viewer, m), m.ties, When(m.last_tie) if m.last_tie else None, regions, libraries),
            "isolated" if alone else ("bridge" if m.person.id in marked else None),
        ))  # fmt: skip
    ties = await store.ties_among(tx, ids)
    met = {(a, b) for a, b, _ in ties}
    edges = [Edge(index[a], index[b]) for a, b, _ in ties]
    edges += [Edge(index[a], index[b], paired=True) for a, b in await store.pairs_among(tx, ids) if (a, b) not in met]
    tables = (
        table("members", "Members", ("member", "region", "library", "people met", "last met", "other regions reached",
              "other library types reached"), member_rows[:rows], len(member_rows)),
        lonely,
    )  # fmt: skip
    crossing = sum(1 for a, b, _ in ties if keys[a] != keys[b] and keys[a] is not None and keys[b] is not None)
    figures = _figures(total, len(ties), crossing, colour_by, lonely.total)
    return NetworkView(filters, colour_by, None, total, tuple(nodes), tuple(edges), tuple(legend), figures, tables)


def _figures(members: int, ties: int, crossing: int, by: str, isolated: int) -> tuple[tuple[int, str], ...]:
    across = "across regions" if by == "region" else "across library types"
    return ((members, "members"), (ties, "pairs have met"), (crossing, across), (isolated, "isolated"))


async def _groups(tx: Tx, filters: Filters, colour_by: str, total: int, lonely: Table) -> NetworkView:
    by = colour_by
    if (by == "region" and filters.region is not None) or (by == "library" and filters.library is not None):
        by = "library" if by == "region" else "region"
    counts: Counter[str | None] = Counter(dict(await store.groups(tx, filters, by)))
    shown = await store.region_labels(tx) if by == "region" else {}
    labels = {key: shown.get(key, key) if key is not None else "not said" for key in counts}
    colour, legend = _colours(counts, labels)
    inside: Counter[str | None] = Counter()
    between: Counter[tuple[str | None, str | None]] = Counter()
    for a, b, n in await store.group_ties(tx, filters, by):
        if a == b:
            inside[a] += n
        else:
            between[(a, b) if (a or "") < (b or "") else (b, a)] += n
    outward: Counter[str | None] = Counter()
    for (a, b), n in between.items():
        outward[a] += n
        outward[b] += n
    keys = sorted(counts, key=lambda k: (-counts[k], labels[k]))
    index = {key: i for i, key in enumerate(keys)}
    nodes = [
        Node(labels[key], colour[key], counts[key], drill=_narrow(filters, by, key), isolated=outward[key] == 0)
        for key in keys
    ]
    strongest = sorted(between.items(), key=lambda item: -item[1])[:MAX_GROUP_EDGES]
    edges = [Edge(index[a], index[b], n) for (a, b), n in strongest]
    rows = [Row((labels[k], counts[k], inside[k], outward[k]), "isolated" if outward[k] == 0 else None) for k in keys]
    name = "region" if by == "region" else "library type"
    tables = (table("groups", f"By {name}", (name, "members", "ties within", "ties to others"), rows), lonely)
    figures = _figures(total, sum(inside.values()) + sum(between.values()), sum(between.values()), by, lonely.total)
    return NetworkView(filters, colour_by, by, total, tuple(nodes), tuple(edges), tuple(legend), figures, tables)


def _narrow(filters: Filters, by: str, key: str | None) -> Filters | None:
    """The filters that open one group (none for members who have not said)."""
    if key is None:
        return None
    return replace(filters, region=key) if by == "region" else replace(filters, library=key)
