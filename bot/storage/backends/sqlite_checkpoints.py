"""Checkpoints of SQLite's write-ahead log, in the background (`sqlite.SqliteDatabase` starts them).

SQLite's own checkpoint runs inside the COMMIT that takes the write-ahead log past 1,000 pages,
copying them all back into the database and syncing it: 100–300 ms at national scale, on
whichever command is unlucky (a new ask that tells 2,000 people writes that much by itself).
Here a second connection, on its own thread, does it in the background a moment after writes
(PASSIVE: it never blocks the writer or a reader). The writer checkpoints by itself only if the
background ever falls far behind (`AUTOCHECKPOINT_PAGES` in `sqlite.pragmas`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3

import aiosqlite

log = logging.getLogger(__name__)

CHECKPOINT_AFTER = 0.5  # seconds: how long the background checkpointer lets writes gather


class Checkpoints:
    """The background checkpointer of one database file: told of each commit by `wrote()`."""

    def __init__(self) -> None:
        self._wrote = asyncio.Event()
        self._conn: aiosqlite.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, path: str, synchronous: str) -> None:
        self._conn = await aiosqlite.connect(path, isolation_level=None)
        await self._conn.execute(f"PRAGMA synchronous = {synchronous.upper()}")
        self._task = asyncio.create_task(self._after_writes(self._conn), name="wal-checkpoints")

    def wrote(self) -> None:
        self._wrote.set()

    async def _after_writes(self, conn: aiosqlite.Connection) -> None:
        while True:
            await self._wrote.wait()
            await asyncio.sleep(CHECKPOINT_AFTER)  # gather a moment of writes into one checkpoint
            self._wrote.clear()
            try:
                await conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as error:
                log.warning("background checkpoint failed (the next one retries): %s", error)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
