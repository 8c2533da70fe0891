"""The database: migrations, pragmas, transactions, backups."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.storage.db import Database
from bot.storage.migrate import SchemaTooNew, available


async def test_migrations_are_applied_once_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await db.close()
    db = await Database.open(path)  # a second start applies nothing new
    async with db.reading() as tx:
        rows = await tx.all("SELECT version, name FROM schema_migrations ORDER BY version")
    await db.close()
    assert [(r["version"], r["name"]) for r in rows] == [(m.version, m.name) for m in available()]


async def test_the_pragmas_are_set(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    async with db.reading() as tx:
        assert await tx.value("PRAGMA journal_mode") == "wal"
        assert await tx.value("PRAGMA foreign_keys") == 1
        assert await tx.value("PRAGMA busy_timeout") == 5000
        assert await tx.value("PRAGMA synchronous") == 2  # FULL
    await db.close()


async def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await (await Database.open(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'from_the_future', 0)")
    with pytest.raises(SchemaTooNew, match="999"):
        await Database.open(path)


async def test_a_failing_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO state (key, value) VALUES ('a', 'b')")
            raise RuntimeError("boom")
    async with db.reading() as tx:
        assert await tx.value("SELECT COUNT(*) FROM state") == 0
    await db.close()


async def test_a_savepoint_rolls_back_only_its_own_work(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO state (key, value) VALUES ('kept', '1')")
        with pytest.raises(ValueError):
            async with tx.savepoint():
                await tx.execute("INSERT INTO state (key, value) VALUES ('lost', '1')")
                raise ValueError
    async with db.reading() as tx:
        assert [r["key"] for r in await tx.all("SELECT key FROM state")] == ["kept"]
    await db.close()


async def test_an_online_backup_is_a_consistent_copy_while_writes_go_on(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")

    async def write(n: int) -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO state (key, value) VALUES (:k, 'v')", {"k": f"k{n}"})

    await asyncio.gather(*(write(n) for n in range(50)))
    writer = asyncio.gather(*(write(n) for n in range(50, 100)))
    await db.backup(tmp_path / "copy.sqlite3")
    await writer
    await db.close()
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = copy.execute("SELECT COUNT(*) FROM state").fetchone()[0]
    assert 50 <= count <= 100


async def test_a_commit_cancelled_half_way_is_finished_and_the_cancellation_passes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelling a task during its COMMIT (a shutdown) must neither hide the cancellation behind
    "no transaction is active" nor leave the code believing a committed write was rolled back."""
    from bot.storage.backends import sqlite_tx as db_module

    db = await Database.open(tmp_path / "c.sqlite3")
    slow_commit = db_module._run_batch

    def run_batch(conn: sqlite3.Connection, batch: list[tuple[str, str, object]], fetch: bool, *costs: Any) -> object:
        if any(sql == "COMMIT" for _, sql, _ in batch):
            import time

            time.sleep(0.3)  # on aiosqlite's thread: the COMMIT is under way when the task is cancelled
        return slow_commit(conn, batch, fetch, *costs)

    monkeypatch.setattr(db_module, "_run_batch", run_batch)
    monkeypatch.setitem(db_module.COSTS, "COMMIT", 1.0)  # a slow disk: COMMITs go to the thread

    async def write() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO state (key, value) VALUES ('k', 'v')")

    task = asyncio.create_task(write())
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    monkeypatch.setattr(db_module, "_run_batch", slow_commit)
    async with db.transaction() as tx:  # the connection is usable, not stuck in a transaction
        assert await tx.value("SELECT value FROM state WHERE key = 'k'") == "v"  # the COMMIT went through
    await db.close()


