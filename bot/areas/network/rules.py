"""The network (spec §3): who has met whom, and the leads' view of it.

"Isolated" means a signed-up, unpaused member who has met nobody in `network.isolated_days`
(default 30) — new members included, since they are the ones an intro helps most. A "bridge"
is a member whose ties reach other regions or library types than their own. Contacts never
appear here: the network is about members, so nothing here can reveal a contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.areas import people
from bot.areas.network import queries as store
from bot.areas.network import words
from bot.areas.network.queries import Bridge, MemberView, Met, Overview
from bot.config import Config
from bot.core.errors import UsageError
from bot.core.params import MemberRef
from bot.ids import PersonId
from bot.storage.db import Tx
from bot.storage.persons import Person

SHOWN = 10


def _since(now: int, config: Config) -> int:
    return now - int(timedelta(days=config.network.isolated_days).total_seconds())


async def met(tx: Tx, speaker: Person, ref: MemberRef, note: str | None, *, platform: str, now: int) -> Met:
    """The speaker talked with someone: a tie for the network view, and never paired with them."""
    other = await people.member_or_me(tx, speaker, ref, platform)
    if other.id == speaker.id:
        raise UsageError(words.thats_you())
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
    bridges = await store.bridges(tx, 5)
    return Overview(
        days=config.network.isolated_days,
        figures=await store.figures(tx, since),
        isolated=tuple(isolated),
        isolated_total=isolated_total,
        bridges=tuple(bridges),
        unlinked_regions=tuple(regions) if regions_in_use > 1 else (),
        regions_in_use=regions_in_use,
        unlinked_libraries=tuple(libraries) if libraries_in_use > 1 else (),
        libraries_in_use=libraries_in_use,
        intros=await store.intro_counts(tx),
        pairing=await store.in_pairing(tx),
        suggested=await _suggested(tx, isolated, bridges),
    )


async def _suggested(
    tx: Tx, isolated: Sequence[tuple[PersonId, str]], bridges: Sequence[Bridge]
) -> tuple[str, str] | None:
    """The intro `network` suggests: the longest-isolated member shown, with the widest-reaching
    bridge shown who is someone else, has not met them and has no intro with them on file (a
    member can be both isolated and a bridge: ties that reach far, none of them lately)."""
    known = await store.known_pairs(tx, sorted({pid for pid, _ in isolated} | {b.person_id for b in bridges}))
    for pid, name in isolated:
        for bridge in bridges:
            pair = (pid, bridge.person_id) if pid < bridge.person_id else (bridge.person_id, pid)
            if pid != bridge.person_id and pair not in known:
                return name, bridge.name
    return None


async def member(tx: Tx, speaker: Person, ref: MemberRef, *, platform: str, now: int, config: Config) -> MemberView:
    return await member_of(tx, await people.member_or_me(tx, speaker, ref, platform), now=now, config=config)


async def member_of(tx: Tx, person: Person, *, now: int, config: Config, shown: int | None = SHOWN) -> MemberView:
    """One member's place in the network: whom they met (the `shown` most recent; None: all),
    how far their ties reach."""
    acquaintances, total = await store.acquaintances(tx, person.id, shown)
    regions, libraries = await store.reach(tx, person.id)
    return MemberView(
        days=config.network.isolated_days,
        person=person,
        met=tuple(acquaintances),
        met_total=total,
        other_regions=regions,
        other_libraries=libraries,
        isolated=await store.is_isolated(tx, person.id, _since(now, config)),
        pairing=await store.is_in_pairing(tx, person.id),
        pending_intros=await store.pending_intros(tx, person.id),
    )
