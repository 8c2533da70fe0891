"""Fixtures shared by every test folder.

`bot` runs each conversation test twice: on SQLite (a file in the test's folder) and on
PostgreSQL (the test server's conversation database, emptied first: `tests/postgres.py`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.console_bot import ConsoleBot
from tests.postgres import emptied_database


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Where a test's bot keeps its data: a SQLite file, or a PostgreSQL database URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "bot.sqlite3")
    else:
        yield await emptied_database()


@pytest.fixture
async def bot(database: str) -> AsyncIterator[ConsoleBot]:
    """A fresh bot, clock frozen at Monday 2026-11-23 10:00 Chicago, on each backend in turn."""
    harness = await ConsoleBot.start(database)
    yield harness
    await harness.close()


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
