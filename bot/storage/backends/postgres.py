"""The PostgreSQL backend: several bot processes on one database (spec §17), through asyncpg.

asyncpg rather than psycopg 3: its rows already are what the areas expect (`row["name"]`,
`row[0]`, slices), it speaks the binary protocol with a cache of prepared statements, and a
statement costs ≈140 µs round trip here against ≈250 µs for psycopg's async connection (both on
a Unix socket, measured with the same query); the testing notes had tried it with pgserver.

How it keeps the rules SQLite gave for free:
- **One writer at a time**, across every process: a write transaction starts by taking a
  transaction-level advisory lock (`WRITE_LOCK`), as SQLite's `BEGIN IMMEDIATE` takes the file's
  write lock. So the areas' read-then-write logic (the last slot of an ask, a one-time code)
  stays correct without a retry loop, and deadlocks cannot happen. Reads take no lock and see a
  consistent snapshot (`REPEATABLE READ` for `reading()`).
- **The outbox shortcut is shared**: a transaction that wrote the outbox sends `NOTIFY` as it
  commits; every process listens, counts it in `outbox_writes` and wakes its deliverer.
- **Session locks** (`exclusive`, `lease`) live on a second connection that also listens; they
  end when the process dies, because its connection does (`docs/postgres.md`).

The areas' SQL is SQLite's; `dialect.translate` rewrites each statement once, and each
parameter takes the type of its value (`dialect.typed`), as in SQLite. The open transaction, and
how it packs statements into few round trips, is `postgres_tx.PostgresTx`; each connection, with
the bot's settings and the deployer's errors, comes from `postgres_connection.connection`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg

from bot.clock import SystemClock, to_ts
from bot.storage.backends.dialect import translate, translate_script
from bot.storage.backends.postgres_connection import Connection, PgRow, connection
from bot.storage.backends.postgres_lease import SessionLease
from bot.storage.backends.postgres_order import byte_order
from bot.storage.backends.postgres_statements import Statements
from bot.storage.backends.postgres_tx import PostgresTx
from bot.storage.db import Database, Lease, Tx, see_through
from bot.storage.fills import fill
from bot.storage.migrate import NotOurs, available, refuse_newer
from bot.storage.targets import BackupUnsupported, where

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "volunteer_bot_outbox"
LOCK_SPACE = 0x766F6C  # "vol": the first key of every advisory lock the bot takes
WRITE_LOCK = 1
READ_BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
IDLE, BEGUN, OPEN = "idle", "begun", "open"  # the connection between transactions (`_rest`)
IDLE_END = 1.0
DURABLE_SETTINGS = ("on", "off", "local", "remote_write", "remote_apply")  # synchronous_commit's values


def lock_key(name: str) -> int:
    """The second key of the advisory lock for `name` (a 32-bit signed integer)."""
    return zlib.crc32(name.encode()) - 2**31


class PostgresDatabase(Database):
    """One PostgreSQL database shared by any number of bot processes."""

    several_processes = True

    def __init__(self, url: str, conn: Connection) -> None:
        super().__init__()
        self.url = url
        self.path = where(url)
        self._conn = conn
        self._lock = asyncio.Lock()
        self._statements = Statements(conn, PgRow)
        self._session: Connection | None = None
        self._session_lock = asyncio.Lock()
        self._own_pid = conn.get_server_pid()
        self._inline = conn.get_settings().standard_conforming_strings == "on"
        self._closing = False
        self._idle = IDLE  # or BEGUN, OPEN: the read transaction the connection is in between transactions
        self._timer: asyncio.TimerHandle | None = None
        self._tidying: asyncio.Future[None] | None = None
        self._durable = "on"  # the server's synchronous_commit, for transactions that wait for the disk

    @classmethod
    async def connect(cls, url: str, *, synchronous: str = "FULL", migrate: bool = True) -> PostgresDatabase:
        """Connect, check the server, bring the schema up to date, and start listening
        (`synchronous` is SQLite's; PostgreSQL's durability is its own `synchronous_commit`)."""
        db = cls(url, await connection(url))
        try:
            if migrate:
                await db._migrate()
            await db._commit_lazily()
            await db._open_session()
        except BaseException:
            await db.close()
            raise
        return db

    @classmethod
    async def connect_reader(cls, url: str) -> PostgresDatabase:
        """Another connection whose transactions are all read-only (the dashboard's pages run in
        parallel with commands on PostgreSQL anyway; this one cannot write by mistake)."""
        conn = await connection(url)
        await conn.execute("SET default_transaction_read_only = on")
        return cls(url, conn)

    async def reader(self) -> PostgresDatabase:
        return await self.connect_reader(self.url)

    # -- transactions ----------------------------------------------------------------------
    # Between transactions the connection is often inside a read transaction already (`_rest`):
    # BEGUN, the next `reading()`'s BEGIN sent with the last COMMIT (no snapshot is taken until
    # a statement runs, so it reads as of then); or OPEN, a `reading()` over, its ROLLBACK held
    # back to go with the next BEGIN. Neither costs a round trip of its own on a command's path.

    def _ending(self) -> str:
        """What ends the read transaction left open, to go in front of a BEGIN."""
        return "" if self._idle == IDLE else "ROLLBACK; "

    @asynccontextmanager
    async def transaction(self, *, bookkeeping: bool = False) -> AsyncIterator[Tx]:
        async with self._lock:
            begin = f"{self._ending()}BEGIN; SELECT pg_advisory_xact_lock({LOCK_SPACE}, {WRITE_LOCK})"
            durable = "" if bookkeeping else f"; SET LOCAL synchronous_commit = {self._durable}"  # (`_commit_lazily`)
            tx = PostgresTx(self, begin + durable)
            try:
                yield tx
                if tx.started:
                    if tx.notify:
                        tx.later(f"NOTIFY {NOTIFY_CHANNEL}")
                    tx.later("COMMIT")
                    if not tx.notify:  # (after queuing a message the deliverer claims next: `claiming`)
                        tx.later(READ_BEGIN)
                    await see_through(tx._flush())  # held-back writes, NOTIFY, COMMIT, BEGIN: one trip
                    if not tx.notify:
                        self._rest(BEGUN)
                    else:
                        self._idle = IDLE
            except BaseException:
                if tx._flushes and not self._conn.is_closed():
                    await see_through(self._rollback())
                raise

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Tx]:
        async with self._lock:
            begun = self._idle == BEGUN
            tx = PostgresTx(self, None if begun else self._ending() + READ_BEGIN)
            tx.read_only = True
            try:
                yield tx
            finally:
                if begun or tx._flushes:
                    self._rest(OPEN)

    @asynccontextmanager
    async def single_read(self) -> AsyncIterator[Tx]:
        async with self._lock:
            if self._idle == OPEN:  # that snapshot is old: a look must see what is there now
                await self._rollback()
            tx = PostgresTx(self)
            tx.read_only = True
            try:
                yield tx
            finally:
                if self._idle == BEGUN:  # the statement ran in it, and took its snapshot
                    self._rest(OPEN)
            if tx._pending:
                raise RuntimeError("single_read() is for one query; write in a transaction()")

    @asynccontextmanager
    async def claiming(self) -> AsyncIterator[Tx]:
        """Each statement commits by itself (`Database.claiming`). After a transaction that
        queued a message the connection is left outside any transaction (`transaction`), so the
        claim that follows is its only round trip; otherwise the read transaction left open is
        ended first. A block that raises leaves what already ran: rows claimed wait out their
        claim, as when a process dies after claiming."""
        async with self._lock:
            if self._idle != IDLE:
                await self._rollback()
            tx = PostgresTx(self)
            yield tx
            if tx.notify:
                tx.later(f"NOTIFY {NOTIFY_CHANNEL}")
            await see_through(tx._flush())

    def _rest(self, state: str) -> None:
        """Leave the connection in `state` between transactions. A read transaction left alone
        for `IDLE_END` seconds is ended (`_tidy`): a quiet bot then holds no snapshot (which would
        keep vacuum from reclaiming rows) and no table lock (which would hold up a migration). It
        is not ended at once in the background: on a busy machine another round trip, even off a
        command's path, costs the commands (measured: p50 and p99 both worse)."""
        self._idle = state
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(IDLE_END, self._quiet)

    def _quiet(self) -> None:
        self._timer = None
        self._tidying = asyncio.ensure_future(self._tidy())

    async def _tidy(self) -> None:
        async with self._lock:
            if self._timer is None and self._idle != IDLE and not self._conn.is_closed():  # else used again
                with contextlib.suppress(asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                    await self._rollback()

    async def _rollback(self) -> None:
        """End a failed transaction (after an error PostgreSQL refuses all but ROLLBACK), or the
        read transaction left open."""
        self._idle = IDLE
        await self._conn.execute("ROLLBACK")

    # -- what several processes share -------------------------------------------------------

    async def _commit_lazily(self) -> None:
        """Outside `transaction()` the connection commits without waiting for the disk: only the
        deliverer's claims commit there (`claiming`), and they are bookkeeping, made again alike
        after a server crash (`Database.transaction`). Each transaction sets the server's own
        setting back (`on`, or whatever the server was told, such as `remote_apply`) in its
        BEGIN, unless it is bookkeeping: no round trip either way."""
        setting = await self._conn.fetchval("SELECT current_setting('synchronous_commit')")
        self._durable = setting if setting in DURABLE_SETTINGS else "on"
        await self._conn.execute("SET synchronous_commit = off")

    async def _open_session(self) -> None:
        """The connection that listens for outbox changes and holds the session locks."""
        session = await connection(self.url)
        await session.add_listener(NOTIFY_CHANNEL, self._notified)
        session.add_termination_listener(self._session_lost)
        self._session = session

    def _notified(self, conn: object, pid: int, channel: str, payload: object) -> None:
        if pid != self._own_pid:
            self._outbox_written_elsewhere()

    def _session_lost(self, conn: object) -> None:
        if self._closing:
            return
        log.warning("lost the PostgreSQL session connection; locks held on it are gone")
        self._outbox_written_elsewhere()  # changes may have been missed: look again

    async def _on_session(self, query: str, *args: object) -> Any:
        async with self._session_lock:
            if self._session is None or self._session.is_closed():
                await self._open_session()
            assert self._session is not None
            return await self._session.fetchval(query, *args)

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        key = lock_key(name)
        held = bool(await self._on_session("SELECT pg_try_advisory_lock($1, $2)", LOCK_SPACE, key))
        try:
            yield held
        finally:
            if held:
                with contextlib.suppress(asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                    await self._on_session("SELECT pg_advisory_unlock($1, $2)", LOCK_SPACE, key)

    def lease(self, name: str) -> Lease:
        return SessionLease(self, LOCK_SPACE, lock_key(name))

    # -- migrations, housekeeping -----------------------------------------------------------

    async def _migrate(self) -> None:
        """Apply the numbered migrations (translated) under a lock, so processes starting at
        once migrate once; each in its own transaction with its row in `schema_migrations`. Then
        fill what older processes left out (`fills.Fill`), with text in byte order (`byte_order`).
        A new database is migrated in one transaction: when it holds another app's tables (a
        PaaS's `DATABASE_URL` may name that app's database), a clash is refused (`NotOurs`) and
        nothing is left behind, not even `schema_migrations`."""
        conn = self._conn
        await conn.execute(f"SELECT pg_advisory_lock({LOCK_SPACE}, 0)")
        try:
            new = not await conn.fetchval(
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"
            )
            async with conn.transaction() if new else contextlib.nullcontext():
                await self._upgrade(conn)
        except (asyncpg.DuplicateTableError, asyncpg.DuplicateObjectError) as clash:
            if not new:
                raise
            raise NotOurs(str(clash)) from None
        finally:
            await conn.execute(f"SELECT pg_advisory_unlock({LOCK_SPACE}, 0)")

    @staticmethod
    async def _upgrade(conn: Connection) -> None:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            ' version BIGINT PRIMARY KEY, name TEXT COLLATE "C" NOT NULL, applied_at BIGINT NOT NULL)'
        )
        version = int(await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))
        migrations = available()
        refuse_newer(version, migrations)
        steps = (  # (`fill`'s)
            lambda sql, args: conn.fetch(translate(sql).sql, *args),
            lambda sql, rows: conn.executemany(translate(sql).sql, rows),
        )
        for migration in migrations:
            if migration.version <= version:
                continue
            async with conn.transaction():
                await conn.execute(translate_script(migration.sql))
                await fill([migration.version], *steps)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    to_ts(SystemClock().now()),
                )
            log.info("applied migration %04d_%s", migration.version, migration.name)
        async with conn.transaction():  # what a process of an older version wrote (`fills.Fill`)
            await byte_order(conn)  # (and the text columns an older version made)
            await fill([m.version for m in migrations], *steps, missing=True)

    async def tables(self) -> list[str]:
        async with self.single_read() as tx:
            rows = await tx.all(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relname != 'schema_migrations'"
                " ORDER BY c.oid"
            )
        return [row[0] for row in rows]

    async def after_copy(self, tx: Tx) -> None:
        """Identity columns do not notice ids given explicitly: move each sequence past them. And
        gather the statistics now, not at autovacuum's next round: a planner that thinks the
        tables empty picks scans that a network of 100,000 cannot afford."""
        identities = await tx.all(
            "SELECT table_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'"
        )
        for row in identities:
            table = row[0]
            await tx.value(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
            )
        await tx.execute("ANALYZE")

    async def schema_version(self) -> int:
        async with self.single_read() as tx:
            return int(await tx.value("SELECT MAX(version) FROM schema_migrations") or 0)

    async def integrity_check(self) -> str:
        """PostgreSQL checks its pages itself (with data checksums on); a query that answers is "ok"."""
        async with self.single_read() as tx:
            return "ok" if await tx.value("SELECT 1") == 1 else "no answer"

    async def erase_log(self) -> None:
        """PostgreSQL keeps a deleted row's old version in the table's files until (auto)vacuum
        reclaims it, and in its write-ahead log until that is recycled; neither is reachable
        through the bot, and a session cannot force them away (docs/postgres.md)."""

    async def backup(self, target: str | Path) -> None:
        raise BackupUnsupported(
            f"backup copies SQLite files; for PostgreSQL use pg_dump, e.g. pg_dump --format=custom "
            f"--file={target} <your DATABASE_URL>"
        )

    async def close(self) -> None:
        self._closing = True
        if self._timer is not None:
            self._timer.cancel()
        if self._tidying is not None:
            self._tidying.cancel()
        for conn in (self._session, self._conn):
            if conn is not None and not conn.is_closed():
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.close(), 5)
        self._session = None
