"""Checkpoints of SQLite's write-ahead log, in the background (`sqlite.SqliteDatabase` starts them).

SQLite's own checkpoint runs inside the COMMIT that takes the write-ahead log past 1,000 pages,
copying them all back into the database and syncing it: 100–300 ms at national scale, on
whichever command is unlucky (a new ask that tells 2,000 people writes that much by itself).
Here a second connection, on its own thread, does it in the background a moment after writes
(PASSIVE: it never blocks the writer or a reader). The writer checkpoints by itself only if the
background ever falls far behind (`AUTOCHECKPOINT_PAGES` in `sqlite.pragmas`).

Copied back is not enough: the log starts over from its beginning only at a write that begins
once everything in it is copied. A sweep catching up on a week writes share after share, about
16,000 pages a second at national scale, so a write was always under way when a checkpoint ended;
the log grew to the writer's limit, and the COMMIT that reached it copied the last 2,000 pages
itself (20–70 ms, twenty times in a catch-up, measured). So once the log is long, the checkpointer
catches up in a few more passes and copies the last few pages while holding the writer's lock
(about a millisecond): no write is under way, and the next one starts the log over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time

import aiosqlite

log = logging.getLogger(__name__)

CHECKPOINT_AFTER = 0.5  # seconds: how long the background checkpointer lets writes gather
#: Seconds, after a checkpoint that found the log long: writes are pouring in (housekeeping's
#: deletes write 40,000 pages a second), and half a second of them would reach the writer's limit.
CHECKPOINT_SOON = 0.1
#: Pages in the log past which a checkpoint also makes the log start over (4 MB; a command writes
#: a few, a share of the sweep about 80).
RESTART_AFTER = 1_000
#: Pages written during a pass that are few enough to copy while holding the writer's lock, if
#: that pass took no longer than `QUICK` seconds (copying a few hundred pages, and syncing the
#: database file, took 1–3 ms here, and 23 ms when the disk was slow to sync).
FEW = 200
QUICK = 0.002
CATCH_UP = 3  # passes without the lock at most, each copying what was written during the last


class Checkpoints:
    """The background checkpointer of one database file: told of each commit by `wrote()`."""

    def __init__(self, writer: asyncio.Lock) -> None:
        self._writer = writer  # held by every write transaction of this process (`SqliteDatabase`)
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
        pages = 0
        while True:
            await self._wrote.wait()
            # Gather a moment of writes into one checkpoint; a shorter one while they pour in.
            await asyncio.sleep(CHECKPOINT_AFTER if pages < RESTART_AFTER else CHECKPOINT_SOON)
            self._wrote.clear()
            try:
                pages = await _checkpoint(conn)
                for _ in range(CATCH_UP):
                    if pages < RESTART_AFTER:
                        break
                    began, written = time.perf_counter(), pages
                    pages = await _checkpoint(conn)
                    if pages - written <= FEW and time.perf_counter() - began <= QUICK:
                        async with self._writer:  # (as quick as the pass before, on the disk as it is now)
                            await _checkpoint(conn)
                        break
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


async def _checkpoint(conn: aiosqlite.Connection) -> int:
    """Copy what it can of the log back into the database; how many pages the log holds."""
    async with conn.execute("PRAGMA wal_checkpoint(PASSIVE)") as cursor:
        row = await cursor.fetchone()
    return int(row[1]) if row is not None else 0
