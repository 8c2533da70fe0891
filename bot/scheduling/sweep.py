"""The sweep: derive what is due from the database and queue it in the outbox.

Nothing scheduled lives in memory. Each job an area declares (its reminders, check-ins, the
digest, the pairing round) asks the database what has become due (every question an indexed
range scan on a "next reminder" column), queues outbox messages with unique keys, and moves
that column on, all in one transaction. Run it twice, or again after a crash, and the keys make
the second run a no-op; leave the bot down for three days and the first run afterwards queues
each reminder once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.clock import from_ts, to_ts
from bot.config import Config
from bot.crashpoints import checkpoint
from bot.scheduling.job import Job
from bot.storage import outbox, persons, state
from bot.storage.db import OFF_LOOP, Database, Tx

log = logging.getLogger(__name__)

DAY = 86400


async def housekeeping(tx: Tx, now: datetime, config: Config) -> None:
    """Once a day: forget handled event ids and old delivered messages."""
    now_ts = to_ts(now)
    last = await state.get(tx, "housekeeping:last")
    if last is not None and now_ts - int(last) < DAY:
        return
    await persons.prune_events(tx, now_ts - 30 * DAY)
    await outbox.prune(tx, now_ts - 90 * DAY)
    await state.put(tx, "housekeeping:last", str(now_ts))


async def next_housekeeping(tx: Tx, now: datetime, config: Config) -> datetime | None:
    last = await state.get(tx, "housekeeping:last")
    return from_ts(int(last) + DAY) if last is not None else now


HOUSEKEEPING = Job("housekeeping", housekeeping, next_housekeeping)


class Sweep:
    """Runs every job, each in its own transaction so one failure cannot block the others; one
    process at a time when several share a database (`Database.exclusive`)."""

    def __init__(self, db: Database, config: Config, jobs: Sequence[Job]) -> None:
        self.db = db
        self.config = config
        self.jobs = [*jobs, HOUSEKEEPING]

    async def run(self, now: datetime) -> None:
        # A job's statements may take long (a week of catch-up after downtime, a prune of the
        # outbox) the first time they run, before SQLite's backend has learnt what they cost:
        # they go to the database's own thread, so commands are answered meanwhile.
        off_loop = OFF_LOOP.set(True)
        try:
            await self._run(now)
        finally:
            OFF_LOOP.reset(off_loop)

    async def _run(self, now: datetime) -> None:
        async with self.db.exclusive("sweep") as alone:
            if not alone:  # another process on the same database is sweeping right now
                log.debug("sweep skipped: another process is running it")
                return
            for job in self.jobs:
                try:
                    write = await job.prepare(self.db, now, self.config) if job.prepare is not None else None
                    async with self.db.transaction() as tx:
                        await (job.run(tx, now, self.config) if write is None else write(tx))
                        checkpoint("sweep-before-commit", job.name)
                except Exception:
                    log.exception("sweep job %r failed; it runs again at the next tick", job.name)

    async def next_due(self, after: datetime) -> datetime | None:
        """The earliest moment after `after` at which some job has work."""
        found: list[datetime] = []
        async with self.db.reading() as tx:
            for job in self.jobs:
                moment = await job.next_due(tx, after, self.config)
                if moment is not None:
                    found.append(max(moment, after + timedelta(seconds=1)))
        return min(found) if found else None
