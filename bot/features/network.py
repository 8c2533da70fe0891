"""The network (spec §3): who has met whom, the leads' view of it, and opting in to pairing.

"Isolated" means a signed-up, unpaused member who has met nobody in `network.isolated_days`
(default 30) — new members included, since they are the ones an intro helps most. A "bridge"
is a member whose ties reach other regions or library types than their own. Contacts never
appear here: the network is about members, so nothing here can reveal a contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.config import Config
from bot.core.args import MemberRef
from bot.core.errors import UsageError
from bot.core.text import PersonId, fmt
from bot.features import people
from bot.storage import intros as intro_store
from bot.storage import network as store
from bot.storage import pairing as pairing_store
from bot.storage.db import Tx
from bot.storage.network import Acquaintance, Bridge, Figures, Tie
from bot.storage.people import Person

SHOWN = 10


@dataclass(frozen=True)
class Met:
    other: Person
    tie: Tie


@dataclass(frozen=True)
class Overview:
    days: int
    figures: Figures
    isolated: tuple[tuple[PersonId, str], ...]
    isolated_total: int
    bridges: tuple[Bridge, ...]
    unlinked_regions: tuple[str, ...]
    regions_in_use: int
    unlinked_libraries: tuple[str, ...]
    libraries_in_use: int
    intros: dict[str, int]
    pairing: int


@dataclass(frozen=True)
class MemberView:
    days: int
    person: Person
    met: tuple[Acquaintance, ...]
    met_total: int
    other_regions: int
    other_libraries: int
    isolated: bool
    pairing: bool
    pending_intros: int


def _since(now: int, config: Config) -> int:
    return now - int(timedelta(days=config.network.isolated_days).total_seconds())


async def met(tx: Tx, speaker: Person, ref: MemberRef, note: str | None, *, platform: str, now: int) -> Met:
    """The speaker talked with someone: a tie for the network view, and never paired with them."""
    other = await people.resolve(tx, ref, platform)
    if other.id == speaker.id:
        raise UsageError(fmt("That's you! `met` is for someone you've talked with, like `met @alice`."))
    cleaned = note.strip() if note and note.strip() else None
    tie = await store.record_meeting(
        tx, speaker.id, other.id, recorded_by=speaker.id, how="met", intro_id=None, note=cleaned, now=now
    )
    return Met(other, tie)


async def overview(tx: Tx, now: int, config: Config) -> Overview:
    since = _since(now, config)
    isolated, isolated_total = await store.isolated(tx, since, now, SHOWN)
    regions, regions_in_use = await store.unlinked(tx, "region")
    libraries, libraries_in_use = await store.unlinked(tx, "library")
    return Overview(
        days=config.network.isolated_days,
        figures=await store.figures(tx, since),
        isolated=tuple(isolated),
        isolated_total=isolated_total,
        bridges=tuple(await store.bridges(tx, 5)),
        unlinked_regions=tuple(regions) if regions_in_use > 1 else (),
        regions_in_use=regions_in_use,
        unlinked_libraries=tuple(libraries) if libraries_in_use > 1 else (),
        libraries_in_use=libraries_in_use,
        intros=await intro_store.counts(tx),
        pairing=await pairing_store.count_opted_in(tx),
    )


async def member(tx: Tx, ref: MemberRef, *, platform: str, now: int, config: Config) -> MemberView:
    person = await people.resolve(tx, ref, platform)
    acquaintances, total = await store.acquaintances(tx, person.id, SHOWN)
    regions, libraries = await store.reach(tx, person.id)
    return MemberView(
        days=config.network.isolated_days,
        person=person,
        met=tuple(acquaintances),
        met_total=total,
        other_regions=regions,
        other_libraries=libraries,
        isolated=await store.is_isolated(tx, person.id, _since(now, config)),
        pairing=await pairing_store.is_opted_in(tx, person.id),
        pending_intros=await intro_store.pending_count(tx, person.id),
    )


async def set_pairing(tx: Tx, person: Person, on: bool, now: int) -> bool:
    """Opt in or out of the pairing rounds; True if that changed anything."""
    return await pairing_store.set_opt_in(tx, person.id, on, now)
