"""The weekly pairing round, at `scheduler.pairing` in the organisation's zone.

It pairs (see `rules.py` and `docs/pairing.md`) and queues one private message per person,
keyed `pair:<round date>:<ids>:p<person>`, so a round that runs twice — or again after a crash —
sends nothing twice; the round itself is recorded by its date and its week, and never redone.
The sweep records it, then tells it a share of people a transaction (`_Telling`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.areas.pairing import delivery, rules, words
from bot.areas.pairing import queries as store
from bot.areas.pairing.queries import Candidate
from bot.areas.pairing.rules import Pair, Round
from bot.clock import from_ts, to_ts
from bot.config import Config
from bot.core.context import Catalog, CommonGround
from bot.core.notices import to_person
from bot.core.text import Rich
from bot.ids import PersonId
from bot.scheduling.job import Job, Reading, Write
from bot.scheduling.shares import size
from bot.scheduling.weekly import next_week_moment, week_moment
from bot.storage import outbox, persons, state
from bot.storage.db import Tx
from bot.storage.persons import Person

#: People told a transaction at most (`shares.size`): the sweep commits a share and commands
#: write before the next.
SHARE = 100
#: This week's state while its round is being told, share by share: "telling <round key>".
TELLING = "telling "

Told = tuple[PersonId, str, tuple[PersonId, ...]]  # a person, their message's key, whom they meet
Plan = tuple[str, list[Candidate], set[tuple[PersonId, PersonId]]]  # `rules.plan_round`: what to match


async def run_pairing_round(
    tx: Tx, now: datetime, config: Config, common_ground: Sequence[CommonGround] = (), planned: Round | None = None
) -> list[Pair]:
    """Run this round's pairing (once per round date) and queue each person's private message,
    all in `tx`. Returns the pairs made by this call: empty when the round had already run."""
    made = await rules.make_round(tx, now, config, common_ground, planned)
    if made is None:
        return []
    await _tell(tx, made, [*_alone(made), *_paired(made.key, made.pairs)], now, config)
    return list(made.pairs)


def _alone(made: Round) -> list[Told]:
    return [(person_id, f"pair:{made.key}:alone:p{person_id}", ()) for person_id in made.unpaired]


def _paired(key: str, pairs: Sequence[Pair]) -> list[Told]:
    told: list[Told] = []
    for pair in pairs:
        names = "-".join(str(pid) for pid in pair.people)
        told += [(me, f"pair:{key}:{names}:p{me}", tuple(o for o in pair.people if o != me)) for me in pair.people]
    return told


async def _tell(tx: Tx, made: Round, told: Sequence[Told], now: datetime, config: Config) -> None:
    """Queue these people's messages (keyed: telling someone twice queues nothing)."""
    for start in range(0, len(told), SHARE):  # a share of people and messages at a time
        share = told[start : start + SHARE]
        found = await persons.get_many(tx, [person_id for person_id, _, _ in share])
        messages = [
            to_person(person_id, found.get(person_id), _words(made.members, person_id, others), key=key,
                      kind="pairing", at=now, config=config, subject=delivery.subject(made.key, bool(others)))
            for person_id, key, others in share
        ]  # fmt: skip
        await outbox.queue(tx, messages, to_ts(now))
        await tx.flush()


def _words(members: Mapping[PersonId, Candidate], me: PersonId, others: Sequence[PersonId]) -> Rich:
    if not others:
        return words.alone_message()
    return words.pair_message(members[me], [members[other] for other in others])


def _zone(config: Config) -> ZoneInfo:
    return ZoneInfo(config.organisation.timezone)


