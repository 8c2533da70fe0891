"""The database: one writer connection, pragmas in one place, one transaction per command.

SQLite through aiosqlite. Every write goes through `transaction()`, which serialises writers
in-process with a lock and takes SQLite's write lock up front (`BEGIN IMMEDIATE`), so two
commands racing for the last slot of an ask see each other's effects and exactly one wins.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.migrate import apply_migrations

log = logging.getLogger(__name__)

Params = Mapping[str, Any] | Sequence[Any]
Row = sqlite3.Row


class Tx:
    """The open transaction handed to storage functions; SQL runs only through here."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._savepoints = 0

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement; returns the number of rows changed."""
        cursor = await self._conn.execute(sql, params)
        count = cursor.rowcount
        await cursor.close()
        return count

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT; returns the new row id."""
        cursor = await self._conn.execute(sql, params)
        rowid = cursor.lastrowid
        await cursor.close()
        if rowid is None:
            raise RuntimeError("INSERT produced no row id")
        return rowid

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        cursor = await self._conn.execute(sql, params)
        row = await cursor.fetchone()
        await cursor.close()
        return row

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        cursor = await self._conn.execute(sql, params)
        rows = await cursor.fetchall()
        await cursor.close()
        return list(rows)

    async def value(self, sql: str, params: Params = ()) -> Any:
        row = await self.one(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested transaction: its effects vanish if the block raises, the outer ones stay."""
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        await self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await self._conn.execute(f"ROLLBACK TO {name}")
            await self._conn.execute(f"RELEASE {name}")
            raise
        else:
            await self._conn.execute(f"RELEASE {name}")
        finally:
            self._savepoints -= 1


class Database:
    """The bot's SQLite file (or `:memory:`)."""

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()

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
        except BaseException:
            await conn.close()
            raise
        return db

    async def _pragmas(self, synchronous: str) -> None:
        if synchronous.upper() not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
            raise ValueError(f"unknown synchronous mode {synchronous!r}")
        for pragma in (
            "PRAGMA journal_mode = WAL",
            f"PRAGMA synchronous = {synchronous.upper()}",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
            "PRAGMA temp_store = MEMORY",
        ):
            await self._conn.execute(pragma)

    async def close(self) -> None:
        await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """One write transaction; commits when the block ends, rolls back if it raises."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Tx]:
        """A consistent read of several queries, without taking the write lock of SQLite."""
        async with self._lock:
            await self._conn.execute("BEGIN")
            try:
                yield Tx(self._conn)
            finally:
                await self._conn.execute("ROLLBACK")

    async def backup(self, target: str | Path) -> None:
        """An online copy of the database, consistent even while the bot writes."""
        async with self._lock:
            dest = sqlite3.connect(str(target))
            try:
                await self._conn.backup(dest)
            finally:
                dest.close()

    async def integrity_check(self) -> str:
        async with self.reading() as tx:
            return str(await tx.value("PRAGMA integrity_check"))
