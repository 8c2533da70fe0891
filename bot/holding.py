"""Each platform connection in one process at a time, with failover (spec §17).

Several bot processes may share one PostgreSQL database, but a Discord gateway session or a
Matrix sync loop must run in one of them only. Each adapter is started under a *lease*
(`Database.lease`: a session lock on PostgreSQL, always granted on SQLite): the process that
gets it starts the adapter and renews the lease every `RENEW_SECONDS`; the others try again
every `RETRY_SECONDS`, so one of them takes over within that time after the holder dies (its
database session ends with it, and with the session the lock). A holder that can no longer renew
stops its adapter and ends the process with an error (`LeaseLost`), so whatever supervises it
restarts it as a stand-by rather than two processes answering the same room.

Only the holder sends through the platform: an adapter joins the deliverer when it has started,
so a stand-by process never claims a message it could not send.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot import platforms
from bot.adapters.base import Adapter
from bot.app import App
from bot.storage.db import Lease

log = logging.getLogger(__name__)

RENEW_SECONDS = 10.0
RETRY_SECONDS = 5.0


class LeaseLost(RuntimeError):
    """This process can no longer prove it holds a platform connection."""


class Holder:
    """Holds one adapter's lease and runs the adapter while it is held."""

    def __init__(self, app: App, adapter: Adapter, name: str) -> None:
        self.app = app
        self.adapter = adapter
        self.name = name
        self.lease: Lease = app.db.lease(name)
        self.running = False
        self._task: asyncio.Task[None] | None = None
        app.deliverer.adapters.pop(adapter.platform, None)  # joins the deliverer once started

    async def start(self, failed: asyncio.Future[BaseException | None]) -> None:
        """Start the adapter now if the lease is free (a refused login or an unreachable server
        raises here, as before: `platforms.start`); otherwise stand by in the background. `failed`
        gets the error that must end the process (a lease lost, a takeover that failed)."""
        if await self.lease.acquire():
            await self._run_adapter()
        else:
            log.info("standing by: another process holds %s", self.name)
        self._task = asyncio.create_task(self._keep(failed), name=f"lease-{self.name}")

    async def _run_adapter(self) -> None:
        await platforms.start(self.adapter, self.app.config)
        self.app.attach(self.adapter)
        self.running = True
        log.info("holding %s", self.name)

    async def _keep(self, failed: asyncio.Future[BaseException | None]) -> None:
        try:
            while True:
                await asyncio.sleep(RENEW_SECONDS if self.running else RETRY_SECONDS)
                if self.running:
                    if not await self.lease.still_held():
                        raise LeaseLost(f"lost the lease on {self.name}; stopping so another process takes over")
                elif await self.lease.acquire():
                    log.info("taking over %s", self.name)
                    await self._run_adapter()
        except asyncio.CancelledError:
            raise
        except BaseException as error:
            if not failed.done():
                failed.set_result(error)

    async def stop(self) -> None:
        """Stop the adapter (if it ran) and give the lease up, so a stand-by takes over at once."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.running:
            self.app.deliverer.adapters.pop(self.adapter.platform, None)
            await self.adapter.stop()
            self.running = False
        with contextlib.suppress(Exception):
            await self.lease.release()


def settle(stopping: asyncio.Future[BaseException | None]) -> None:
    """End the run without an error (SIGTERM: systemd and PaaS stop the bot this way)."""
    if not stopping.done():
        stopping.set_result(None)
