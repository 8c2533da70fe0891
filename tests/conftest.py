"""Fixtures shared by every test folder.

`bot` runs each conversation test twice: on SQLite (a file in the test's folder) and on
PostgreSQL (the test server's conversation database, emptied first: `tests/postgres.py`).
`statements` records what SQLite is asked, for the tests that check a statement's plan.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.storage.backends import sqlite as backend
from bot.storage.backends import sqlite_tx
from tests.console_bot import ConsoleBot
from tests.postgres import emptied_database


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database with every migration applied, made once for the whole run: each
    test's starts as a copy of it, as PostgreSQL's start emptied (applying the migrations to a new
    file took 70 ms, half a minute over the suite's 500 tests on SQLite)."""
    path = tmp_path_factory.mktemp("migrated") / "bot.sqlite3"

    async def migrate() -> None:
        await (await backend.SqliteDatabase.connect(str(path))).close()

    asyncio.run(migrate())
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path, migrated: Path) -> AsyncIterator[str]:
    """Where a test's bot keeps its data: a SQLite file, or a PostgreSQL database URL."""
    if request.param == "sqlite":
        shutil.copyfile(migrated, tmp_path / "bot.sqlite3")
        yield str(tmp_path / "bot.sqlite3")
    else:
        yield await emptied_database()


@pytest.fixture
async def bot(database: str) -> AsyncIterator[ConsoleBot]:
    """A fresh bot, clock frozen at Monday 2026-11-23 10:00 Chicago, on each backend in turn."""
    harness = await ConsoleBot.start(database)
    yield harness
    await harness.close()


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Every statement the SQLite backend runs from now on (its SQL, and the parameters of its
    first run): SQLite plans from the schema, so `EXPLAIN QUERY PLAN` of these on a small
    database shows the plan a national one gets."""
    seen: dict[str, Any] = {}
    real = sqlite_tx._run_batch

    def recording(conn: sqlite3.Connection, batch: Any, fetch: bool, costs: Any = None) -> Any:
        for kind, sql, params in batch:
            seen.setdefault(sql, params[0] if kind == "many" and params else params)
        return real(conn, batch, fetch, costs)

    monkeypatch.setattr(sqlite_tx, "_run_batch", recording)
    return seen


def pytest_unconfigure(config: pytest.Config) -> None:
    """A test that failed before closing its database keeps it alive (pytest holds the failure's
    frames for its report), and aiosqlite's worker thread for it would keep the interpreter from
    exiting: the run would hang after printing its result, and CI time out instead of failing.
    Whatever is still open at the very end is stopped here."""
    import gc
    import warnings

    import aiosqlite

    for found in gc.get_objects():
        if isinstance(found, aiosqlite.Connection) and found._running:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # (asyncio.get_event_loop() with no loop running)
                found.stop()
