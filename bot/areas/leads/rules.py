"""The leads' views (spec §7): coverage — who the network reaches, and above all whom it does
not — and the week's digest.

A union of library workers needs voices from every kind of library in every region; the gaps are
the point, so they come first. Regions are free text normalised for grouping (`profile region:`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.areas import contacts, signatures
from bot.areas.leads import queries as store
from bot.areas.leads.queries import Digest
from bot.areas.people import LIBRARY_TYPES
from bot.config import Config
from bot.core.paging import Page, offset
from bot.ids import Role
from bot.storage import persons
from bot.storage.db import Tx
from bot.storage.persons import Person

#: Gaps on one page of `coverage`; counts shown in its "fewest first" line (the rest are counted).
GAPS_PER_PAGE = 12
SHOWN = 12


@dataclass(frozen=True)
class Count:
    label: str
    volunteers: int


@dataclass(frozen=True)
class Coverage:
    """Gaps (sentences' worth of facts, one page of them) first, then counts, for one way of looking."""

    by: str
    gaps: Page[tuple[str, str]]
    counts: tuple[Count, ...]
    total: int
    unspecified: int  # volunteers who haven't said what this view groups by (region, library type)
    private: frozenset[str] = frozenset()  # regions and library types that leads-only profiles fill


def _page(gaps: Sequence[tuple[str, str]], page: int, by: str) -> Page[tuple[str, str]]:
    """One page of gaps; past the last, a usage error naming it."""
    start = offset(page, GAPS_PER_PAGE)
    return Page.of(gaps[start : start + GAPS_PER_PAGE], len(gaps), page, GAPS_PER_PAGE, f"coverage by:{by}")


async def coverage(tx: Tx, by: str, page: int = 1) -> Coverage:
    cells = await store.by_region_and_library(tx)
    total = sum(n for _, _, n, _ in cells)
    if by == "skill":
        return await _skills(tx, total, page)
    regions: dict[str, int] = defaultdict(int)
    libraries: dict[str, int] = defaultdict(int)
    grid: dict[tuple[str, str], int] = defaultdict(int)
    private = frozenset(
        label for region, library, _, hidden in cells if hidden for label in (region, library) if label is not None
    )
    for region, library, n, _ in cells:
        if region is not None:
            regions[region] += n
        if library is not None:
            libraries[library] += n
        if region is not None and library is not None:
            grid[(region, library)] += n
    kinds = [kind for kind in LIBRARY_TYPES if kind != "other"]
    if by == "library":
        gaps = [("", kind) for kind in kinds if libraries.get(kind, 0) == 0]
        counts = tuple(
            Count(kind, libraries.get(kind, 0)) for kind in sorted(LIBRARY_TYPES, key=lambda k: libraries.get(k, 0))
        )
        return Coverage(by, _page(gaps, page, by), counts, total, total - sum(libraries.values()), private)
    busiest = sorted(regions, key=lambda r: (-regions[r], r))
    gaps = [(region, kind) for region in busiest for kind in kinds if grid.get((region, kind), 0) == 0]
    ordered = sorted(regions.items(), key=lambda item: (item[1], item[0]))
    counts = tuple(Count(r, n) for r, n in ordered)
    return Coverage(by, _page(gaps, page, by), counts, total, total - sum(regions.values()), private)


async def _skills(tx: Tx, total: int, page: int) -> Coverage:
    have = dict(await store.by_skill(tx))
    wanted = await store.skills_wanted(tx)
    gaps = [(skill, str(n)) for skill, n in sorted(wanted, key=lambda w: (-w[1], w[0])) if have.get(skill, 0) == 0]
    counts = tuple(Count(skill, n) for skill, n in sorted(have.items(), key=lambda item: (item[1], item[0])))
    return Coverage("skill", _page(gaps, page, "skill"), counts, total, 0)


async def digest(tx: Tx, now: int, config: Config) -> Digest:
    overdue = await contacts.count_overdue(tx, now, config)  # (each in its owner's zone, the org's by default)
    report = await store.digest(tx, now, config.asks.stale_claim_days, LIBRARY_TYPES, overdue)
    tally = await signatures.tally(tx, now)
    return dataclasses.replace(report, signed=tally.signed, joined=tally.joined, joined_lately=tally.lately)


async def granted_back(tx: Tx, target: Person, role: Role, config: Config) -> list[str]:
    """What would give `target` their role back at their next message when an admin's `role`
    lowers it: the config's admins list (`["config"]`), or the platforms whose roles the bot
    follows. Empty when nothing would: the old role was given with `role`, or this raises it.

    The bot cannot take a Discord role or a power level away, so the admin must be told, or a
    lead they meant to demote (someone they no longer trust, perhaps) is quietly a lead again."""
    if role >= target.role or target.role_source != "platform":
        return []
    accounts = await persons.identities(tx, target.id)
    if any(config.is_admin(account.platform, account.user_id) for account in accounts):
        return ["config"]
    return sorted({account.platform for account in accounts})
