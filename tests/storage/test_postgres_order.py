"""Text in byte order on PostgreSQL, as SQLite compares it (`bot/storage/backends/postgres_order.py`):
every text column of the bot's, in a new database and in one an older version created."""

from __future__ import annotations

import logging

import asyncpg
import pytest

from bot.storage.backends import dialect, postgres, postgres_order
from tests.postgres import fresh_database, opened

_NOT_IN_BYTE_ORDER = (
    "SELECT table_name || '.' || column_name FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND data_type = 'text' AND collation_name IS DISTINCT FROM 'C'"
)


async def test_every_text_column_of_a_new_database_compares_bytes() -> None:
    async with fresh_database() as url:
        conn = await asyncpg.connect(url)
        try:
            assert [row[0] for row in await conn.fetch(_NOT_IN_BYTE_ORDER)] == []
            texts = await conn.fetchval("SELECT COUNT(*) FROM information_schema.columns WHERE data_type = 'text'"
                                        " AND table_schema = current_schema()")  # fmt: skip
            assert texts > 100  # (the look above saw the bot's tables)
        finally:
            await conn.close()


async def test_a_database_an_older_version_made_is_put_in_byte_order_at_start_and_others_tables_are_not(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Migrated as the bot did before (text in the database's own order), with a table and a
    view of the deployer's beside the bot's; a start then puts every column of the bot's in byte
    order, with its rows, keys and indexes, but the one the view reads (PostgreSQL refuses), and
    leaves the deployer's alone. Once the view is gone, the next start does that one."""
    older = tuple(rule for rule in dialect._DDL if "TEXT" not in rule[0].pattern)
    assert len(older) == len(dialect._DDL) - 1
    async with fresh_database(migrated=False) as url:
        with monkeypatch.context() as patched:
            patched.setattr(dialect, "_DDL", older)

            async def before_byte_order(conn: object) -> int:
                return 0

            patched.setattr(postgres, "byte_order", before_byte_order)
            async with opened(url) as db, db.transaction() as tx:
                await tx.execute(
                    "INSERT INTO people (id, display_name, name_key, created_at, last_seen_at)"
                    " VALUES (1, 'Émile', 'emile', 0, 0)"
                )
                for skill in ("nursing", "négociation", "database", "data-entry"):
                    await tx.execute(
                        "INSERT INTO person_skills (person_id, skill, added_at) VALUES (1, :s, 0)", {"s": skill}
                    )
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("CREATE TABLE deployers_notes (note TEXT)")
            await conn.execute("CREATE VIEW deployers_view AS SELECT region FROM people")
            before = len(await conn.fetch(_NOT_IN_BYTE_ORDER))
            assert before > 100
            with caplog.at_level(logging.WARNING, "bot.storage.backends.postgres_order"):
                async with opened(url) as db, db.reading() as tx:
                    skills = [row[0] for row in await tx.all("SELECT skill FROM person_skills ORDER BY skill")]
                    assert skills == sorted(skills, key=lambda s: s.encode())  # (SQLite's order)
                    # lower() folds ASCII letters only, as SQLite's does (the database's C.UTF-8 folded É too)
                    assert await tx.value("SELECT lower(display_name) FROM people") == "Émile"
            # A column the deployer's view reads cannot change: it stays, the bot starts, and says so.
            assert "people.region keeps the database's own order of text" in caplog.text
            left = sorted(row[0] for row in await conn.fetch(_NOT_IN_BYTE_ORDER))
            assert left == ["deployers_notes.note", "deployers_view.region", "people.region"]
            await conn.execute("DROP VIEW deployers_view")
            assert await postgres_order.byte_order(conn) == 1  # the next start: that column, then nothing
            assert await postgres_order.byte_order(conn) == 0
        finally:
            await conn.close()
