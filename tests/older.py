"""A database as an older version of the bot kept it, for the tests of a migration: only the
migrations up to a version, on either backend, holding what the test writes there before
today's bot opens (and migrates) it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.storage import migrate
from bot.storage.backends import postgres
from bot.storage.db import Tx
from tests.postgres import fresh_database, opened


@asynccontextmanager
async def stored_at(
    version: int, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: Callable[[Tx], Awaitable[None]]
) -> AsyncIterator[str]:
    """The URL of a `backend` database at schema `version`, in which `write` stored its rows."""
    older = migrate.available()[:version]
    async with fresh_database(migrated=False) if backend == "postgresql" else _file(tmp_path) as url:
        with monkeypatch.context() as patched:  # (both backends' runners read `available`)
            patched.setattr(migrate, "available", lambda: older)
            patched.setattr(postgres, "available", lambda: older)
            async with opened(url) as db, db.transaction() as tx:
                await write(tx)
        yield url


@asynccontextmanager
async def _file(tmp_path: Path) -> AsyncIterator[str]:
    yield str(tmp_path / "bot.sqlite3")
