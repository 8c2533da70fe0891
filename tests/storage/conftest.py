"""Fixtures of the storage tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.postgres import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
async def unmigrated(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database nothing has migrated yet, on each backend in turn (for a migration's tests)."""
    if request.param == "sqlite":
        yield str(tmp_path / "bot.sqlite3")
    else:
        async with fresh_database(migrated=False) as url:
            yield url