async def test_stopping_the_scheduler_while_a_delivery_commits_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The hang seen about one run in seven: stop() cancelled the delivery round during its COMMIT,
    the ROLLBACK failed with "no transaction is active", and the round took that for an ordinary
    error and waited for the next kick — so stop() waited for ever."""
    from bot.storage.backends import sqlite_tx as db_module
    from tests.console_bot import ConsoleBot

    bot = await ConsoleBot.start(tmp_path / "s.sqlite3")
    commit = db_module._run_batch
    started = asyncio.Event()

    def slow_commit(conn: sqlite3.Connection, batch: list[tuple[str, str, object]], fetch: bool, *costs: Any) -> object:
        if any(sql == "COMMIT" for _, sql, _ in batch):
            import time

            time.sleep(0.3)
        return commit(conn, batch, fetch, *costs)

    async def delivering() -> int:
        async with bot.app.db.transaction() as tx:
            await tx.execute("INSERT INTO state (key, value) VALUES ('round', '1')")
            started.set()
        return 0

    monkeypatch.setattr(db_module, "_run_batch", slow_commit)
    monkeypatch.setitem(db_module.COSTS, "COMMIT", 1.0)  # a slow disk: COMMITs go to the thread
    monkeypatch.setattr(bot.app.deliverer, "deliver_due", delivering)
    bot.app.scheduler.start()
    bot.app.scheduler.kick()
    await asyncio.wait_for(started.wait(), 5)
    await asyncio.sleep(0.05)  # the COMMIT is under way on the database's thread
    await asyncio.wait_for(bot.app.scheduler.stop(), 2)  # a stop waits for a commit, not for a timeout
    monkeypatch.setattr(db_module, "_run_batch", commit)
    assert not [r for r in caplog.records if r.levelname == "ERROR"], "the cancellation was taken for an error"
    async with bot.app.db.reading() as tx:
        assert await tx.value("SELECT value FROM state WHERE key = 'round'") == "1"  # committed, and known to be
    await bot.close()


async def test_a_stop_the_moment_a_tick_starts_is_no_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The timer fires in the same turn of the loop as the stop: the tick's task is created and
    cancelled before it began. It is stopped like any tick, and nothing is logged as an error (a
    deployer's SIGTERM at the wrong moment)."""
    from tests.console_bot import ConsoleBot

    bot = await ConsoleBot.start(tmp_path / "s.sqlite3")
    try:
        bot.app.scheduler.start()  # the first tick is due at once: APScheduler's timer starts it next turn
        await bot.app.scheduler.stop()  # in this turn (`wait_for` would give the timer a turn first)
        await asyncio.sleep(0.1)  # what a cancelled task's callbacks log, they log on later turns
    finally:
        await bot.close()  # an open database's threads would keep pytest from exiting
    assert not [r for r in caplog.records if r.levelname == "ERROR"], [r.getMessage() for r in caplog.records]


async def test_the_first_sweep_starts_at_once_whatever_the_bots_clock_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """APScheduler's timer runs on the wall clock. Given the bot's clock for the first sweep (a
    test's, a benchmark's week on), five years behind, it first counted every 5 s interval it had
    missed since, on the event loop: seconds before the sweep, and 50 ms for a week."""
    from tests.console_bot import ConsoleBot

    bot = await ConsoleBot.start(tmp_path / "s.sqlite3", start=datetime.now(UTC) - timedelta(days=5 * 365))
    swept = asyncio.Event()

    async def sweep() -> None:
        swept.set()

    monkeypatch.setattr(bot.app.scheduler, "sweep", sweep)
    try:
        began = time.perf_counter()
        bot.app.scheduler.start()
        await asyncio.wait_for(swept.wait(), 5)
        assert time.perf_counter() - began < 1
    finally:
        await bot.app.scheduler.stop()
        await bot.close()


async def test_the_end_of_the_first_sweep_is_logged_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """After downtime the first sweep is a catch-up; a deployer (and a benchmark that times
    replies, not the catch-up) sees in the log when it has ended. Later sweeps say nothing."""
    from tests.console_bot import ConsoleBot, make_config

    bot = await ConsoleBot.start(tmp_path / "s.sqlite3", make_config(scheduler={"sweep_seconds": 1}))
    swept = asyncio.Semaphore(0)

    async def sweep() -> None:
        swept.release()

    monkeypatch.setattr(bot.app.scheduler, "sweep", sweep)
    caplog.set_level(logging.INFO, logger="bot.scheduling.runner")
    try:
        bot.app.scheduler.start()
        for _ in range(2):
            await asyncio.wait_for(swept.acquire(), 5)
        await asyncio.sleep(0)  # the second tick's own log line, if it wrote one
    finally:
        await bot.app.scheduler.stop()
        await bot.close()
    assert [r.getMessage() for r in caplog.records if "caught up" in r.getMessage()] == [
        "caught up: the first sweep since start took 0.0 s"
    ]


async def test_the_bot_takes_the_gil_back_from_a_busy_thread_within_a_fifth_of_a_millisecond(tmp_path: Path) -> None:
    """The event loop gives Python's GIL up around every SQLite call; a thread busy in Python (a
    place-name lookup; the pairing round's match, before it moved onto the loop) kept it a whole
    switch interval each time, 5 ms by default, so one command of a dozen statements waited a
    dozen intervals. The bot shortens the interval."""
    import sys

    from bot.app import GIL_SWITCH_SECONDS
    from tests.console_bot import ConsoleBot

    sys.setswitchinterval(0.005)  # CPython's default
    bot = await ConsoleBot.start(tmp_path / "s.sqlite3")
    try:
        assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_SECONDS)
        assert GIL_SWITCH_SECONDS <= 0.0002
    finally:
        await bot.close()
