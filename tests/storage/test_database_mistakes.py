"""A database setting that names the wrong thing — a folder, another app's database, one the bot
never ran on — is said in one line and changes nothing, on each backend."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import asyncpg
import pytest

from bot.storage.copy import CopyRefused, copy_database
from bot.storage.db import open_database
from bot.storage.problems import DatabaseProblem, database_errors
from tests.postgres import fresh_database

ROOT = Path(__file__).resolve().parents[2]


def _workers() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if "_connection_worker_thread" in thread.name]


async def test_a_database_that_cannot_be_opened_leaves_no_thread_behind(tmp_path: Path) -> None:
    """aiosqlite's worker thread, left running after a failed connect, answered into the event
    loop `asyncio.run` had closed: an "Event loop is closed" traceback after the one-line error."""
    before = _workers()
    with pytest.raises(DatabaseProblem) as said:
        async with database_errors(str(tmp_path)):
            await open_database(str(tmp_path))
    assert _workers() == before
    assert str(said.value) == (
        f"database error: {tmp_path} is a folder, not a database file; name a file in it, like "
        f"{tmp_path / 'volunteer-bot.sqlite3'}"
    )


async def _foreign(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE people (id text PRIMARY KEY, name text); CREATE TABLE outbox (x int)")
    finally:
        await conn.close()


async def _tables(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    finally:
        await conn.close()
    return {row[0] for row in rows}


def _bot(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, input=""
    )


async def test_another_apps_postgresql_database_is_refused_in_one_line_and_left_as_it_was() -> None:
    async with fresh_database(migrated=False) as url:
        await _foreign(url)
        result = _bot("migrate", "--db", url)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("database error: "), result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        assert 'holds another app\'s tables (relation "people" already exists)' in result.stderr
        assert "give the bot a database of its own" in result.stderr
        assert await _tables(url) == {"people", "outbox"}  # not even schema_migrations


async def test_another_apps_sqlite_file_is_refused_in_one_line_and_gets_no_table(tmp_path: Path) -> None:
    file = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(file) as conn:
        conn.execute("CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT)")
    conn.close()
    result = _bot("migrate", "--db", str(file))
    assert result.returncode == 2
    assert result.stderr == (
        f"database error: {file}: it holds another app's tables (people) and none of the bot's; give the bot a "
        "database of its own (--db, DATABASE_URL, database.url or database.path)\n"
    )
    with sqlite3.connect(file) as conn:
        assert [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["people"]
    conn.close()


async def test_a_postgresql_database_the_bot_never_ran_on_is_not_copied_as_a_network(tmp_path: Path) -> None:
    async with fresh_database(migrated=False) as url:
        with pytest.raises(CopyRefused, match="holds no network \\(the bot never ran on it\\)"):
            await copy_database(url, str(tmp_path / "copy.sqlite3"))
        assert await _tables(url) == set()  # not migrated by the look


async def test_an_empty_sqlite_file_is_not_copied_as_a_network(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    with pytest.raises(CopyRefused, match=f"{empty} holds no network"):
        await copy_database(str(empty), str(tmp_path / "copy.sqlite3"))


async def test_copying_from_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(CopyRefused) as refused:
        await copy_database(str(tmp_path), str(tmp_path / "copy.sqlite3"))
    assert str(refused.value) == (
        f"{tmp_path} is a folder, not a database file; name a file in it, like "
        f"{tmp_path / 'volunteer-bot.sqlite3'}; --from names the database to copy"
    )
