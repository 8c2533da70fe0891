"""What the PostgreSQL backend does to save round trips must not change what anyone reads: a read
transaction begun ahead of time, or left open for the next BEGIN to end, and a read sent before
held-back writes (`backends/postgres.py`, `backends/postgres_tx.py`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from bot.storage.backends import postgres
from bot.storage.backends.postgres import PostgresDatabase
from bot.storage.backends.postgres_tx import PostgresTx
from tests.postgres import fresh_database, opened


@pytest.fixture
async def url() -> AsyncIterator[str]:
    async with fresh_database() as found:
        conn = await asyncpg.connect(found)
        await conn.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, n BIGINT); CREATE TABLE u (id BIGINT PRIMARY KEY)")
        await conn.execute("INSERT INTO t VALUES (1, 0); INSERT INTO u VALUES (1)")
        await conn.close()
        yield found


@pytest.fixture
async def db(url: str) -> AsyncIterator[PostgresDatabase]:
    async with opened(url) as found:
        assert isinstance(found, PostgresDatabase)
        yield found


async def _elsewhere(url: str, statement: str) -> None:
    """Another process writes and commits."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def test_a_reading_right_after_a_commit_sees_what_another_process_committed_in_between(
    db: PostgresDatabase, url: str
) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE t SET n = 1 WHERE id = 1")  # its COMMIT also begins the next reading
    await _elsewhere(url, "UPDATE t SET n = 2 WHERE id = 1")
    async with db.reading() as tx:
        assert await tx.value("SELECT n FROM t WHERE id = 1") == 2


async def test_a_look_right_after_a_reading_sees_what_another_process_committed_in_between(
    db: PostgresDatabase, url: str
) -> None:
    async with db.reading() as tx:
        assert await tx.value("SELECT n FROM t WHERE id = 1") == 0
    await _elsewhere(url, "UPDATE t SET n = 3 WHERE id = 1")
    async with db.single_read() as tx:
        assert await tx.value("SELECT n FROM t WHERE id = 1") == 3
    await _elsewhere(url, "UPDATE t SET n = 4 WHERE id = 1")
    async with db.reading() as tx:
        assert await tx.value("SELECT n FROM t WHERE id = 1") == 4


async def test_a_reading_keeps_one_snapshot_while_others_commit(db: PostgresDatabase, url: str) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE t SET n = 1 WHERE id = 1")
    async with db.reading() as tx:
        assert await tx.value("SELECT n FROM t WHERE id = 1") == 1
        await _elsewhere(url, "UPDATE t SET n = 5 WHERE id = 1")
        assert await tx.value("SELECT n FROM t WHERE id = 1") == 1


async def test_a_read_sees_the_held_back_writes_to_what_it_reads_and_goes_before_the_others(
    db: PostgresDatabase,
) -> None:
    async with db.transaction() as tx:
        assert await tx.value("SELECT n FROM t WHERE id = 1") == 0  # BEGIN and the write lock go with this
        tx.later("UPDATE t SET n = 7 WHERE id = 1")
        assert await tx.value("SELECT COUNT(*) FROM u") == 1
        assert isinstance(tx, PostgresTx) and any("UPDATE t" in sql for _, sql, _ in tx._pending)  # not sent for u
        assert await tx.value("SELECT n FROM t WHERE id = 1") == 7
        tx.later("DELETE FROM u WHERE id = 1")  # a DELETE may cascade anywhere: it goes first
        assert await tx.value("SELECT n FROM t WHERE id = 1") == 7
        assert not tx._pending
    async with db.reading() as tx:
        assert await tx.value("SELECT COUNT(*) FROM u") == 0


async def test_a_read_transaction_left_alone_is_ended(
    db: PostgresDatabase, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres, "IDLE_END", 0.05)
    async with db.reading() as tx:
        await tx.value("SELECT n FROM t WHERE id = 1")
    conn = await asyncpg.connect(url)
    try:
        query = "SELECT state FROM pg_stat_activity WHERE pid = $1"
        pid = db._own_pid
        assert await conn.fetchval(query, pid) == "idle in transaction"  # until the next BEGIN, or quiet
        for _ in range(100):
            await asyncio.sleep(0.02)
            if await conn.fetchval(query, pid) == "idle":
                break
        assert await conn.fetchval(query, pid) == "idle"
        await conn.execute("ALTER TABLE t ADD COLUMN m BIGINT")  # no table lock held any more
    finally:
        await conn.close()


async def _runs(db: PostgresDatabase, text: str) -> int | None:
    """How often the server ran the statement prepared (by name) with this text; None if none is."""
    async with db.reading() as tx:
        rows = await tx.all("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
    found = [row[1] for row in rows if text in row[0]]
    return found[0] if found else None


async def test_a_statement_run_again_is_not_parsed_again(db: PostgresDatabase) -> None:
    for _ in range(3):
        async with db.reading() as tx:
            assert await tx.value("SELECT n FROM t WHERE id = :id", {"id": 1}) == 0
    assert await _runs(db, "SELECT n FROM t WHERE id = $1::bigint") == 3  # one prepared statement, run thrice


async def test_a_held_back_write_seen_before_goes_as_its_prepared_statement(db: PostgresDatabase) -> None:
    for n in range(1, 5):
        async with db.transaction() as tx:
            tx.later("UPDATE t SET n = :n WHERE id = 1", {"n": n})
    # Written in as literals the first time; prepared the second, and run by name from then on.
    assert await _runs(db, "UPDATE t SET n = $1::bigint WHERE id = 1") == 3
    async with db.reading() as tx:
        assert await tx.value("SELECT n FROM t WHERE id = 1") == 4


async def test_a_write_repeated_within_one_transaction_only_is_not_prepared(db: PostgresDatabase) -> None:
    for n in range(1, 4):  # ids written into the text, as a person's summaries are shifted out and in
        async with db.transaction() as tx:
            tx.later(f"UPDATE t SET n = n + :d WHERE id IN ({n})", {"d": -1})
            tx.later(f"UPDATE t SET n = n + :d WHERE id IN ({n})", {"d": 1})
    assert await _runs(db, "UPDATE t SET n = n + $1::bigint WHERE id IN (1)") is None  # never a trip to prepare it
    async with db.reading() as tx:
        assert await tx.value("SELECT n FROM t WHERE id = 1") == 0


async def _rows(db: PostgresDatabase, sql: str) -> list[tuple[object, ...]]:
    async with db.reading() as tx:
        return [tuple(row) for row in await tx.all(sql)]


async def test_statements_are_prepared_again_after_another_process_changes_a_table(
    db: PostgresDatabase, url: str
) -> None:
    assert await _rows(db, "SELECT * FROM t") == [(1, 0)]
    await _elsewhere(url, "ALTER TABLE t ADD COLUMN m BIGINT DEFAULT 9")
    with pytest.raises(asyncpg.InvalidCachedStatementError):  # the one transaction that meets the change
        await _rows(db, "SELECT * FROM t")
    assert await _rows(db, "SELECT * FROM t") == [(1, 0, 9)]