@dataclass
class _Telling:
    """This week's round, recorded and then told a share of people a transaction (the sweep calls
    `share` until it returns False). A kill between two shares leaves the week "telling <key>":
    the next sweep reads the recorded round back (`_begin`) and tells it again, where the keys
    make whoever was told already a no-op; the last share marks the week done."""

    week: str
    round: Round
    recorded: bool
    now: datetime
    config: Config
    pairs: list[Pair] = field(default_factory=list)  # recorded, still to tell (made into messages a share at a time)
    plan: Plan | None = None  # what to match the round from, when it is not recorded yet

    async def match(self) -> None:
        """Half a second of pure Python at national scale, in slices on the event loop and in no
        transaction (`rules.match_round`)."""
        if self.plan is not None:
            self.round = await rules.match_round(*self.plan)
            self.plan = None  # (the pairs never to make, and the candidates' list: not held while telling)

    async def share(self, tx: Tx) -> bool:
        if not self.recorded:
            self.recorded = True
            made = await rules.make_round(tx, self.now, self.config, planned=self.round)
            if made is not None:  # (None: it ran earlier today; nothing to tell)
                self.round, self.pairs = made, list(made.pairs)
                await _tell(tx, made, _alone(made), self.now, self.config)
        else:
            wanted, people, count = size(SHARE), 0, 0
            while count < len(self.pairs) and people < wanted:  # whole pairs (and trios)
                people, count = people + len(self.pairs[count].people), count + 1
            share, self.pairs = self.pairs[:count], self.pairs[count:]
            await _tell(tx, self.round, _paired(self.round.key, share), self.now, self.config)
        done = not self.pairs
        await state.put(tx, f"pairing:{self.week}", str(to_ts(self.now)) if done else TELLING + self.round.key)
        return not done


async def _begin(tx: Tx, now: datetime, config: Config, common_ground: Sequence[CommonGround]) -> _Telling | None:
    """This week's round to match and record, or to finish telling after a kill; None when
    nothing is due. Reads only."""
    moment, week = week_moment(config.scheduler.pairing, _zone(config), now)
    done = await state.get(tx, f"pairing:{week}")
    if now < moment or (done is not None and not done.startswith(TELLING)):
        return None
    if done is not None:  # recorded, and told in part, when the bot was killed
        key = done[len(TELLING) :]
        members = {c.id: c for c in await store.candidates(tx, to_ts(now))}  # (who paused since is left out)
        groups = [g for g in await store.groups_of_round(tx, key) if all(p in members for p in g)]
        made = Round(key, tuple(Pair(g, 0) for g in groups), (), members)
        return _Telling(week, made, True, now, config, list(made.pairs))
    plan = await rules.plan_round(tx, now, config, common_ground)
    return _Telling(week, Round(rules.round_key(now, config), (), (), {}), plan is None, now, config, plan=plan)


async def pairing_round(tx: Tx, now: datetime, config: Config, common_ground: Sequence[CommonGround] = ()) -> None:
    """The weekly pairing round, at the configured moment in the organisation's zone, whole in `tx`."""
    telling = await _begin(tx, now, config, common_ground)
    if telling is not None:
        await telling.match()
        while await telling.share(tx):
            pass


async def next_pairing(tx: Tx, now: datetime, config: Config) -> datetime | None:
    moment, week = week_moment(config.scheduler.pairing, _zone(config), now)
    done = await state.get(tx, f"pairing:{week}")
    if moment > now or done is None or done.startswith(TELLING):
        return max(moment, now)
    return next_week_moment(config.scheduler.pairing, _zone(config), now)


async def next_round_for(tx: Tx, person: Person, now: datetime, config: Config) -> int | None:
    """The next round that will pair `person` (a paused member is left out of rounds: `Person.reached`)."""
    first = await next_pairing(tx, now, config) or now
    rounds, zone = config.scheduler.pairing, _zone(config)
    return person.reached(to_ts(now), to_ts(first), lambda after: to_ts(next_week_moment(rounds, zone, from_ts(after))))


def pairing_round_job(catalog: Catalog) -> Job:
    """The weekly round as a sweep job, weighing the common ground the other areas declare.

    The sweep reads and matches it first (`prepare`), the match in slices between commands and
    outside any transaction, so commands that write wait only while the round is recorded and its
    messages queued, not the half second the matching takes at national scale."""

    async def run(tx: Tx, now: datetime, config: Config) -> None:
        await pairing_round(tx, now, config, catalog.common_ground)

    async def prepare(reading: Reading, now: datetime, config: Config) -> Write | None:
        async with reading() as tx:
            telling = await _begin(tx, now, config, catalog.common_ground)
        if telling is None:
            return None
        await telling.match()
        return telling.share

    return Job("weekly pairing round", run, next_pairing, prepare)
