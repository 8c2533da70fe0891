"""Runs scheduled work: the sweep (what became due) and the deliverer (what to send).

In production APScheduler sweeps at start and then every `scheduler.sweep_seconds` (coalesced: a
sweep missed while the process was busy or down runs once, not once per missed interval); the
deliverer runs in its own task, woken by each sweep and at once by a command that queued a
message, so a long backlog being delivered never holds up the next sweep, nor a sweep the
deliverer. The console's `::advance` calls
`run_until()`, which steps the clock through every moment something becomes due and runs the
same `tick()` there, so a week of reminders plays out in order in a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock, MovableClock, SystemClock, from_ts
from bot.config import Config
from bot.scheduling.deliver import Deliverer

log = logging.getLogger(__name__)

Sweep = Callable[[datetime], Awaitable[None]]
NextDue = Callable[[datetime], Awaitable[datetime | None]]


class Scheduler:
    """Sweeps and delivers, on a timer in production or stepwise for the console."""

    def __init__(
        self,
        clock: Clock,
        config: Config,
        deliverer: Deliverer,
        sweeps: list[tuple[Sweep, NextDue]] | None = None,
    ) -> None:
        self.clock = clock
        self.config = config
        self.deliverer = deliverer
        self.sweeps = list(sweeps or [])
        self._wake = asyncio.Event()
        self._aps: AsyncIOScheduler | None = None
        self._waker: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._ticks: set[asyncio.Task[None]] = set()
        self._caught_up = False  # the timer's first sweep has ended (`_timed_tick` says so once)

    def add_sweep(self, sweep: Sweep, next_due: NextDue) -> None:
        self.sweeps.append((sweep, next_due))

    async def tick(self) -> None:
        """One round: find what is due now, then send what is due now."""
        await self.sweep()
        await self.deliverer.deliver_due()

    async def sweep(self) -> None:
        """Find what became due (one sweep at a time; a delivery under way does not hold it up)."""
        async with self._lock:
            now = self.clock.now()
            for sweep, _ in self.sweeps:
                await sweep(now)

    def kick(self) -> None:
        """Something was queued: deliver soon without waiting for the next tick."""
        self._wake.set()

    async def next_event(self, after: datetime) -> datetime | None:
        """The earliest moment after `after` at which a tick would have something to do."""
        candidates: list[datetime] = []
        due = await self.deliverer.next_due()
        if due is not None:
            candidates.append(max(from_ts(due), after + timedelta(seconds=1)))
        for _, next_due in self.sweeps:
            found = await next_due(after)
            if found is not None:
                candidates.append(max(found, after + timedelta(seconds=1)))
        return min(candidates) if candidates else None

    async def run_until(self, clock: MovableClock, target: datetime) -> None:
        """Move the clock to `target`, running every tick that would have happened on the way."""
        await self.tick()
        while True:
            upcoming = await self.next_event(self.clock.now())
            if upcoming is None or upcoming > target:
                break
            clock.set(_minute_ceiling(upcoming))
            await self.tick()
        if self.clock.now() < target:
            clock.set(target)
        await self.tick()

    def start(self) -> None:
        """Run ticks on a timer and deliver promptly when kicked."""
        self._aps = AsyncIOScheduler(timezone="UTC")
        self._aps.add_job(
            self._timed_tick,
            "interval",
            # At once: after downtime, what fell due goes out now. In APScheduler's own time, the
            # wall clock's: a bot's clock set elsewhere (a test's, a benchmark's week on) made it
            # first count every interval missed since that moment, 50 ms on the loop for a week.
            next_run_time=SystemClock().now(),
            seconds=self.config.scheduler.sweep_seconds,
            id="sweep",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )
        self._aps.start()
        self._waker = asyncio.create_task(self._wake_loop(), name="deliver-on-kick")

    async def stop(self) -> None:
        """Stop the timer, then cancel and wait for every round under way, whatever it is doing
        (a transaction cancelled half-way is finished or rolled back: `storage.db`). Returns when
        nothing of the scheduler runs any more."""
        if self._aps is not None:
            # A tick the timer started this very moment has not begun yet: cancelled now, it could
            # not say it was stopped, and APScheduler would log it as the job failing, with a
            # traceback. One turn of the loop and it has begun, like any other tick.
            aps, self._aps = self._aps, None  # (a second stop meanwhile finds it gone)
            aps.pause()
            await asyncio.sleep(0)
            aps.shutdown(wait=False)
        running = [task for task in (self._waker, *self._ticks) if task is not None]
        for task in running:
            task.cancel()
        for task in running:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._waker = None

    async def _timed_tick(self) -> None:
        """A tick run by the timer, kept track of so `stop` can wait for it."""
        task = asyncio.current_task()
        if task is not None:
            self._ticks.add(task)
        try:
            started = time.perf_counter()
            await self.sweep()
            if not self._caught_up:  # what fell due while the bot was down has been found
                self._caught_up = True
                log.info("caught up: the first sweep since start took %.1f s", time.perf_counter() - started)
            self.kick()  # the deliverer runs in its own task: a backlog never holds up the next sweep
        except asyncio.CancelledError:
            # Only `stop` cancels a tick (each sweep job's transaction is committed or rolled
            # back, so the next start resumes it); APScheduler would log it as the job failing.
            log.info("a sweep was stopped part-way; it resumes at the next start")
        finally:
            if task is not None:
                self._ticks.discard(task)

    async def _wake_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self.deliverer.deliver_due()
            except Exception:
                log.exception("delivery round failed; the next tick retries")


def _minute_ceiling(moment: datetime) -> datetime:
    """Ticks happen on minute boundaries, as APScheduler's would."""
    if moment.second == 0 and moment.microsecond == 0:
        return moment
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
