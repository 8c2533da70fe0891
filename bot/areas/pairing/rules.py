"""Pairing rounds (spec §3): weak ties across the network, one pair per person per round.

`matching.py` is the pure algorithm (documented with its cost in `docs/pairing.md`).
`make_round` runs it once per round (the round's local date is its key) and records every pair
so none repeats. The messages are queued by the weekly job in `jobs.py`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.areas.pairing import queries as store
from bot.areas.pairing.matching import Matching, Pair, match, matching, score
from bot.areas.pairing.queries import Candidate
from bot.clock import to_ts
from bot.config import Config
from bot.core.context import CommonGround
from bot.ids import PersonId
from bot.storage.db import Tx

__all__ = [
    "Candidate", "Matching", "Pair", "Reasons", "Round", "make_round", "match", "match_round", "plan_round",
    "reasons", "round_key", "score",
]  # fmt: skip

MATCH_SLICE = 0.002  # seconds of matching on the event loop before it answers what came in


@dataclass(frozen=True)
class Round:
    """One round that ran now: its key (local date), the pairs made, who sat out, and who they are."""

    key: str
    pairs: tuple[Pair, ...]
    unpaired: tuple[PersonId, ...]
    members: Mapping[PersonId, Candidate]

    def among(self, people: Collection[PersonId]) -> Round:
        """This round for those of its people still in `people` (someone may have paused or left
        while it was matched): whoever loses their partner sits the round out."""
        if self.members.keys() == people:  # (nobody left: as a rule, and 17 ms of Python less)
            return self
        pairs: list[Pair] = []
        alone = [person for person in self.unpaired if person in people]
        for pair in self.pairs:
            kept = tuple(person for person in pair.people if person in people)
            if len(kept) > 1:
                pairs.append(Pair(kept, pair.score))
            else:
                alone += kept
        members = {person: candidate for person, candidate in self.members.items() if person in people}
        return Round(self.key, tuple(pairs), tuple(alone), members)


@dataclass(frozen=True)
class Reasons:
    """Why `other` was paired with me, limited to what `other`'s profile lets members see."""

    interests: tuple[str, ...]
    skills: tuple[str, ...]
    region: str | None
    library: str | None
    moments: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.interests or self.skills or self.region or self.library or self.moments)


def reasons(me: Candidate, other: Candidate) -> Reasons:
    """What I may be told about why I met `other`: skills are public, the rest only if they share it."""
    public = other.visibility == "members"
    region = other.region if public and me.region_key and other.region_key != me.region_key else None
    library = other.library if public and me.library and other.library != me.library else None
    return Reasons(
        interests=_both(me.interests, other.interests) if public else (),
        skills=_both(me.skills, other.skills),
        region=region if other.region_key else None,
        library=library,
        moments=_both(me.moments, other.moments) if public else (),
    )


def _both(mine: tuple[str, ...], theirs: tuple[str, ...]) -> tuple[str, ...]:
    """The words two people share, sorted."""
    return tuple(sorted(set(mine).intersection(theirs)))


def round_key(now: datetime, config: Config) -> str:
    """A round is named by its date in the organisation's zone: one round per day at most."""
    return now.astimezone(ZoneInfo(config.organisation.timezone)).date().isoformat()


async def plan_round(
    tx: Tx, now: datetime, config: Config, common_ground: Sequence[CommonGround] = ()
) -> tuple[str, list[Candidate], set[tuple[PersonId, PersonId]]] | None:
    """What this round is matched from: its key, the candidates, the pairs never to make; None
    if it already ran.

    What other areas say members shared lately (`common_ground`: an event both went to) counts
    like a shared interest; pairs who met are excluded as ever.
    """
    key = round_key(now, config)
    if await store.round_ran(tx, key):
        return None
    candidates = await store.candidates(tx, to_ts(now))
    moments: dict[PersonId, frozenset[str]] = {}
    for hook in common_ground:
        for person_id, labels in (await hook(tx, to_ts(now))).items():
            moments[person_id] = moments.get(person_id, frozenset()) | labels
    shared = {person_id: tuple(sorted(labels)) for person_id, labels in moments.items()}
    candidates = [dataclasses.replace(c, moments=shared[c.id]) if c.id in shared else c for c in candidates]
    return key, candidates, await store.excluded_pairs(tx)


async def match_round(
    key: str, candidates: Sequence[Candidate], excluded: Collection[tuple[PersonId, PersonId]]
) -> Round:
    """Half a second of pure Python for 10,000 members, on the event loop in slices of
    `MATCH_SLICE`: commands are answered between two slices, at full speed (on a thread, the
    match shared the GIL with them and slowed each fourfold; docs/pairing.md)."""
    steps = matching(candidates, excluded, f"pairing:{key}")
    while True:
        until = time.perf_counter() + MATCH_SLICE
        try:
            while time.perf_counter() < until:
                next(steps)
        except StopIteration as done:
            found: Matching = done.value
            return Round(key, found.pairs, found.unpaired, {c.id: c for c in candidates})
        await asyncio.sleep(0)  # the loop's turn: whatever came in meanwhile


async def make_round(
    tx: Tx, now: datetime, config: Config, common_ground: Sequence[CommonGround] = (), planned: Round | None = None
) -> Round | None:
    """Pair everyone opted in and record it; None if this round already ran (nothing is redone).

    `planned` is this round matched a moment ago, outside the transaction (the sweep's `prepare`):
    it is recorded for those still opted in and not paused, without reading and matching again.
    """
    key = round_key(now, config)
    if await store.round_ran(tx, key):
        return None
    if planned is not None and planned.key == key:
        made = planned.among(await store.candidate_ids(tx, to_ts(now)))
    else:
        read = await plan_round(tx, now, config, common_ground)
        assert read is not None  # the round did not run: checked above, in this transaction
        made = await match_round(*read)
    await store.record_round(tx, key, [p.people for p in made.pairs], len(made.unpaired), to_ts(now))
    return made
