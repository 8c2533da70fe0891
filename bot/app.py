"""Wiring: config, clock, database, the areas, dispatcher, scheduler and adapters in one object."""

from __future__ import annotations

import contextlib
import logging
import sys
from dataclasses import dataclass, field

from bot import catalog
from bot.clock import Clock
from bot.config import Config
from bot.core.dispatch import Dispatcher
from bot.scheduling.courier import Courier
from bot.scheduling.deliver import Deliverer
from bot.scheduling.runner import Scheduler
from bot.scheduling.sweep import Sweep
from bot.storage import alone
from bot.storage.db import Database
from bot.storage.readers import Readers
from bot.storage.state import AdapterState

log = logging.getLogger(__name__)

#: How long a thread may keep Python's GIL while another waits for it (CPython's default: 5 ms).
#: The event loop's thread gives the GIL up around every SQLite call it makes; a thread busy in
#: Python (a place-name lookup, aiosqlite building thousands of rows; the pairing round's match
#: until it moved onto the loop in slices) then kept it a whole interval each time, and a command
#: of a dozen statements waited a dozen intervals: p99 46–57 ms during a week's catch-up at 5 ms,
#: 5–7 ms at 0.2 ms (bench/backlog.py, docs/performance.md). A forced switch costs microseconds,
#: so the busy thread loses little.
GIL_SWITCH_SECONDS = 0.0002


@dataclass
class App:
    """One organisation's bot: everything adapters need to run commands and deliver messages."""

    config: Config
    clock: Clock
    db: Database
    dispatcher: Dispatcher
    deliverer: Deliverer
    scheduler: Scheduler

    #: The running bot's hold on its SQLite file (`storage.alone`), let go by `close`.
    held: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    @classmethod
    async def open(
        cls, config: Config, clock: Clock, db_path: str | None = None, *, alone_within: float | None = None
    ) -> App:
        """`db_path` is a file or a database URL; by default the config's. `alone_within`: this
        is the running bot's process (`python -m bot run`, `console`), the only one a SQLite file
        may have, and how many seconds it waits for another one to stop before `AlreadyRunning`."""
        sys.setswitchinterval(GIL_SWITCH_SECONDS)  # for the whole process: the loop shares it with threads
        target = config.database.target(db_path)
        held = contextlib.ExitStack()
        if alone_within is not None:
            await alone.hold(held, target, alone_within)
        try:
            db = await Database.open(target, synchronous=config.database.synchronous)
        except BaseException:
            held.close()
            raise
        deliverer = Deliverer(db, clock, config, catalog.relevance(), catalog.delivery_rules(), catalog.views())
        scheduler = Scheduler(clock, config, deliverer)
        readers = Readers(db)  # commands that only look, and the sweep's reads before it writes
        try:
            await readers.open()
        except BaseException:
            await readers.close()
            await db.close()
            held.close()
            raise
        sweep = Sweep(db, config, catalog.jobs(), reading=lambda: readers.reading(heavy=True))
        scheduler.add_sweep(sweep.run, sweep.next_due)
        dispatcher = Dispatcher(db, catalog.catalog(), config, clock, after_commit=scheduler.kick, readers=readers)
        db.watch_outbox(scheduler.kick)  # another process queued something: deliver it soon
        return cls(config, clock, db, dispatcher, deliverer, scheduler, held)

    def attach(self, adapter: Courier) -> None:
        """Let the deliverer reach people through this adapter."""
        self.deliverer.attach(adapter)

    def adapter_state(self, platform: str, namespace: str) -> AdapterState:
        """Where an adapter keeps what it must remember between runs."""
        return AdapterState(self.db, platform, namespace)

    async def close(self) -> None:
        await self.scheduler.stop()
        await self.dispatcher.close()
        await self.db.close()
        self.held.close()
