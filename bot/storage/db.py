"""The database: one writer connection, pragmas in one place, one transaction per command.

SQLite through aiosqlite. Every write goes through `transaction()`, which serialises writers
in-process with a lock and takes SQLite's write lock up front (`BEGIN IMMEDIATE`), so two
commands racing for the last slot of an ask see each other's effects and exactly one wins.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.storage.migrate import apply_migrations

log = logging.getLogger(__name__)

Params = Mapping[str, Any] | Sequence[Any]

CHECKPOINT_AFTER = 0.5  # seconds: how long the background checkpointer lets writes gather
AUTOCHECKPOINT_PAGES = 10_000  # ≈40 MB of log: only if background checkpoints fall this far behind
Row = sqlite3.Row


class Tx:
    """The open transaction handed to storage functions; SQL runs only through here.

    Round trips. Every call into aiosqlite is a trip to its thread and back (≈65–90 µs here, more
    than most of our statements take; docs/performance.md). So statements whose outcome nobody
    waits for — the transaction's BEGIN, savepoints and their RELEASE, and writes queued with
    `later()` — are held back and sent, in order, in the same trip as the next statement that
    returns something, or with the COMMIT. A failure among them surfaces there, inside the same
    transaction, which is then rolled back as a whole as before.
    """

    def __init__(self, conn: aiosqlite.Connection, begin: str | None = None, db: Database | None = None) -> None:
        self._conn = conn
        self._db = db
        self._pending: list[_Statement] = [] if begin is None else [("one", begin, ())]
        self._begins = begin is not None  # BEGIN is still waiting in `_pending`
        self._flushes = 0
        self._savepoints = 0

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

    def later(self, sql: str, params: Params = ()) -> None:
        """A write whose outcome the caller does not need: sent with the next statement."""
        self._pending.append(("one", sql, params))

    def later_many(self, sql: str, rows: Iterable[Params]) -> None:
        self._pending.append(("many", sql, list(rows)))

    def outbox_changed(self) -> None:
        """Called by the outbox's own writes, so the deliverer can tell "nothing new" without a query."""
        if self._db is not None:
            self._db.outbox_writes += 1

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

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested transaction: its effects vanish if the block raises, the outer ones stay."""
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        mark, flushes = len(self._pending), self._flushes
        self._pending.append(("one", f"SAVEPOINT {name}", ()))
        try:
            yield
        except BaseException:
            if self._flushes == flushes:  # nothing inside reached the database: just forget it
                del self._pending[mark:]
            else:
                self._pending = [("one", f"ROLLBACK TO {name}", ()), ("one", f"RELEASE {name}", ())]
                await self._flush()
            raise
        else:
            if self._flushes == flushes:
                del self._pending[mark]  # its statements, if any, simply join the outer transaction
            else:
                self.later(f"RELEASE {name}")
        finally:
            self._savepoints -= 1

    async def _commit(self) -> None:
        """COMMIT, and see it through: cancelled half-way (a shutdown), the COMMIT still finishes
        on the database's thread, so it is awaited to the end before the cancellation passes on —
        the caller never believes a committed write was rolled back."""
        if self._begins and len(self._pending) == 1:
            self._pending = []
            return
        self.later("COMMIT")
        committing = asyncio.ensure_future(self._flush())
        try:
            await asyncio.shield(committing)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await committing
            raise

    async def _rollback(self) -> None:
        """ROLLBACK if a transaction is open — asked on the database's own thread, after whatever
        is still running there, so a COMMIT that finished meanwhile is not "rolled back" into an
        error that would hide the cancellation or failure being handled."""
        self._pending = []
        if not self._begins:
            await self._conn._execute(_rollback_if_open, self._conn._conn)  # type: ignore[no-untyped-call]
        self._begins = False

    async def _flush(self) -> None:
        if self._pending:
            await self._run(None, (), fetch=False)

    async def _run(self, sql: str | None, params: Params, *, fetch: bool) -> tuple[list[Row], int, int | None]:
        if not self._pending:  # the common case: one statement, aiosqlite's public calls
            assert sql is not None
            if fetch:
                return list(await self._conn.execute_fetchall(sql, params)), -1, None
            # A finished write needs no close(): sqlite3 resets a statement that ran to the end.
            cursor = await self._conn.execute(sql, params)
            return [], cursor.rowcount, cursor.lastrowid
        batch = self._pending if sql is None else [*self._pending, ("one", sql, params)]
        self._pending = []
        self._begins = False
        self._flushes += 1
        # aiosqlite has no public call for "run this in your thread"; `_execute` is what its own
        # methods use (pinned in pyproject.toml, and every transaction in the tests goes through it).
        outcome: tuple[list[Row], int, int | None]
        outcome = await self._conn._execute(_run_batch, self._conn._conn, batch, fetch)  # type: ignore[no-untyped-call]
        return outcome


_Statement = tuple[str, str, Any]  # ("one" | "many", sql, parameters)


def _rollback_if_open(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.rollback()


R = TypeVar("R")


def written(found: R | None) -> R:
    """A row this transaction has just written, read back: it must be there."""
    if found is None:
        raise RuntimeError("a row written in this transaction is missing")
    return found


def assignments(changes: Mapping[str, object], allowed: Sequence[str]) -> str:
    """`a = :a, b = :b` for an UPDATE of these columns, each of which must be one of `allowed`
    (column names are never taken from input)."""
    unknown = set(changes) - set(allowed)
    if unknown or not changes:
        raise ValueError(f"not columns that may change: {sorted(unknown)}")
    return ", ".join(f"{column} = :{column}" for column in changes)


def like_literal(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (written with `ESCAPE '\\'`)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def record(cls: type[R], row: Row) -> R:
    """A frozen dataclass from a row, by field name (the row may hold more columns)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.init)  # type: ignore[arg-type]
    keys = row.keys()
    return cls(**{name: row[name] for name in names if name in keys})


