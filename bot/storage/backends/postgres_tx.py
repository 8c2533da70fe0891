"""The open transaction on PostgreSQL (`postgres.PostgresDatabase` hands it out): what it holds
back, and how the held-back statements travel in as few round trips as they can.

Each round trip costs the server process being scheduled and the answer coming back, which
in-process SQLite never waits for; on a busy machine that is most of a command's time. So BEGIN,
the write lock, savepoints, `later()` writes, NOTIFY and COMMIT are written in as literals (a write
an earlier transaction wrote too as `EXECUTE` of its prepared statement, `postgres_statements`) and
go together as one simple query, with the next statement that returns something or at the end.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol, TypeVar

import asyncpg

from bot.storage.backends.dialect import CHANGES, Translated, execute_prepared, inline, translate, typed
from bot.storage.backends.postgres_statements import Statements
from bot.storage.db import Params, Row
from bot.storage.held_back import HeldBack, Statement

#: At most this many rows of one `later_many()` go written in with the other held-back statements
#: (a command's few outbox rows); more (an ask telling 2,000 people) go as one prepared batch.
INLINED_ROWS = 20

T = TypeVar("T")


class Owner(Protocol):
    """What a transaction uses of its `PostgresDatabase` (named here, not imported: no cycle)."""

    outbox_writes: int
    prompt_writes: int
    _conn: Any
    _inline: bool  # whether values may be written in as literals (standard_conforming_strings)
    _statements: Statements


class PostgresTx(HeldBack):
    """The open transaction on PostgreSQL. Like SQLite's, it holds back what nobody waits for
    (BEGIN, savepoints, `later()` writes) and sends it just before the next statement."""

    several_processes = True

    def __init__(self, db: Owner, begin: str | None = None) -> None:
        super().__init__(begin)
        self._db = db
        self._conn = db._conn
        self._changes = 0
        self.notify = False
        self._number = db._statements.transaction()

    async def execute(self, sql: str, params: Params = ()) -> int:
        if self._pending and _writes(sql):  # last of the held-back batch: its row count is the batch's
            self.later(sql, params)
            await self._flush()
            return self._changes
        translated = translate(sql)
        await self._flush(translated)
        statement, args = await self._prepared(translated, params)
        await self._run(statement.fetch(*args))
        return self._counted(statement.get_statusmsg())

    async def insert(self, sql: str, params: Params = ()) -> int:
        found = await self._returning_id(sql, params)
        if found is None:
            raise RuntimeError("INSERT produced no row id")
        return found

    async def insert_or_ignore(self, sql: str, params: Params = ()) -> int | None:
        return await self._returning_id(sql, params)

    async def _returning_id(self, sql: str, params: Params) -> int | None:
        translated = translate(f"{sql} RETURNING id")
        await self._flush(translated)
        statement, args = await self._prepared(translated, params)
        rows = await self._run(statement.fetch(*args))
        self._changes = len(rows)
        return int(rows[0][0]) if rows else None

    def outbox_changed(self, *, sooner: bool = True, prompt: bool = False) -> None:
        """Counted (and announced to the other processes) only when it can make something due
        sooner: a row marked sent or dropped changes nothing the deliverer's next look would find,
        and then its look between two messages of a backlog is skipped."""
        if sooner:
            self._db.outbox_writes += 1
            self._db.prompt_writes += prompt
            self.notify = True

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        translated = translate(sql)
        await self._flush(translated)
        statement, args = await self._prepared(translated, params)
        rows: list[Row] = await self._run(statement.fetch(*args))
        return rows

    @property
    def started(self) -> bool:
        """Whether anything of this transaction reached the database."""
        return not (self._begins and len(self._pending) == 1)

    async def _flush(self, before: Translated | None = None) -> None:
        """Send what was held back, before the statement `before` (None: before COMMIT or
        ROLLBACK TO). Statements whose values can be written in as literals travel together in
        one simple query (one round trip for BEGIN, the write lock, savepoints and `later()`
        writes); the rest go one by one as prepared statements.

        A read need not wait for savepoints, nor for INSERTs and UPDATEs of tables it does not
        name: it goes first, and they wait for the next write or the COMMIT (a command's
        savepoint and the record of who spoke, taken before its handler reads anything, cost no
        trip of their own). Such a read cannot see the difference (the schema has no triggers,
        and only a DELETE cascades), nor change what a savepoint would undo; the SQL that can
        fail and be caught inside a savepoint is a write, which sends everything before it."""
        if not self._pending:
            return
        if before is not None and _passes(before, self._pending) and not self._begins:
            return
        batch, self._pending = self._pending, []
        self._begins = False
        self._flushes += 1
        scripts: list[tuple[str, bool]] = []  # (statement, whether it writes rows)
        for kind, sql, params in batch:
            if kind == "one" and not params and not _writes(sql):  # BEGIN, savepoints, NOTIFY
                scripts.append((translate(sql).sql, False))
                continue
            written = await self._inlined(kind, sql, params)
            if written is not None:
                scripts += [(statement, _writes(sql)) for statement in written]
                continue
            await self._send(scripts, changes=False)
            scripts = []
            if kind == "many":
                translated = translate(sql)
                rows = [translated.arguments(row, self._changes) for row in params]
                if rows:
                    kinds = tuple(type(value) for value in rows[0])
                    statement = await self._db._statements.get(typed(translated.sql, kinds))
                    await self._run(statement.executemany(rows))
            else:
                statement, args = await self._prepared(translate(sql), params)
                await self._run(statement.fetch(*args))
                self._counted(statement.get_statusmsg())
        await self._send(scripts, changes=before is not None and CHANGES in before.params)

    async def _inlined(self, kind: str, sql: str, params: Any) -> list[str] | None:
        """A held-back write with its values written in (for `many`, one statement a row, when
        there are a few: the outbox rows a command queued), or None when it must be sent on its
        own. A write an earlier transaction wrote too goes as `EXECUTE` of its prepared
        statement, which the server need not plan again (`postgres_statements`); one with a NULL
        value is written out, as its parameter's type would be left for the server to guess."""
        rows = [params] if kind == "one" else params
        if not rows:
            return []
        if not self._db._inline or len(rows) > INLINED_ROWS:
            return None
        translated = translate(sql)
        written = []
        for row in rows:
            args = translated.arguments(row, self._changes)
            typed_sql = typed(translated.sql, tuple(type(value) for value in args))
            prepared = None
            if not any(value is None for value in args):
                prepared = await self._db._statements.for_write(typed_sql, self._number)
            statement = inline(typed_sql, args) if prepared is None else execute_prepared(prepared.get_name(), args)
            if statement is None:
                return None
            written.append(statement)
        return written

    async def _send(self, scripts: list[tuple[str, bool]], *, changes: bool) -> None:
        """Statements as one simple query. Only the last one's row count comes back, so when
        the next statement asks for `changes()` (the last write among them) and something else
        follows that write (a SAVEPOINT), the batch is sent in two parts."""
        if not scripts:
            return
        writes = [index for index, (_, write) in enumerate(scripts) if write]
        parts = [scripts]
        if changes and writes and writes[-1] != len(scripts) - 1:
            parts = [scripts[: writes[-1] + 1], scripts[writes[-1] + 1 :]]
        for part in parts:
            status = await self._conn.execute("; ".join(sql for sql, _ in part))
            self._counted(status if part[-1][1] else None)

    async def _prepared(self, translated: Translated, params: Params) -> tuple[Any, list[object]]:
        args = translated.arguments(params, self._changes)
        statement = await self._db._statements.get(typed(translated.sql, tuple(type(value) for value in args)))
        return statement, args

    async def _run(self, running: Awaitable[T]) -> T:
        """A prepared statement's result; when the schema changed under the prepared statements
        (another process migrated), they are all prepared again from the next use on."""
        try:
            return await running
        except asyncpg.InvalidCachedStatementError:
            self._db._statements.forget()
            raise

    def _counted(self, status: str | None) -> int:
        """Rows changed, from a command tag like `UPDATE 3` or `INSERT 0 1`."""
        status = status or ""
        last = status.rsplit(" ", 1)[-1]
        self._changes = int(last) if last.isdigit() and not status.startswith("SELECT") else 0
        return self._changes


def _writes(sql: str) -> bool:
    """Whether a statement changes rows (so `changes()` after it reports it)."""
    return sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")


def _passes(read: Translated, pending: list[Statement]) -> bool:
    """Whether `read` may run before the held-back statements: a plain read that does not ask
    for `changes()`, behind only savepoints and writes to tables it does not name."""
    if not read.reads or CHANGES in read.params:
        return False
    for kind, sql, _ in pending:
        if kind == "one" and sql.startswith(("SAVEPOINT ", "RELEASE ")):
            continue
        target = translate(sql).target
        if target is None or target in read.names:
            return False
    return True
