"""The SQLite backend: one writer connection, pragmas in one place, one transaction per command.

SQLite through aiosqlite, for one bot process on one file (the default; `bot/storage/db.py` is
the interface). Every write goes through `transaction()`, which serialises writers
in-process with a lock and takes SQLite's write lock up front (`BEGIN IMMEDIATE`), so two
commands racing for the last slot of an ask see each other's effects and exactly one wins. The
open transaction, and whether its statements run on the event loop or on aiosqlite's thread, is
`sqlite_tx.SqliteTx`.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from bot.storage.backends.sqlite_checkpoints import Checkpoints
from bot.storage.backends.sqlite_tx import SqliteTx, _run_batch
from bot.storage.db import Database, Lease, Tx
from bot.storage.migrate import apply_migrations
from bot.storage.targets import sqlite_path

AUTOCHECKPOINT_PAGES = 20_000  # ≈80 MB of log: only if background checkpoints fall this far behind


def pragmas(synchronous: str) -> list[str]:
    """The writer connection's settings, in one place (the benchmarks' raw baseline uses them too)."""
    if synchronous.upper() not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
        raise ValueError(f"unknown synchronous mode {synchronous!r}")
    return [
        "PRAGMA journal_mode = WAL",
        f"PRAGMA synchronous = {synchronous.upper()}",
        "PRAGMA foreign_keys = ON",
        "PRAGMA busy_timeout = 5000",
        "PRAGMA temp_store = MEMORY",
        "PRAGMA secure_delete = ON",  # deleted data is overwritten, not left in free pages
        f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}",
    ]


async def _connection(path: str) -> aiosqlite.Connection:
    """An aiosqlite connection to `path`, or the error SQLite gave, with no thread left behind.

    When the file cannot be opened (a folder, a read-only one), aiosqlite 0.22 queues its worker
    thread's stop but does not wait for it: the thread then answered into an event loop that
    `asyncio.run` had closed meanwhile, and a deployer saw an "Event loop is closed" traceback
    after the one-line error. Its last job (closing nothing) takes microseconds: wait for it here.
    """
    conn = aiosqlite.connect(path, isolation_level=None, check_same_thread=False)
    try:
        await conn
    except BaseException:
        conn._thread.join()
        raise
    conn.row_factory = sqlite3.Row
    return conn


class SqliteDatabase(Database):
    """The bot's SQLite file (or `:memory:`)."""

    def __init__(self, conn: aiosqlite.Connection, path: str, synchronous: str = "FULL") -> None:
        super().__init__()
        self._conn = conn
        self.path = path
        self._synchronous = synchronous.upper()  # the deployer's (a `bookkeeping` COMMIT puts it back)
        self._lock = asyncio.Lock()
        self._checkpoints = Checkpoints(self._lock)

    @classmethod
    async def connect(cls, target: str, *, synchronous: str = "FULL", migrate: bool = True) -> SqliteDatabase:
        """Open, set the pragmas, and bring the schema up to date."""
        target = sqlite_path(target)
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        conn = await _connection(target)
        db = cls(conn, target, synchronous)
        try:
            await db._pragmas(synchronous)
            if migrate:
                await apply_migrations(conn)
            if target != ":memory:":
                await db._checkpoints.start(target, synchronous)
        except BaseException:
            await db.close()
            raise
        return db

    @classmethod
    async def connect_reader(cls, target: str) -> SqliteDatabase:
        """A second, read-only connection to the same file, for long reads (the dashboard's pages)
        that should not hold the writer's lock while commands wait. WAL lets it read while the
        writer writes; it never migrates, checkpoints or writes."""
        path = sqlite_path(target)
        conn = await _connection(path)
        db = cls(conn, path)
        try:
            for pragma in ("PRAGMA query_only = ON", "PRAGMA busy_timeout = 5000", "PRAGMA temp_store = MEMORY"):
                await conn._execute(_run_batch, conn._conn, [("one", pragma, ())], True)  # type: ignore[no-untyped-call]
        except BaseException:
            await db.close()
            raise
        return db

    async def reader(self) -> SqliteDatabase:
        return await self.connect_reader(self.path)

    async def _pragmas(self, synchronous: str) -> None:
        for pragma in pragmas(synchronous):
            await self._conn._execute(_run_batch, self._conn._conn, [("one", pragma, ())], True)  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await self._checkpoints.stop()  # (`sqlite_checkpoints`: the write-ahead log, in the background)
        await self._conn.close()

    @asynccontextmanager
    async def transaction(self, *, bookkeeping: bool = False) -> AsyncIterator[Tx]:
        """One write transaction; commits when the block ends, rolls back if it raises.

        BEGIN IMMEDIATE goes out with the block's first statement (see `Tx`), so a busy database
        is reported there rather than here; nothing runs against the database before it.
        """
        async with self._lock:
            lazy = self._synchronous if bookkeeping and self._synchronous in ("FULL", "EXTRA") else ""
            tx = SqliteTx(self._conn, "BEGIN IMMEDIATE", self, lazy)
            try:
                yield tx
                await tx._commit()  # a held-back write that fails here rolls back too
            except BaseException:
                await asyncio.shield(tx._rollback())
                raise
            self._checkpoints.wrote()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Tx]:
        """A consistent read of several queries, without taking the write lock of SQLite."""
        async with self._lock:
            tx = SqliteTx(self._conn, "BEGIN")
            try:
                yield tx
            finally:
                if not tx._rolled_back_here():
                    await asyncio.shield(tx._rollback())

    @asynccontextmanager
    async def single_read(self) -> AsyncIterator[Tx]:
        """One query, without the BEGIN and ROLLBACK trips of `reading()`: a lone statement is a
        consistent read by itself. For several queries that must agree, use `reading()`."""
        async with self._lock:
            tx = SqliteTx(self._conn)
            yield tx
            if tx._pending:
                raise RuntimeError("single_read() is for one query; write in a transaction()")

    async def backup(self, target: str | Path) -> None:
        """An online copy of the database, consistent even while the bot writes."""
        async with self._lock:
            dest = sqlite3.connect(str(target))
            try:
                await self._conn.backup(dest)
            finally:
                dest.close()

    async def erase_log(self) -> None:
        """Copy the write-ahead log back and empty it, so what was just deleted (with secure_delete,
        overwritten in the database) is not left behind in the `-wal` file either."""
        if self.path == ":memory:":
            return
        async with self._lock:
            # Through `_run_batch`, which reads the PRAGMA's row and closes its cursor: a statement
            # left open would stop the next command's SAVEPOINT (statements now also run on the loop).
            await self._conn._execute(
                _run_batch, self._conn._conn, [("one", "PRAGMA wal_checkpoint(TRUNCATE)", ())], True
            )  # type: ignore[no-untyped-call]

    async def schema_version(self) -> int:
        """The newest migration applied to this database."""
        async with self.reading() as tx:
            return int(await tx.value("SELECT MAX(version) FROM schema_migrations") or 0)

    async def integrity_check(self) -> str:
        async with self.reading() as tx:
            return str(await tx.value("PRAGMA integrity_check"))

    async def tables(self) -> list[str]:
        async with self.single_read() as tx:
            rows = await tx.all(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
                " AND name != 'schema_migrations' ORDER BY rowid"
            )
        return [row[0] for row in rows]

    async def after_copy(self, tx: Tx) -> None:
        """An INTEGER PRIMARY KEY continues after the largest id by itself (the ids people see,
        after their counters, copied with the rest: `storage/counters.py`), and the bot's plans
        are chosen without statistics (docs/performance.md): nothing to do."""

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        """One process per SQLite file: whatever it runs, it runs alone."""
        yield True

    def lease(self, name: str) -> Lease:
        return _OnlyProcess()


class _OnlyProcess:
    """On SQLite the one bot process holds every platform connection."""

    async def acquire(self) -> bool:
        return True

    async def still_held(self) -> bool:
        return True

    async def release(self) -> None:
        """Nothing to give up."""
