"""The PostgreSQL backend on a real server: migrations, refusals, and what several processes
sharing one database rely on (each `Database` here stands for one bot process)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from bot.core.messages import Incoming, Sender
from bot.storage import outbox, persons
from bot.storage.backends import postgres_connection
from bot.storage.db import Database, open_database
from bot.storage.migrate import SchemaTooNew, available
from bot.storage.outbox import OutboxMessage
from bot.storage.targets import DatabaseUnavailable
from tests.console_bot import START, ConsoleBot
from tests.postgres import database_url, fresh_database, opened

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def url() -> AsyncIterator[str]:
    async with fresh_database() as found:
        yield found


@pytest.fixture
async def db(url: str) -> AsyncIterator[Database]:
    """One bot process's database, on a fresh PostgreSQL database."""
    async with opened(url) as found:
        yield found


async def test_every_migration_runs_on_postgresql_once_and_is_recorded() -> None:
    async with fresh_database(migrated=False) as url:
        db = await open_database(url)
        await db.close()
        db = await open_database(url)  # a second start applies nothing new
        async with db.reading() as tx:
            rows = await tx.all("SELECT version, name FROM schema_migrations ORDER BY version")
        await db.close()
    assert [(r["version"], r["name"]) for r in rows] == [(m.version, m.name) for m in available()]


async def test_both_backends_end_with_the_same_tables_and_columns(url: str, tmp_path: Path) -> None:
    sqlite = await open_database(tmp_path / "bot.sqlite3")
    postgresql = await open_database(url)
    try:
        tables = await sqlite.tables()
        assert tables == await postgresql.tables()
        async with sqlite.reading() as tx:
            lite = {t: [r["name"] for r in await tx.all(f"PRAGMA table_info({t})")] for t in tables}
        conn = await asyncpg.connect(url)
        rows = await conn.fetch(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name != 'schema_migrations' ORDER BY ordinal_position"
        )
        await conn.close()
        pg: dict[str, list[str]] = {}
        for row in rows:
            pg.setdefault(row[0], []).append(row[1])
        assert pg == lite
    finally:
        await sqlite.close()
        await postgresql.close()


async def test_a_postgresql_database_newer_than_the_code_is_refused(url: str) -> None:
    conn = await asyncpg.connect(url)
    await conn.execute("INSERT INTO schema_migrations VALUES (999, 'from_the_future', 0)")
    await conn.close()
    with pytest.raises(SchemaTooNew, match="999"):
        await open_database(url)


async def test_an_unreachable_server_is_one_clear_line_naming_the_host() -> None:
    with pytest.raises(DatabaseUnavailable, match=r"^can't reach PostgreSQL at 127\.0\.0\.1:9/nothing: "):
        await open_database("postgresql://bot:secret@127.0.0.1:9/nothing")


async def test_a_database_that_does_not_exist_is_named() -> None:
    with pytest.raises(DatabaseUnavailable, match="no_such_database: that database does not exist"):
        await open_database(database_url("no_such_database"))


async def test_a_server_older_than_the_supported_version_is_refused_by_name(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres_connection, "MIN_VERSION", 99)
    with pytest.raises(DatabaseUnavailable, match=r"^PostgreSQL 1\d at .* is too old: this bot needs PostgreSQL 99"):
        await open_database(url)


