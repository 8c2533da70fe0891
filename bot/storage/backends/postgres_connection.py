"""A connection to PostgreSQL with the bot's settings, or a one-line reason it cannot be had.

Every connection the PostgreSQL backend opens (the writer, the session that listens and holds
the locks, each reader) comes from `connection()`: each gets rows the areas read as they read
SQLite's (`PgRow`), numbers as SQLite returns them, and the same check of the server's version;
and a deployer whose URL is wrong reads what is wrong (`DatabaseUnavailable`), not asyncpg's
traceback. Kept apart from `postgres.py`, which is about what the bot does once connected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import asyncpg

from bot.storage.targets import DatabaseUnavailable, where

MIN_VERSION = 13  # the oldest PostgreSQL this bot runs on (tested on 16)
CONNECT_TIMEOUT = 10.0


class PgRow(asyncpg.Record):
    """A row: asyncpg's, with `keys()` as a list (the areas test `name in row.keys()`)."""

    def keys(self) -> list[str]:  # type: ignore[override]
        return list(super().keys())


if TYPE_CHECKING:
    Connection = asyncpg.Connection[PgRow]
else:
    Connection = asyncpg.Connection


def _number(text: str) -> int | float:
    """`numeric` (what SUM and AVG return) as SQLite returns it: an int when whole."""
    return float(text) if any(c in text for c in ".eE") or text in ("NaN", "Infinity", "-Infinity") else int(text)


async def _prepare_connection(conn: Connection) -> None:
    await conn.set_type_codec("numeric", encoder=str, decoder=_number, schema="pg_catalog", format="text")


async def connection(url: str) -> Connection:
    """A connection with the bot's settings, or `DatabaseUnavailable` saying what is wrong."""
    place = where(url)
    try:
        conn = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT, record_class=PgRow, statement_cache_size=0)
    except (OSError, TimeoutError) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise DatabaseUnavailable(f"can't reach PostgreSQL at {place}: {reason}") from None
    except asyncpg.InvalidPasswordError:
        raise DatabaseUnavailable(f"PostgreSQL at {place} refused the user name or password") from None
    except asyncpg.InvalidCatalogNameError:
        raise DatabaseUnavailable(f"PostgreSQL at {place}: that database does not exist (create it first)") from None
    except (asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        raise DatabaseUnavailable(f"PostgreSQL at {place} refused the connection: {error}") from None
    version = conn.get_server_version()
    if version.major < MIN_VERSION:
        await conn.close()
        raise DatabaseUnavailable(
            f"PostgreSQL {version.major} at {place} is too old: this bot needs PostgreSQL {MIN_VERSION} or newer"
        )
    await _prepare_connection(conn)
    return conn
