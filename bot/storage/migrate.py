"""Numbered schema migrations, applied in order at start and recorded.

Migrations live in `migrations/NNNN_name.sql`, are never edited once released, and each runs in
its own transaction with its row in `schema_migrations`, so a crash mid-upgrade leaves the
database at the previous version. A database newer than this code is refused rather than
guessed at.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import aiosqlite

from bot.clock import SystemClock, to_ts
from bot.storage.fills import Fetch, Write, fill

log = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


class SchemaTooNew(RuntimeError):
    """The database was written by a newer version of the bot."""


class NotOurs(RuntimeError):
    """The database holds another app's tables and none of the bot's (a PaaS's `DATABASE_URL`
    may be another app's database): the bot leaves it as it found it."""

    def __init__(self, tables: str) -> None:
        super().__init__(
            f"it holds another app's tables ({tables}) and none of the bot's; give the bot a database "
            "of its own (--db, DATABASE_URL, database.url or database.path)"
        )


def available() -> list[Migration]:
    """Every migration shipped with the code, in order."""
    found = []
    for entry in resources.files("bot.storage").joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


def refuse_newer(version: int, migrations: list[Migration]) -> None:
    """Refuse a database written by a newer bot (on either backend) rather than guess at it."""
    latest = migrations[-1].version if migrations else 0
    if version > latest:
        raise SchemaTooNew(
            f"the database is at schema version {version} but this bot only knows up to {latest}; "
            "upgrade the bot instead of downgrading the database"
        )


async def current_version(conn: aiosqlite.Connection) -> int:
    """The schema's version; a new file gets the table that records it. A file holding only
    another app's tables is refused before anything is written to it (`NotOurs`)."""
    async with conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY rowid"
    ) as cursor:
        tables = [row[0] for row in await cursor.fetchall()]
    if tables and "schema_migrations" not in tables:
        raise NotOurs(", ".join(tables[:5]) + (", …" if len(tables) > 5 else ""))
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
    )
    async with conn.execute("SELECT MAX(version) FROM schema_migrations") as cursor:
        row = await cursor.fetchone()
    return int(row[0] or 0) if row else 0


async def apply_migrations(conn: aiosqlite.Connection) -> list[int]:
    """Bring the schema up to date; returns the versions applied now."""
    migrations = available()
    version = await current_version(conn)
    refuse_newer(version, migrations)
    applied = []
    pending = [migration for migration in migrations if migration.version > version]
    if pending:
        # A migration's sorts (a rebuilt index of 100,000 contacts' words) go to a temporary file:
        # in memory, as the bot's commands keep theirs, one took the process to 230 MB for good.
        await conn.execute("PRAGMA temp_store = FILE")
    try:
        for migration in pending:
            await _in_transaction(conn, migration)
            log.info("applied migration %04d_%s", migration.version, migration.name)
            applied.append(migration.version)
    finally:
        if pending:
            await conn.execute("PRAGMA temp_store = MEMORY")
    await _in_transaction(conn, None, migrations)
    return applied


async def _in_transaction(
    conn: aiosqlite.Connection, migration: Migration | None, applied: Sequence[Migration] = ()
) -> None:
    """A migration (its SQL, Python steps and row), all or nothing; or, for None, the `applied`
    migrations' Python steps where values are missing (`fills.Fill`)."""
    try:
        # (executescript commits first what is under way: so it opens the transaction here)
        await conn.executescript(f"BEGIN IMMEDIATE;\n{migration.sql if migration else ''}\n;")
        if migration is not None:
            await fill([migration.version], *_sqlite_steps(conn))
            await conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, to_ts(SystemClock().now())),
            )
        else:
            await fill([m.version for m in applied], *_sqlite_steps(conn), missing=True)
        await conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            await conn.execute("ROLLBACK")
        raise


def _sqlite_steps(conn: aiosqlite.Connection) -> tuple[Fetch, Write]:
    async def fetch(sql: str, args: Sequence[object]) -> Iterable[Any]:
        async with conn.execute(sql, args) as cursor:
            return await cursor.fetchall()

    return fetch, conn.executemany
