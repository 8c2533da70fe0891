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
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.clock import from_ts, to_ts
from bot.config import Config
from bot.crashpoints import checkpoint
from bot.scheduling.job import Job, Reading, Write
from bot.scheduling.shares import Pace, size
from bot.storage import outbox, persons, state
from bot.storage.db import OFF_LOOP, Database, Tx

log = logging.getLogger(__name__)

DAY = 86400
#: Shares of one job a sweep commits at most; the rest waits for the next tick (a job that never
#: says it is done cannot hold the sweep forever: at `shares.BUDGET`, about ten seconds).
MAX_SHARES = 2500


#: Rows forgotten a transaction by housekeeping, at most (`shares.size`): a day's worth of a
#: national network's outbox and events is tens of thousands, which in one transaction held the
#: writer for a second.
PRUNE_SHARE = 500


async def housekeeping(tx: Tx, now: datetime, config: Config) -> None:
    """Once a day: forget handled event ids and old delivered messages (whole, in one transaction;
    the sweep does it in shares: `prune_in_shares`)."""
    write = await _prune(tx, now)
    while write is not None and await write(tx):
        pass


async def prune_in_shares(reading: Reading, now: datetime, config: Config) -> Write | None:
    async with reading() as tx:
        return await _prune(tx, now)


async def _prune(tx: Tx, now: datetime) -> Write | None:
    """What to forget, read from `tx`, as shares to write; None if housekeeping ran within a day.

    A kill between two shares leaves `housekeeping:last` unset, so the next sweep reads what is
    left and goes on; what was forgotten stays forgotten."""
    now_ts = to_ts(now)
    last = await state.get(tx, "housekeeping:last")
    if last is not None and now_ts - int(last) < DAY:
        return None
    old = await outbox.prunable(tx, now_ts - 90 * DAY)
    done = 0

    async def share(tx: Tx) -> bool:
        nonlocal done
        count = size(PRUNE_SHARE)
        if done < len(old):
            await outbox.prune(tx, old[done : done + count])
            done += count
            return True
        if await persons.prune_events(tx, now_ts - 30 * DAY, count) == count:
            return True
        await state.put(tx, "housekeeping:last", str(now_ts))
        return False

    return share


async def next_housekeeping(tx: Tx, now: datetime, config: Config) -> datetime | None:
    last = await state.get(tx, "housekeeping:last")
    return from_ts(int(last) + DAY) if last is not None else now


HOUSEKEEPING = Job("housekeeping", housekeeping, next_housekeeping, prune_in_shares)


class Sweep:
    """Runs every job, each in its own transaction so one failure cannot block the others; one
    process at a time when several share a database (`Database.exclusive`)."""

    def __init__(self, db: Database, config: Config, jobs: Sequence[Job], reading: Reading | None = None) -> None:
        self.db = db
        self.config = config
        self.jobs = [*jobs, HOUSEKEEPING]
        self.reading = reading  # what jobs prepare from: the commands' readers, in the app; else the writer
        self.pace = Pace()  # how big each job's shares are, learnt from how long they hold the writer

    async def run(self, now: datetime) -> None:
        # A job's statements may take long (a week of catch-up after downtime, a prune of the
        # outbox) the first time they run, before SQLite's backend has learnt what they cost:
        # until then they go to the database's own thread, so commands are answered meanwhile.
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
            reading = self.reading or self.db.reading
            for job in self.jobs:
                try:
                    write = await job.prepare(reading, now, self.config) if job.prepare is not None else None
                    for _ in range(MAX_SHARES):  # a share a transaction; commands write in between
                        async with self.db.transaction() as tx:
                            began = time.perf_counter()  # (the writer is ours from here: not its wait)
                            with self.pace.sized(job.name):
                                more = await (job.run(tx, now, self.config) if write is None else write(tx))
                            checkpoint("sweep-before-commit", job.name)
                        self.pace.learn(job.name, time.perf_counter() - began, bool(more))
                        if not more:
                            break
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
