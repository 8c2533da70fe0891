"""Wiring: config, clock, database, registry, dispatcher, scheduler and adapters in one object."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.adapters.base import Adapter
from bot.clock import Clock
from bot.config import Config
from bot.core.dispatch import Dispatcher
from bot.handlers import REGISTRY, checkins
from bot.scheduling.deliver import Deliverer
from bot.scheduling.runner import Scheduler
from bot.scheduling.sweep import Sweep
from bot.storage.db import Database

log = logging.getLogger(__name__)


@dataclass
class App:
    """One organisation's bot: everything adapters need to run commands and deliver messages."""

    config: Config
    clock: Clock
    db: Database
    dispatcher: Dispatcher
    deliverer: Deliverer
    scheduler: Scheduler

    @classmethod
    async def open(cls, config: Config, clock: Clock, db_path: str | None = None) -> App:
        db = await Database.open(db_path or config.database.path, synchronous=config.database.synchronous)
        deliverer = Deliverer(db, clock, config)
        scheduler = Scheduler(clock, config, deliverer)
        sweep = Sweep(db, config)
        scheduler.add_sweep(sweep.run, sweep.next_due)
        dispatcher = Dispatcher(
            db, REGISTRY, config, clock, after_commit=scheduler.kick, plain_handler=checkins.plain_message
        )
        return cls(config, clock, db, dispatcher, deliverer, scheduler)

    def attach(self, adapter: Adapter) -> None:
        """Let the deliverer reach people through this adapter."""
        self.deliverer.attach(adapter)

    async def close(self) -> None:
        await self.scheduler.stop()
        await self.db.close()