_FIELDS: dict[type, tuple[str, ...]] = {}


def _run_batch(conn: sqlite3.Connection, batch: Sequence[_Statement], fetch: bool) -> tuple[list[Row], int, int | None]:
    """Several statements in one trip (runs on aiosqlite's thread); the last one's outcome."""
    cursor = conn.cursor()
    try:
        for kind, sql, params in batch:
            if kind == "many":
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
        rows = cursor.fetchall() if fetch else []
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


class Database:
    """The bot's SQLite file (or `:memory:`)."""

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self.outbox_writes = 0  # writes to the outbox, ever (see Tx.outbox_changed)
        self._wrote = asyncio.Event()
        self._checkpointer: aiosqlite.Connection | None = None
        self._checkpoints: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, path: str | Path, *, synchronous: str = "FULL", migrate: bool = True) -> Database:
        """Open, set the pragmas, and bring the schema up to date."""
        target = str(path)
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(target, isolation_level=None)
        conn.row_factory = sqlite3.Row
        db = cls(conn, target)
        try:
            await db._pragmas(synchronous)
            if migrate:
                await apply_migrations(conn)
            if target != ":memory:":
                await db._start_checkpoints(synchronous)
        except BaseException:
            await db.close()
            raise
        return db

    @classmethod
    async def open_reader(cls, path: str | Path) -> Database:
        """A second, read-only connection to the same file, for long reads (the dashboard's pages)
        that should not hold the writer's lock while commands wait. WAL lets it read while the
        writer writes; it never migrates, checkpoints or writes."""
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = sqlite3.Row
        db = cls(conn, str(path))
        try:
            for pragma in ("PRAGMA query_only = ON", "PRAGMA busy_timeout = 5000", "PRAGMA temp_store = MEMORY"):
                await conn.execute(pragma)
        except BaseException:
            await db.close()
            raise
        return db

    async def _pragmas(self, synchronous: str) -> None:
        for pragma in pragmas(synchronous):
            await self._conn.execute(pragma)

    # Checkpoints. SQLite's own checkpoint runs inside the COMMIT that takes the write-ahead log
    # past 1,000 pages, copying them all back into the database and syncing it: 100–300 ms at
    # national scale, on whichever command is unlucky (a new ask that tells 2,000 people writes
    # that much by itself). Here a second connection, on its own thread, does it in the
    # background a moment after writes (PASSIVE: it never blocks the writer or a reader). The
    # writer checkpoints by itself only if the background ever falls far behind.

    async def _start_checkpoints(self, synchronous: str) -> None:
        self._checkpointer = await aiosqlite.connect(self.path, isolation_level=None)
        await self._checkpointer.execute(f"PRAGMA synchronous = {synchronous.upper()}")
        self._checkpoints = asyncio.create_task(self._checkpoint_after_writes(), name="wal-checkpoints")

    async def _checkpoint_after_writes(self) -> None:
        assert self._checkpointer is not None
        while True:
            await self._wrote.wait()
            await asyncio.sleep(CHECKPOINT_AFTER)  # gather a moment of writes into one checkpoint
            self._wrote.clear()
            try:
                await self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as error:
                log.warning("background checkpoint failed (the next one retries): %s", error)

    async def close(self) -> None:
        if self._checkpoints is not None:
            self._checkpoints.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpoints
            self._checkpoints = None
        if self._checkpointer is not None:
            await self._checkpointer.close()
            self._checkpointer = None
        await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """One write transaction; commits when the block ends, rolls back if it raises.

        BEGIN IMMEDIATE goes out with the block's first statement (see `Tx`), so a busy database
        is reported there rather than here; nothing runs against the database before it.
        """
        async with self._lock:
            tx = Tx(self._conn, "BEGIN IMMEDIATE", self)
            try:
                yield tx
                await tx._commit()  # a held-back write that fails here rolls back too
            except BaseException:
                await asyncio.shield(tx._rollback())
                raise
            self._wrote.set()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Tx]:
        """A consistent read of several queries, without taking the write lock of SQLite."""
        async with self._lock:
            tx = Tx(self._conn, "BEGIN")
            try:
                yield tx
            finally:
                await asyncio.shield(tx._rollback())

    @asynccontextmanager
    async def single_read(self) -> AsyncIterator[Tx]:
        """One query, without the BEGIN and ROLLBACK trips of `reading()`: a lone statement is a
        consistent read by itself. For several queries that must agree, use `reading()`."""
        async with self._lock:
            tx = Tx(self._conn)
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
            await self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def schema_version(self) -> int:
        """The newest migration applied to this database."""
        async with self.reading() as tx:
            return int(await tx.value("SELECT MAX(version) FROM schema_migrations") or 0)

    async def integrity_check(self) -> str:
        async with self.reading() as tx:
            return str(await tx.value("PRAGMA integrity_check"))
