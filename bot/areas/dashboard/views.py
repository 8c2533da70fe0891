"""The dashboard's other pages (spec §16): coverage as a heat map, the asks board, follow-ups and
check-ins, and one member as the lead may see them. Each is a few tables (`tables.py`), so the
page and its CSV downloads hold the same rows.

Coverage counts what chat's `coverage` counts, gaps first, and shows "signed vs joined" as
`signatures coverage` counts and orders it (spec §13), from the signatures area itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.areas import checkins, contacts, network, people, signatures
from bot.areas.dashboard import queries as store
from bot.areas.dashboard.access import Viewer
from bot.areas.dashboard.queries import BoardAsk
from bot.areas.dashboard.tables import Row, Someone, Table, When, table
from bot.config import Config
from bot.core.timing import person_zone
from bot.ids import PersonId, Role
from bot.storage import persons
from bot.storage.db import Tx
from bot.storage.persons import Person

DONE_DAYS = 30
CHECKIN_DAYS = 14
# A check-in answer "has a blocker" when it says block…, stuck, need…, help, can't, cannot or
# waiting on/for — unless the word right before is no, not, nothing, none or don't ("no
# blockers", "nothing needed"). Simple on purpose: it marks answers to read first, nothing more.
_BLOCKER = re.compile(r"\b(block\w*|stuck|need\w*|help|can't|can’t|cannot|waiting (?:on|for))\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(no|not|nothing|none|don't|don’t|dont)\s+$", re.IGNORECASE)


def blocker(answer: str | None) -> bool:
    if not answer:
        return False
    return any(not _NEGATION.search(answer[: match.start()]) for match in _BLOCKER.finditer(answer))


# --- coverage -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageView:
    skill: str | None
    kinds: tuple[str, ...]
    grid: Table  # region × library type, gaps first
    top: int  # the biggest cell, for shading
    tables: tuple[Table, ...]


def _region(key: str | None, regions: dict[str, str]) -> str:
    return regions.get(key, key) if key is not None else "(region not said)"


async def coverage(tx: Tx, skill: str | None) -> CoverageView:
    """The heat map, its gaps and skills, and signed vs joined. Filtered to one skill, every
    region stays: one with nobody of that skill is the biggest gap there is, not a row to drop."""
    kinds = people.LIBRARY_TYPES
    cells: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(kinds, 0))
    unsaid: dict[str, int] = defaultdict(int)
    regions = await store.region_labels(tx)
    if skill is not None:
        for key in await store.coverage_regions(tx):
            cells[_region(key, regions)] = dict.fromkeys(kinds, 0)  # filled below where anyone has the skill
    for key, library, n in await store.coverage_cells(tx, skill):
        label = _region(key, regions)
        row = cells[label]  # a region whose people gave no library type still gets its row
        if library is None:
            unsaid[label] += n
        else:
            row[library] += n
    wanted = [kind for kind in kinds if kind != "other"]
    gaps = {label: [kind for kind in wanted if row[kind] == 0] for label, row in cells.items()}
    size = {label: sum(row.values()) + unsaid[label] for label, row in cells.items()}
    known = [label for label in cells if not label.startswith("(")]  # "(region not said)" goes last
    order = sorted(known, key=lambda label: (-len(gaps[label]), -size[label], label)) + sorted(set(cells) - set(known))
    rows = [
        Row(
            (label, *(cells[label][kind] for kind in kinds), unsaid[label], size[label]), "gap" if gaps[label] else None
        )
        for label in order
    ]
    grid = table("regions", "Region × library type", ("region", *kinds, "type not said", "total"), rows)
    busiest = sorted(cells, key=lambda label: (-size[label], label))
    gap_rows = [Row((label, kind), "gap") for label in busiest for kind in gaps[label] if label[0] != "("]
    top = max((n for label in known for n in cells[label].values()), default=0)
    tables = (
        table("gaps", "Gaps: nobody from these library types in these regions", ("region", "library type"), gap_rows),
        grid,
        await _skills(tx),
        await _signed(tx),
    )
    return CoverageView(skill, kinds, grid, top, tables)


async def _signed(tx: Tx) -> Table:
    """Signatories of the statement and how many of them have joined the chat, by region ×
    library type, in the order `signatures coverage` gives (places nobody joined from first)."""
    rows = [
        Row((place.region or "(region not said)", place.library or "(not said)", place.signed, place.joined,
             place.signed - place.joined), None if place.joined else "gap")
        for place in await signatures.signed_vs_joined(tx)
    ]  # fmt: skip
    return table("signed", "Signed vs joined: signatories who have joined the chat, gaps first",
                 ("region", "library type", "signed", "joined", "not joined yet"), rows)  # fmt: skip


async def _skills(tx: Tx) -> Table:
    have = dict(await store.skill_counts(tx))
    wanted = dict(await store.skills_wanted(tx))
    names = sorted(set(have) | set(wanted), key=lambda s: (have.get(s, 0) > 0, have.get(s, 0), -wanted.get(s, 0), s))
    rows = [Row((s, have.get(s, 0), wanted.get(s, 0)), "gap" if wanted.get(s) and not have.get(s) else None)
            for s in names]  # fmt: skip
    return table("skills", "Skills: volunteers, and open asks needing them", ("skill", "volunteers", "open asks"), rows)


# --- the asks board -----------------------------------------------------------------------------

COLUMNS = ("open", "claimed", "stale", "done")


@dataclass(frozen=True)
class BoardView:
    stale_days: int
    columns: tuple[tuple[str, tuple[BoardAsk, ...], int], ...]  # (name, first cards, how many)
    tables: tuple[Table, ...]


def _column(ask: BoardAsk, stale_before: int) -> str:
    if ask.status == "done":
        return "done"
    if ask.active and ask.quiet_since is not None and ask.quiet_since < stale_before:
        return "stale"
    return "claimed" if ask.active else "open"


def due(at: int | None, zone: str | None) -> When | None:
    """An ask's due date: a day where it was given as one, else a date and time."""
    if at is None:
        return None
    return When(at, "day", zone) if zone else When(at, "time")


