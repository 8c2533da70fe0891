"""The weekly pairing round, at `scheduler.pairing` in the organisation's zone.

It pairs (see `rules.py` and `docs/pairing.md`) and queues one private message per person,
keyed `pair:<round date>:<ids>:p<person>`, so a round that runs twice — or again after a crash —
sends nothing twice; the round itself is recorded by its date and its week, and never redone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.areas.pairing import rules, words
from bot.areas.pairing.queries import Candidate
from bot.areas.pairing.rules import Pair, Round
from bot.clock import to_ts
from bot.config import Config
from bot.core.context import Catalog, CommonGround
from bot.core.notices import to_person
from bot.core.text import Rich
from bot.ids import PersonId
from bot.scheduling.job import Job, Write
from bot.scheduling.weekly import next_week_moment, week_moment
from bot.storage import outbox, persons, state
from bot.storage.db import Database, Tx

CHUNK = 500  # people per query and per batch of queued messages


async def run_pairing_round(
    tx: Tx, now: datetime, config: Config, common_ground: Sequence[CommonGround] = (), planned: Round | None = None
) -> list[Pair]:
    """Run this round's pairing (once per round date) and queue each person's private message.

    Returns the pairs made by this call: empty when the round had already run.
    """
    made = await rules.make_round(tx, now, config, common_ground, planned)
    if made is None:
        return []
    # Who hears what: (person, key, the others in their group; none when they sit this round out).
    told: list[tuple[PersonId, str, tuple[PersonId, ...]]] = []
    for pair in made.pairs:
        names = "-".join(str(pid) for pid in pair.people)
        told += [(me, f"pair:{made.key}:{names}:p{me}", tuple(o for o in pair.people if o != me)) for me in pair.people]
    told += [(person_id, f"pair:{made.key}:alone:p{person_id}", ()) for person_id in made.unpaired]
    for start in range(0, len(told), CHUNK):  # a chunk of people and messages at a time, sent before the next
        chunk = told[start : start + CHUNK]
        found = await persons.get_many(tx, [person_id for person_id, _, _ in chunk])
        messages = [
            to_person(person_id, found.get(person_id), _words(made.members, person_id, others), key=key,
                      kind="pairing", at=now, config=config)
            for person_id, key, others in chunk
        ]  # fmt: skip
        await outbox.queue(tx, messages, to_ts(now))
        await tx.flush()
    return list(made.pairs)


def _words(members: Mapping[PersonId, Candidate], me: PersonId, others: Sequence[PersonId]) -> Rich:
    if not others:
        return words.alone_message()
    return words.pair_message(members[me], [members[other] for other in others])


def _zone(config: Config) -> ZoneInfo:
    return ZoneInfo(config.organisation.timezone)


async def pairing_round(
    tx: Tx, now: datetime, config: Config, common_ground: Sequence[CommonGround] = (), planned: Round | None = None
) -> None:
    """The weekly pairing round, at the configured moment in the organisation's zone."""
    if not await _due(tx, now, config):
        return
    await run_pairing_round(tx, now, config, common_ground, planned)
    await state.put(tx, f"pairing:{week_moment(config.scheduler.pairing, _zone(config), now)[1]}", str(to_ts(now)))


async def _due(tx: Tx, now: datetime, config: Config) -> bool:
    moment, week = week_moment(config.scheduler.pairing, _zone(config), now)
    return now >= moment and await state.get(tx, f"pairing:{week}") is None


async def next_pairing(tx: Tx, now: datetime, config: Config) -> datetime | None:
    moment, week = week_moment(config.scheduler.pairing, _zone(config), now)
    if moment > now or await state.get(tx, f"pairing:{week}") is None:
        return max(moment, now)
    return next_week_moment(config.scheduler.pairing, _zone(config), now)


def pairing_round_job(catalog: Catalog) -> Job:
    """The weekly round as a sweep job, weighing the common ground the other areas declare.

    The sweep reads and matches it first (`prepare`), the match on a thread and outside any
    transaction, so commands that write wait only while the round is recorded and its messages
    queued, not the seconds the matching takes at national scale."""

    async def run(tx: Tx, now: datetime, config: Config) -> None:
        await pairing_round(tx, now, config, catalog.common_ground)

    async def prepare(db: Database, now: datetime, config: Config) -> Write | None:
        async with db.reading() as tx:
            read = (
                await rules.plan_round(tx, now, config, catalog.common_ground) if await _due(tx, now, config) else None
            )
        if read is None:
            return None
        planned = await rules.match_round(*read)

        async def write(tx: Tx) -> None:
            await pairing_round(tx, now, config, catalog.common_ground, planned)

        return write

    return Job("weekly pairing round", run, next_pairing, prepare)
