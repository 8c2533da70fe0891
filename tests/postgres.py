"""A real PostgreSQL for the tests: started from the `pgserver` wheel (PostgreSQL 16 binaries,
no Docker, no system package), or the server named by `VOLUNTEER_BOT_TEST_POSTGRES` (a
`postgresql://` URL of a user allowed to create databases).

A test that needs a database of its own gets one copied from a template migrated once per
session (`CREATE DATABASE … TEMPLATE`, ≈0.1–0.2 s, dropped afterwards). The conversation tests,
run one after another, share one database emptied before each: every row deleted and every
sequence restarted, in one script (≈25 ms; ids start at 1 again, as in a new file). `TRUNCATE`
did the same in ≈220 ms, since it gives each of the 44 tables new files on disk, and with about
570 tests on PostgreSQL that was two minutes of every run.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.storage.db import Database, open_database

ENV = "VOLUNTEER_BOT_TEST_POSTGRES"
_numbers = itertools.count()
_template: str | None = None


@cache
def server_url() -> str:
    """The server's URL (its maintenance database), starting the bundled server on first use."""
    given = os.environ.get(ENV)
    if given:
        return given
    import pgserver

    folder = tempfile.mkdtemp(prefix="volunteer-bot-pg-")
    server = pgserver.get_server(folder, cleanup_mode="delete")  # 130 MB a run, else left in /tmp
    return str(server.get_uri())


def database_url(name: str) -> str:
    """The URL of database `name` on the test server."""
    parts = urlsplit(server_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _admin(statement: str) -> None:
    conn = await asyncpg.connect(server_url())
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def create_database(*, migrated: bool = True) -> str:
    """A new, empty database (migrated, unless asked not to); returns its URL."""
    global _template
    name = f"vb_{os.getpid()}_{next(_numbers)}_{uuid.uuid4().hex[:6]}"
    if migrated and _template is None:
        template = f"vb_template_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        await _admin(f"CREATE DATABASE {template}")
        await (await open_database(database_url(template))).close()
        _template = template
    source = f" TEMPLATE {_template}" if migrated else ""
    await _admin(f"CREATE DATABASE {name}{source}")
    return database_url(name)


async def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    await _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_shared: str | None = None
_emptying: str | None = None  # the script that empties it, made once
_seeded: dict[str, list[asyncpg.Record]] = {}  # rows the migrations themselves wrote


async def emptied_database() -> str:
    """The shared conversation-test database, emptied (only one test may use it at a time) and
    given back what the migrations wrote (`id_counters`)."""
    global _shared, _emptying
    if _shared is None:
        _shared = await create_database()
    conn = await asyncpg.connect(_shared)
    try:
        if _emptying is None:
            _emptying = await _emptying_script(conn)
        try:
            await conn.execute(_emptying)
        except asyncpg.InsufficientPrivilegeError:  # a server of the deployer's, not a superuser
            tables = [row[0] for row in await conn.fetch(_TABLES)]
            _emptying = f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"
            await conn.execute(_emptying)
        for table, rows in _seeded.items():
            await conn.copy_records_to_table(table, records=[tuple(row) for row in rows], columns=list(rows[0].keys()))
    finally:
        await conn.close()
    return _shared


async def _emptying_script(conn: asyncpg.Connection) -> str:
    """Delete every row (foreign keys unchecked meanwhile: all of them go) and restart every
    sequence, in one transaction; noting first the rows the migrations wrote, to put back."""
    tables = [row[0] for row in await conn.fetch(_TABLES)]
    for table in tables:
        if rows := await conn.fetch(f"SELECT * FROM {table}"):
            _seeded[table] = rows
    sequences = await conn.fetch("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
    steps = ["BEGIN", "SET LOCAL session_replication_role = replica"]
    steps += [f"DELETE FROM {table}" for table in tables]
    steps += [f"ALTER SEQUENCE {row[0]} RESTART" for row in sequences]
    return "; ".join([*steps, "COMMIT"])


_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename != 'schema_migrations'"


@asynccontextmanager
async def fresh_database(*, migrated: bool = True) -> AsyncIterator[str]:
    url = await create_database(migrated=migrated)
    try:
        yield url
    finally:
        await drop_database(url)


@asynccontextmanager
async def opened(url: str) -> AsyncIterator[Database]:
    """The bot's database at `url` (a SQLite file or a PostgreSQL URL), closed at the end."""
    found = await open_database(url)
    try:
        yield found
    finally:
        await found.close()
