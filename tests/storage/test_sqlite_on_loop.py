"""Where the SQLite backend runs a statement: on the event loop's thread, or on aiosqlite's.

A trip to aiosqlite's thread and back costs more than most statements, so a command's quick
statements run on the loop. Work that may send long ones (a sweep, a lead's view: `OFF_LOOP`)
sends a statement to the thread until it has been measured quick, then runs it on the loop too,
handing the loop to others after each one, so a share of a sweep is neither a trip per statement
nor a stretch of loop time nobody else gets.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from bot.storage.backends import sqlite_tx as backend
from bot.storage.backends.sqlite import SqliteDatabase
from bot.storage.db import OFF_LOOP

SQL = "SELECT COUNT(*) FROM people WHERE id > :n"


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statements sent to aiosqlite's thread."""
    sent: list[str] = []
    real = backend._run_batch

    def recording(conn: Any, batch: Any, fetch: bool, costs: Any = None) -> Any:
        if threading.current_thread() is not threading.main_thread():
            sent.extend(sql for _, sql, _ in batch)
        return real(conn, batch, fetch, costs)

    monkeypatch.setattr(backend, "_run_batch", recording)
    monkeypatch.setattr(backend, "COSTS", {})
    return sent


async def _count(db: SqliteDatabase) -> int:
    async with db.reading() as tx:
        return int(await tx.value(SQL, {"n": 0}))


async def test_a_command_runs_a_statement_on_the_loop_even_the_first_time(tmp_path: Path, trips: list[str]) -> None:
    db = await SqliteDatabase.connect(str(tmp_path / "bot.sqlite3"))
    try:
        await _count(db)
        assert SQL not in trips
    finally:
        await db.close()


async def test_a_sweep_sends_an_unmeasured_statement_to_the_thread_then_runs_it_on_the_loop(
    tmp_path: Path, trips: list[str]
) -> None:
    db = await SqliteDatabase.connect(str(tmp_path / "bot.sqlite3"))
    token = OFF_LOOP.set(True)
    try:
        await _count(db)
        assert trips.count(SQL) == 1  # not measured yet: it might be long
        await _count(db)
        assert trips.count(SQL) == 1  # measured quick: on the loop

        others = 0

        async def other() -> None:
            nonlocal others
            for _ in range(3):
                others += 1
                await asyncio.sleep(0)

        running = asyncio.create_task(other())
        await _count(db)
        assert others > 0, "the loop goes to others between a sweep's statements"
        await running
        backend.COSTS[SQL] = backend.SLOW_AFTER * 10  # measured slow: the thread again
        await _count(db)
        assert trips.count(SQL) == 2
    finally:
        OFF_LOOP.reset(token)
        await db.close()


async def _write(db: SqliteDatabase, *, bookkeeping: bool = False) -> None:
    async with db.transaction(bookkeeping=bookkeeping) as tx:
        await tx.execute("INSERT INTO state (key, value) VALUES ('k', '1') ON CONFLICT (key) DO UPDATE SET value = '2'")


async def test_a_commit_goes_to_the_thread_until_measured_quick_and_each_kind_is_measured_apart(
    tmp_path: Path, trips: list[str]
) -> None:
    """A COMMIT may wait long for a slow disk: the first goes to the thread, where it is measured;
    measured quick, later ones run on the loop (a command that writes then makes no trip at all),
    except a sweep's, which may have written many pages. A bookkeeping COMMIT, which does not
    wait for the disk, is measured apart: its speed says nothing of the other's."""
    db = await SqliteDatabase.connect(str(tmp_path / "bot.sqlite3"))
    try:
        await _write(db)
        assert trips.count(backend.COMMIT) == 1  # not measured yet: it might wait for a slow disk
        backend.COSTS[backend.COMMIT] = backend.SLOW_AFTER / 10
        await _write(db)
        assert trips.count(backend.COMMIT) == 1  # measured quick: on the loop
        await _write(db, bookkeeping=True)
        assert trips.count(backend.COMMIT_LAZY) == 1  # its own measure, not the other's
        token = OFF_LOOP.set(True)  # a sweep's share: its COMMIT may write many pages
        try:
            await _write(db)
        finally:
            OFF_LOOP.reset(token)
        assert trips.count(backend.COMMIT) == 2
        backend.COSTS[backend.COMMIT] = backend.SLOW_AFTER * 10  # the disk got slow: the thread again
        await _write(db)
        assert trips.count(backend.COMMIT) == 3
        async with db.reading() as tx:
            assert await tx.value("SELECT value FROM state WHERE key = 'k'") == "2"
    finally:
        await db.close()


async def test_a_batch_of_quick_statements_that_adds_up_to_a_slow_one_goes_to_the_thread(
    tmp_path: Path, trips: list[str]
) -> None:
    """Held-back writes go out with the COMMIT: the write-behind's one transaction for many looks
    may hold hundreds. Each is quick, together they are not, and the loop is not held that long."""
    insert = "INSERT INTO state (key, value) VALUES (:k, 'v')"
    db = await SqliteDatabase.connect(str(tmp_path / "bot.sqlite3"))
    try:
        for count in (2, 8):  # 0.5 and 2 times SLOW_AFTER, with the COMMIT
            backend.COSTS[backend.COMMIT] = backend.SLOW_AFTER / 10  # as measured (each run moves it)
            backend.COSTS[insert] = backend.SLOW_AFTER / 4
            async with db.transaction() as tx:
                for n in range(count):
                    tx.later(insert, {"k": f"{count}-{n}"})
        assert trips.count(insert) == 8  # only the second batch went to the thread
        async with db.reading() as tx:
            assert await tx.value("SELECT COUNT(*) FROM state") == 10
    finally:
        await db.close()
