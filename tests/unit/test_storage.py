"""The database: migrations, pragmas, transactions, backups."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

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