def test_the_command_line_reports_a_wrong_database_url_in_one_line_without_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "migrate", "--db", "postgresql://bot:secret@127.0.0.1:9/union"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("database error: can't reach PostgreSQL at 127.0.0.1:9/union: ")
    assert len(done.stderr.strip().splitlines()) == 1 and "secret" not in done.stderr
    unknown = subprocess.run(
        [sys.executable, "-m", "bot", "migrate", "--db", "mysql://x@y/z"], cwd=ROOT, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert unknown.returncode == 2 and "unknown database mysql://" in unknown.stderr


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql://bot:secret@db.example:abc/union", "Port could not be cast to integer value as 'abc'"),
        ("postgresql://bot:secret@db.example:99999/union", "Port out of range 0-65535"),
        ("postgresql://bot:secret@[::1/union", "Invalid IPv6 URL"),
    ],
)
def test_a_database_url_that_cannot_be_read_is_one_line_without_the_password(
    url: str, reason: str, tmp_path: Path
) -> None:
    for command in (["migrate", "--db", url], ["backup", "--db", url, str(tmp_path / "copy")]):
        done = subprocess.run(
            [sys.executable, "-m", "bot", *command], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2
        assert done.stderr == (
            f"database error: the database URL can't be read ({reason}); it should look like "
            "postgresql://user:password@host:5432/name\n"
        )


def test_backup_on_postgresql_says_to_use_pg_dump(url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "backup", "--db", url, "copy.dump"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "pg_dump" in done.stderr


async def test_only_one_process_at_a_time_runs_the_sweep(url: str) -> None:
    first, second = await open_database(url), await open_database(url)
    try:
        async with first.exclusive("sweep") as alone:
            assert alone
            async with second.exclusive("sweep") as also:
                assert not also
        async with second.exclusive("sweep") as now_alone:
            assert now_alone
    finally:
        await first.close()
        await second.close()


async def test_a_platform_lease_passes_to_another_process_when_its_holder_dies(url: str) -> None:
    holder, standby = await open_database(url), await open_database(url)
    try:
        lease, other = holder.lease("discord"), standby.lease("discord")
        assert await lease.acquire()
        assert await lease.still_held()
        assert not await other.acquire()
        await holder.close()  # the process dies: its session, and the lock with it, end
        assert await other.acquire()
        assert await other.still_held()
        assert not await lease.still_held()
    finally:
        await standby.close()


async def test_two_processes_given_the_same_platform_event_answer_it_once(url: str) -> None:
    bots = [await ConsoleBot.start(url), await ConsoleBot.start(url)]
    try:
        await bots[0].say("you", '!ask title:"Leaflets" need:2')
        event = Incoming(
            platform="matrix", event_id="$same-event", sender=Sender("matrix", "@ann:x", "ann", None),
            channel_id="!room", private=False, text="!claim 1", at=START,
        )  # fmt: skip
        answers = await asyncio.gather(*(bot.app.dispatcher.handle(event) for bot in bots))
        assert sorted(len(replies) for replies in answers) == [0, 1]
        async with bots[0].app.db.reading() as tx:
            assert await tx.value("SELECT COUNT(*) FROM claims") == 1
    finally:
        for bot in bots:
            await bot.close()


async def test_outbox_rows_are_claimed_by_one_process_and_free_again_after_the_claim_runs_out(url: str) -> None:
    first, second = await open_database(url), await open_database(url)
    try:
        messages = [OutboxMessage(f"k{n}", "note", "body", 100, channel="console:general") for n in range(10)]
        async with first.transaction() as tx:
            await outbox.queue(tx, messages, 100)
        async with first.transaction() as tx:
            mine = await outbox.due(tx, 200, 6, ("console",))
        async with second.transaction() as tx:
            theirs = await outbox.due(tx, 200, 100, ("console",))
        assert len(mine) == 6 and len(theirs) == 4
        assert not {row.key for row in mine} & {row.key for row in theirs}
        async with second.transaction() as tx:
            assert await outbox.due(tx, 200 + outbox.CLAIM_SECONDS - 1, 100, ("console",)) == []
        async with second.transaction() as tx:  # the claimer died without sending: due again
            assert len(await outbox.due(tx, 200 + outbox.CLAIM_SECONDS, 100, ("console",))) == 10
        async with second.transaction() as tx:
            assert await outbox.due(tx, 10**9, 100, ("discord",)) == []  # cannot send there: not taken
            assert await outbox.due(tx, 10**9, 100, ()) == []
    finally:
        await first.close()
        await second.close()


async def test_an_outbox_write_in_one_process_wakes_the_others(url: str) -> None:
    writer, reader = await open_database(url), await open_database(url)
    woken = asyncio.Event()
    reader.watch_outbox(woken.set)
    try:
        before = reader.outbox_writes
        async with writer.transaction() as tx:
            await outbox.queue(tx, [OutboxMessage("k", "note", "body", 100, channel="console:general")], 100)
        await asyncio.wait_for(woken.wait(), 5)
        assert reader.outbox_writes > before
    finally:
        await writer.close()
        await reader.close()


async def test_the_prompt_lanes_claim_commits_at_once_without_waiting_for_the_write_lock(url: str) -> None:
    first, second = await open_database(url), await open_database(url)
    try:
        async with first.transaction() as tx:
            person = await persons.create(tx, "console", "ann", "ann", 100)
            messages = [OutboxMessage(f"k{n}", "note", "body", 100, channel="console:general", caused_by=person.id)
                        for n in range(3)]  # fmt: skip
            await outbox.queue(tx, messages, 100)
        async with first.transaction() as tx:  # another process's command holds the write lock meanwhile
            await tx.execute("UPDATE people SET display_name = 'q'")

            async def claim() -> list[outbox.OutboxRow]:
                async with second.claiming() as claiming:
                    return await outbox.due(claiming, 200, 2, ("console",), prompt=True)

            taken = await asyncio.wait_for(claim(), 5)
        assert len(taken) == 2
        with pytest.raises(RuntimeError):  # a plan that fails keeps what it claimed: the claim runs its course
            async with second.claiming() as claiming:
                assert len(await outbox.due(claiming, 200, 100, ("console",), prompt=True)) == 1
                raise RuntimeError("the plan failed")
        async with first.claiming() as claiming:
            assert await outbox.due(claiming, 200, 100, ("console",), prompt=True) == []
            assert len(await outbox.due(claiming, 200 + outbox.CLAIM_SECONDS, 100, ("console",), prompt=True)) == 3
    finally:
        await first.close()
        await second.close()


async def test_commands_wait_for_the_disk_as_the_server_says_and_the_deliverers_bookkeeping_does_not(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:  # a server told to wait for its standby too: the bot must not weaken that to `on`
        name = await conn.fetchval("SELECT current_database()")
        await conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = remote_apply')
    finally:
        await conn.close()
    db = await open_database(url)
    setting = "SELECT current_setting('synchronous_commit')"
    try:
        async with db.transaction() as tx:
            assert await tx.value(setting) == "remote_apply"
        async with db.transaction(bookkeeping=True) as tx:
            assert await tx.value(setting) == "off"
        async with db.claiming() as tx:
            assert await tx.value(setting) == "off"
        async with db.transaction() as tx:
            assert await tx.value(setting) == "remote_apply"
    finally:
        await db.close()


async def test_a_counted_write_after_held_back_ones_goes_with_them_and_counts_only_its_own_rows(db: Database) -> None:
    async with db.transaction() as tx:
        for n in range(3):
            tx.later("INSERT INTO state (key, value) VALUES (:k, 'old')", {"k": f"k{n}"})
        assert await tx.execute("UPDATE state SET value = 'new' WHERE key IN ('k0', 'k1')") == 2
        assert await tx.execute("UPDATE state SET value = 'x' WHERE key = 'none'") == 0
        tx.later("INSERT INTO state (key, value) VALUES ('k3', 'old')")
        assert await tx.execute("DELETE FROM state WHERE value = 'old'") == 2
    async with db.reading() as tx:
        rows = await tx.all("SELECT key, value FROM state WHERE key LIKE 'k%' ORDER BY key")
    assert [tuple(row) for row in rows] == [("k0", "new"), ("k1", "new")]


async def test_the_prompt_lanes_claim_brings_each_readers_person_and_accounts_once(db: Database) -> None:
    async with db.transaction() as tx:
        ann = await persons.create(tx, "console", "ann", "Ann", 100)
        bo = await persons.create(tx, "console", "bo", "Bo", 100)
        await tx.execute(  # a second account, seen later: listed first
            "INSERT INTO identities (platform, user_id, person_id, display_name, name_key, last_seen_at)"
            " VALUES ('matrix', '@ann:x', :id, 'Ann M', 'ann m', 200)",
            {"id": ann.id},
        )
        messages = [
            OutboxMessage("a1", "note", "body", 100, person_id=ann.id, caused_by=bo.id),
            OutboxMessage("a2", "note", "body", 100, person_id=ann.id, caused_by=bo.id),
            OutboxMessage("b1", "note", "body", 100, person_id=bo.id, caused_by=ann.id),
            OutboxMessage("c1", "note", "body", 100, channel="console:general", caused_by=ann.id),
            OutboxMessage("later", "note", "body", 500, person_id=bo.id, caused_by=ann.id),
        ]
        await outbox.queue(tx, messages, 100)
    async with db.reading() as tx:
        expected = await persons.with_identities(tx, [ann.id, bo.id])
    async with db.claiming() as tx:
        rows, readers = await outbox.prompt_due(tx, 200, 100, ("console", "matrix"))
    assert [row.key for row in rows] == ["a1", "a2", "b1", "c1"]
    assert readers == expected
    assert [account.user_id for account in readers[ann.id][1]] == ["@ann:x", "ann"]
    async with db.claiming() as tx:  # claimed: nobody takes them again before the claim runs out
        assert await outbox.prompt_due(tx, 200, 100, ("console", "matrix")) == ([], {})