async def board(tx: Tx, now: int, config: Config, *, cards: int | None) -> BoardView:
    """Open asks by how they stand, and those finished in the last 30 days; due soonest first."""
    stale_before = now - config.asks.stale_claim_days * 86400
    finished, finished_total = await store.finished_asks(tx, now - DONE_DAYS * 86400, cards or 10**9)
    by: dict[str, list[BoardAsk]] = {name: [] for name in COLUMNS}
    for ask in await store.open_asks(tx):
        by[_column(ask, stale_before)].append(ask)
    for name in ("open", "claimed", "stale"):
        by[name].sort(key=lambda a: (a.due_at is None, a.due_at or 0, a.id))
    totals = {name: len(found) for name, found in by.items()} | {"done": finished_total}
    by["done"] = finished
    columns = tuple((name, tuple(by[name][:cards] if cards else by[name]), totals[name]) for name in COLUMNS)
    rows = [
        Row((ask.id, name, ask.title, ask.skill or "", ask.need, ask.active, ask.done,
             due(ask.due_at, ask.due_zone), ask.poster or "",
             When(ask.quiet_since, "time") if ask.quiet_since else None), "stale" if name == "stale" else None)
        for name, shown, _ in columns for ask in shown
    ]  # fmt: skip
    columns_named = ("ask", "column", "title", "skill", "need", "working", "done", "due", "posted by", "quiet since")
    return BoardView(config.asks.stale_claim_days, columns, (table("asks", "Asks", columns_named, rows,
                                                                   sum(totals.values())),))  # fmt: skip


# --- follow-ups and check-ins -------------------------------------------------------------------


@dataclass(frozen=True)
class FollowView:
    private_followups: int
    tables: tuple[Table, ...]


async def _owner_zones(tx: Tx, owners: set[PersonId], config: Config) -> dict[PersonId, str]:
    """Each follow-up owner's zone: a follow-up is a day in its owner's zone (kept there when the
    zone changes), so that is where its day is read."""
    found = await persons.get_many(tx, sorted(owners))
    return {pid: person_zone(found.get(pid), config).key for pid in owners}


async def follow(tx: Tx, now: int, config: Config, *, rows: int | None) -> FollowView:
    """Follow-ups on shared contacts, overdue first; check-ins: unanswered first, then answers,
    those with a blocker marked.

    A follow-up is a day, as chat's `followups` shows it: it is stored as that morning in its
    owner's zone (a stand-in nobody typed), so it is shown as the owner's day, never as 09:00 or
    as the lead's date, which may be the next one."""
    found, total, hidden = await contacts.shared_followups(tx, rows if rows is not None else 10**9)
    zones = await _owner_zones(tx, {f.person_id for f in found}, config)
    followups = [
        Row((When(f.due_at, "day", zones[f.person_id]), Someone(f.person_id, f.owner_name), f.contact_name,
             f.org or "", f"introduce {f.intro_member_name}" if f.intro_member_name else "follow up", f.share),
            "overdue" if now >= contacts.overdue_from(f.due_at, f.intro_member_name is not None,
                                                      ZoneInfo(zones[f.person_id])) else None)
        for f in found
    ]  # fmt: skip
    seen = await checkins.board(tx, now, CHECKIN_DAYS, rows, blocker)
    answers = [
        Row((Someone(c.person_id, c.person_name or ""), When(c.due_at, "time"), None, "(not answered)"), "overdue")
        for c in seen.waiting
    ] + [
        Row((Someone(c.person_id, c.person_name or ""), When(c.due_at, "time"),
             When(c.answered_at, "time") if c.answered_at else None, c.answer or ""),
            "blocker" if stuck else None)
        for c, stuck in seen.answers
    ]  # fmt: skip
    return FollowView(
        hidden,
        (
            table("followups", "Follow-ups, overdue first", ("due", "owner", "contact", "org", "to do", "shared with"),
                  followups, total),
            table("checkins", f"Check-ins in the last {CHECKIN_DAYS} days: unanswered, then blockers first",
                  ("member", "asked", "answered", "answer"), answers, seen.total),
        ),
    )  # fmt: skip


# --- one member ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonView:
    person: Person
    full: bool  # whether the viewer may see the fields a leads-only profile keeps
    profile: people.Profile
    place: network.MemberView
    tables: tuple[Table, ...]


async def person(
    tx: Tx, viewer: Viewer, person_id: int, now: int, config: Config, *, rows: int | None
) -> PersonView | None:
    """One member, and whom they met: the first `rows` on a page, everyone in the CSV (chat's
    `network @x` shows the ten most recent; a table here is never cut without saying so)."""
    found = await persons.get(tx, PersonId(person_id))
    if found is None or not found.signed_up:
        return None
    full = people.can_see_private(viewer.person, viewer.role, found)
    lead = viewer.role >= Role.LEAD  # others' places in the network are a lead's view in chat too (`network`)
    place = await network.member_of(tx, found, now=now, config=config, shown=rows)
    met = [
        Row((Someone(a.person_id, a.name), *((a.region or "", a.library or "") if lead else ("", "")), a.times,
             When(a.last_at)))
        for a in place.met
    ]  # fmt: skip
    tables = (table("met", "Has met", ("member", "region", "library", "times", "last"), met, place.met_total),)
    return PersonView(found, full, await people.profile(tx, found), place, tables)
