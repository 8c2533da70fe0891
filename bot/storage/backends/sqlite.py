"""The SQLite backend: one writer connection, pragmas in one place, one transaction per command.

SQLite through aiosqlite, for one bot process on one file (the default; `bot/storage/db.py` is
the interface). Every write goes through `transaction()`, which serialises writers
in-process with a lock and takes SQLite's write lock up front (`BEGIN IMMEDIATE`), so two
commands racing for the last slot of an ask see each other's effects and exactly one wins.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.backends.sqlite_checkpoints import Checkpoints
from bot.storage.db import OFF_LOOP, Database, HeldBack, Lease, Params, Row, Statement, Tx, see_through
from bot.storage.migrate import apply_migrations
from bot.storage.targets import sqlite_path

AUTOCHECKPOINT_PAGES = 20_000  # ≈80 MB of log: only if background checkpoints fall this far behind


class SqliteTx(HeldBack):
    """The open transaction on SQLite.

    Round trips. Every call into aiosqlite is a trip to its thread and back (≈65–90 µs here, more
    than most of our statements take; docs/performance.md). So statements whose outcome nobody
    waits for — the transaction's BEGIN, savepoints and their RELEASE, and writes queued with
    `later()` — are held back and sent, in order, in the same trip as the next statement that
    returns something, or with the COMMIT. A failure among them surfaces there, inside the same
    transaction, which is then rolled back as a whole as before.
    """

    def __init__(
        self, conn: aiosqlite.Connection, begin: str | None = None, db: SqliteDatabase | None = None, lazy: str = ""
    ) -> None:
        super().__init__(begin)
        self._conn = conn
        self._db = db
        self._restore = None  # with `lazy` (the deployer's synchronous): the PRAGMA that puts it back
        if lazy:  # a `bookkeeping` transaction: its COMMIT need not wait for the disk
            self._pending.insert(0, ("one", "PRAGMA synchronous = NORMAL", ()))
            self._restore = f"PRAGMA synchronous = {lazy}"
        self._on_thread = False  # a statement was sent to aiosqlite's thread and not yet answered

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement that returns no rows; returns the number of rows changed."""
        _, count, _ = await self._run(sql, params, fetch=False)
        return count

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT; returns the new row id."""
        _, _, rowid = await self._run(sql, params, fetch=False)
        if rowid is None:
            raise RuntimeError("INSERT produced no row id")
        return rowid

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many rows; like `later()`, it goes out with the next trip."""
        self.later_many(sql, rows)

    async def insert_or_ignore(self, sql: str, params: Params = ()) -> int | None:
        """Run an INSERT OR IGNORE; the new row id, or None when the row was already there."""
        _, count, rowid = await self._run(sql, params, fetch=False)
        return rowid if count > 0 else None

    def outbox_changed(self, *, sooner: bool = True, prompt: bool = False) -> None:
        """Called by the outbox's own writes, so the deliverer can tell "nothing new" without a query."""
        if self._db is not None and sooner:
            self._db.outbox_writes += 1
            self._db.prompt_writes += prompt

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        """The first row of a query (which should return at most a few), or None."""
        rows, _, _ = await self._run(sql, params, fetch=True)
        return next(iter(rows), None)

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        rows, _, _ = await self._run(sql, params, fetch=True)
        return rows

    async def value(self, sql: str, params: Params = ()) -> Any:
        row = await self.one(sql, params)
        return None if row is None else row[0]

    async def _commit(self) -> None:
        """COMMIT. On the database's thread it is seen through: cancelled half-way (a shutdown),
        it still finishes there before the cancellation passes on, so the caller never believes a
        committed write was rolled back. On the loop (measured quick, and not a sweep's, which may
        have written many pages) it is one call nothing can cancel half-way: no task to shield it."""
        if self._begins and len(self._pending) == 1 + (self._restore is not None):
            self._pending = []
            return
        self.later(COMMIT_LAZY if self._restore else COMMIT)
        if self._restore:
            self.later(self._restore)
        batch = self._take(None, ())
        if not OFF_LOOP.get() and _quick(batch):  # a sweep's share may have written many pages
            _run_batch(self._conn._conn, batch, False, COSTS)
        else:
            await see_through(self._there(batch, False))

    async def _rollback(self) -> None:
        """ROLLBACK if a transaction is open — asked on the database's own thread, after whatever
        is still running there, so a COMMIT that finished meanwhile is not "rolled back" into an
        error that would hide the cancellation or failure being handled."""
        if self._rolled_back_here():
            return
        self._pending = []  # cancelled while a statement runs there: roll back after it, there
        await self._conn._execute(_rollback_if_open, self._conn._conn, self._restore)  # type: ignore[no-untyped-call]
        self._begins = False

    def _rolled_back_here(self) -> bool:
        """Roll back on the loop when nothing runs on the database's thread (the usual end of a
        read): no task for `asyncio.shield` to wrap, which costs more than the ROLLBACK."""
        if self._on_thread:
            return False
        self._pending = []
        if not self._begins:
            _rollback_if_open(self._conn._conn, self._restore)
        self._begins = False
        return True

    async def _flush(self) -> None:
        if self._pending:
            await self._run(None, (), fetch=False)

    async def _run(self, sql: str | None, params: Params, *, fetch: bool) -> tuple[list[Row], int, int | None]:
        batch = self._take(sql, params)
        careful = OFF_LOOP.get()
        if _quick(batch, known=careful):
            # Most statements take microseconds: run them here, on the event loop's thread, and
            # skip the trip to aiosqlite's thread and back, which costs more than they do.
            outcome = _run_batch(self._conn._conn, batch, fetch, COSTS)
            if careful:  # a sweep's share sends hundreds in a row: commands' reads go in between
                await asyncio.sleep(0)
            return outcome
        return await self._there(batch, fetch)

    def _take(self, sql: str | None, params: Params) -> list[Statement]:
        """What is held back, and `sql` after it: the batch to send now."""
        batch = self._pending if sql is None else [*self._pending, ("one", sql, params)]
        self._pending, self._begins, self._flushes = [], False, self._flushes + 1
        return batch

    async def _there(self, batch: list[Statement], fetch: bool) -> tuple[list[Row], int, int | None]:
        """The batch on aiosqlite's thread, through `_execute`, what its own methods use (it has no
        public call for that; pinned in pyproject.toml, and every test's transactions use it)."""
        self._on_thread = True
        outcome: tuple[list[Row], int, int | None]
        outcome = await self._conn._execute(_run_batch, self._conn._conn, batch, fetch, COSTS)  # type: ignore[no-untyped-call]
        self._on_thread = False
        return outcome


