"""Text in byte order on PostgreSQL, as in SQLite, whatever the database's locale.

SQLite compares text byte by byte. A PostgreSQL database compares it by the locale it was
created with: `en_US.UTF-8`, the default of most servers and hosted plans, sorts `database`
before `data-entry` and `négociation` before `nursing`, where SQLite (and a `C` database) sorts
them the other way round; `lower()` and `ILIKE` fold `É` there, and not in SQLite. So the same
command listed skills, interests or regions in another order on each backend. The migrations
give every text column `COLLATE "C"` (`dialect.py`); `byte_order` does the same, at start, for
the columns of a database an older version of the bot created. Only the bot's own tables are
touched (a deployer may keep others in the same schema), and after the first start there is
nothing left to do: one look at the catalog.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import asyncpg

from bot.storage.migrate import available

log = logging.getLogger(__name__)

_CREATED = re.compile(r"\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.I)


def bot_tables() -> set[str]:
    """Every table the bot's migrations create, and its own record of them."""
    return {"schema_migrations"} | {name.lower() for m in available() for name in _CREATED.findall(m.sql)}


async def byte_order(conn: asyncpg.Connection[Any]) -> int:
    """Put the bot's text columns not yet in byte order in it (in the caller's transaction);
    returns how many were. Their indexes are rebuilt with them; the rows are not rewritten. A
    column PostgreSQL will not change (a view of the deployer's reads it) stays as it is, with a
    warning at each start, rather than keeping the bot from starting."""
    columns = await conn.fetch(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND data_type = 'text'"
        " AND collation_name IS DISTINCT FROM 'C' AND table_name = ANY($1::text[])"
        " ORDER BY table_name, ordinal_position",
        sorted(bot_tables()),
    )
    changed = 0
    for table, column in columns:
        try:
            async with conn.transaction():  # (a savepoint: a refusal undoes this column only)
                await conn.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE TEXT COLLATE "C"')
        except asyncpg.PostgresError as refused:
            log.warning("%s.%s keeps the database's own order of text: %s", table, column, refused)
            continue
        changed += 1
    if changed:
        log.info("put %d text columns in byte order, as SQLite compares them", changed)
    return changed
