"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.console_bot import ConsoleBot


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[ConsoleBot]:
    """A fresh bot on its own SQLite file, clock frozen at Monday 2026-11-23 10:00 Chicago."""
    harness = await ConsoleBot.start(tmp_path / "bot.sqlite3")
    yield harness
    await harness.close()