#: A statement whose recent runs took longer than this (a moving average per SQL text: the same
#: statement costs much the same every time), or a batch whose statements add up to more, runs on
#: the connection's own thread, so a long one (a lead's view, a 2,000-row insert) does not hold up
#: the loop; once a statement that was slow only while the file was cold gets quick, it comes back.
SLOW_AFTER = 0.002
COSTS: dict[str, float] = {}  # SQL text → seconds, moving average of its recent runs
MANY_ON_LOOP = 32  # rows of an executemany still run on the loop
#: A COMMIT waits for the disk, a bookkeeping one does not: two texts, so each has its own measure.
COMMIT = "COMMIT"
COMMIT_LAZY = "COMMIT -- a bookkeeping transaction: not waiting for the disk"
_COMMITS = frozenset((COMMIT, COMMIT_LAZY))
_UNMEASURED = SLOW_AFTER + 1


def _quick(batch: Sequence[Statement], *, known: bool = False) -> bool:
    """Whether a batch may run on the event loop's thread: its statements' measured costs add up
    to under `SLOW_AFTER` (the write-behind's one COMMIT, for a tenth of a second's looks, may hold
    hundreds).

    A COMMIT is judged like any statement, by its measured cost. It goes to the thread until it
    has been measured (its `fsync` may take milliseconds on a slow disk; commands that only read
    go on meanwhile); where the disk syncs in a fraction of a millisecond, it runs here, and a
    command that writes makes no trip to the thread at all (≈80 µs saved, a sixth of a command).
    With `known` (a sweep, a heavy read: `OFF_LOOP`), only statements already measured quick do:
    a job's first statements can take long (a week's catch-up), its later ones are a round trip
    each to the thread (≈80 µs, more than most take) that made a share of 50 check-ins 30 ms."""
    unknown, many = (_UNMEASURED, 0) if known else (0.0, MANY_ON_LOOP)
    total = 0.0
    for kind, sql, rows in batch:  # a loop, not any(): asked before every statement a command sends
        total += COSTS.get(sql, _UNMEASURED if sql in _COMMITS else unknown)
        if total > SLOW_AFTER or (kind == "many" and len(rows) > many):
            return False
    return True


def _rollback_if_open(conn: sqlite3.Connection, restore: str | None = None) -> None:
    if conn.in_transaction:
        _run_batch(conn, [("one", "ROLLBACK", ())], False)
    if restore:  # a `bookkeeping` transaction's PRAGMA went out: the deployer's setting is back
        _run_batch(conn, [("one", restore, ())], False)


def _run_batch(
    conn: sqlite3.Connection, batch: Sequence[Statement], fetch: bool, costs: dict[str, float] | None = None
) -> tuple[list[Row], int, int | None]:
    """Several statements in one go; the last one's outcome. Each one's time joins `costs`. (Every
    statement a command sends passes through here: kept to the few steps it needs.)"""
    cursor, rows, last, clock = conn.cursor(), [], batch[-1] if batch else None, time.perf_counter
    try:
        for statement in batch:
            kind, sql, params = statement
            if kind == "many":
                cursor.executemany(sql, params)
                continue
            started = clock()
            cursor.execute(sql, params)
            if fetch and statement is last:
                rows = cursor.fetchall()
            if costs is not None:
                took, before = clock() - started, costs.get(sql)
                costs[sql] = took if before is None else 0.7 * before + 0.3 * took
        return rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


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
