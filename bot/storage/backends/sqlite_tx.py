"""The open transaction on SQLite (`sqlite.SqliteDatabase` hands it out), and where its
statements run: on the event loop's own thread, or on aiosqlite's.

A trip to aiosqlite's thread and back costs more than most of the bot's statements take, so a
batch runs on the loop while its statements have been measured quick (`COSTS`, a moving average
per SQL text), and goes to the thread otherwise, so a long one does not hold up the loop. This is
every statement's path: kept apart from the connection's setup and the database's housekeeping
(`sqlite.py`), and kept to the few steps it needs.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import aiosqlite

from bot.storage.db import OFF_LOOP, Params, Row, see_through
from bot.storage.held_back import HeldBack, Statement


class Owner(Protocol):
    """What a transaction counts on its `SqliteDatabase` (named here, not imported: no cycle)."""

    outbox_writes: int
    prompt_writes: int


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
        self, conn: aiosqlite.Connection, begin: str | None = None, db: Owner | None = None, lazy: str = ""
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
