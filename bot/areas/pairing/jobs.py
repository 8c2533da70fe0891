"""The weekly pairing round, at `scheduler.pairing` in the organisation's zone.

It pairs (see `rules.py` and `docs/pairing.md`) and queues one private message per person,
keyed `pair:<round date>:<ids>:p<person>`, so a round that runs twice — or again after a crash —
sends nothing twice; the round itself is recorded by its date and its week, and never redone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.areas.pairing import rules, words
from bot.areas.pairing.rules import Pair
from bot.clock import to_ts
from bot.config import Config
from bot.core.context import Catalog, CommonGround
from bot.core.notices import to_person
from bot.core.text import Rich
from bot.ids import PersonId
from bot.scheduling.job import Job
from bot.scheduling.weekly import next_week_moment, week_moment
from bot.storage import outbox, persons, state
from bot.storage.db import Tx
from bot.storage.outbox import OutboxMessage
from bot.storage.persons import Person

CHUNK = 500


async def run_pairing_round(
    tx: Tx, now: datetime, config: Config, common_ground: Sequence[CommonGround] = ()
) -> list[Pair]:
    """Run this round's pairing (once per round date) and queue each person's private message.

    Returns the pairs made by this call: empty when the round had already run.
    """
    made = await rules.make_round(tx, now, config, common_ground)
    if made is None:
        return []
    ids = [pid for pair in made.pairs for pid in pair.people] + list(made.unpaired)
    found: dict[PersonId, Person] = {}
    for start in range(0, len(ids), CHUNK):  # stay far below SQLite's limit on bound variables
        found.update(await persons.get_many(tx, ids[start : start + CHUNK]))
    messages: list[OutboxMessage] = []

    def queue(person_id: PersonId, key: str, text: Rich) -> None:
        person = found.get(person_id)
        messages.append(to_person(person_id, person, text, key=key, kind="pairing", at=now, config=config))

    for pair in made.pairs:
        names = "-".join(str(pid) for pid in pair.people)
        for me in pair.people:
            others = [made.members[o] for o in pair.people if o != me]
            queue(me, f"pair:{made.key}:{names}:p{me}", words.pair_message(made.members[me], others))
    for person_id in made.unpaired:
        queue(person_id, f"pair:{made.key}:alone:p{person_id}", words.alone_message())
    await outbox.queue(tx, messages, to_ts(now))
    return list(made.pairs)


def _zone(config: Config) -> ZoneInfo:
    return ZoneInfo(config.organisation.timezone)


async def pairing_round(tx: Tx, now: datetime, config: Config, common_ground: Sequence[CommonGround] = ()) -> None:
    """The weekly pairing round, at the configured moment in the organisation's zone."""
    moment, week = week_moment(config.scheduler.pairing, _zone(config), now)
    if now < moment or await state.get(tx, f"pairing:{week}") is not None:
        return
    await run_pairing_round(tx, now, config, common_ground)
    await state.put(tx, f"pairing:{week}", str(to_ts(now)))


async def next_pairing(tx: Tx, now: datetime, config: Config) -> datetime | None:
    moment, week = week_moment(config.scheduler.pairing, _zone(config), now)
    if moment > now or await state.get(tx, f"pairing:{week}") is None:
        return max(moment, now)
    return next_week_moment(config.scheduler.pairing, _zone(config), now)


def pairing_round_job(catalog: Catalog) -> Job:
    """The weekly round as a sweep job, weighing the common ground the other areas declare."""

    async def run(tx: Tx, now: datetime, config: Config) -> None:
        await pairing_round(tx, now, config, catalog.common_ground)

    return Job("weekly pairing round", run, next_pairing)
