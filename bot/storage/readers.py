"""Read-only connections beside the writer, for commands that only look (`Command.reads`).

Every write runs one at a time on the writer connection (`Database.transaction`). A command that
only reads has no reason to queue behind one — a 2,000-message ask post, a sweep, a backlog's
bookkeeping — so it runs here instead, on a connection of its own: SQLite's write-ahead log lets
it read the last committed state while the writer writes; PostgreSQL's MVCC does the same. Each
connection is opened read-only (SQLite `query_only`, PostgreSQL `default_transaction_read_only`),
so a command declared a reader that tries to write fails instead of writing outside the writer's
order.

Two kinds of read share the pool: `heavy` ones (a lead's view over the whole network) may take
all connections but one, so a member's `mine` always finds one free however many leads look at
once. An in-memory database (`:memory:`) has no second connection to give: there, reads share
the writer's connection as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.storage.db import OFF_LOOP, Database, Params, Row, Tx
from bot.storage.held_back import HeldBack, Statement

log = logging.getLogger(__name__)

#: Connections opened beside the writer: one for the heavy reads, one always left for the light.
DEFAULT_COUNT = 2


class Readers:
    """A small pool of read-only connections, opened at start-up (`open`), else on first use."""

    def __init__(self, db: Database, count: int = DEFAULT_COUNT) -> None:
        self.db = db
        self.count = max(count, 2)
        # The connection given back last is taken first: one after another, reads keep to one
        # connection, so only its page cache fills (and stays warm between reads with no write in
        # between); the others are used only while reads overlap.
        self._free: asyncio.LifoQueue[Database] = asyncio.LifoQueue()
        self._heavy = asyncio.Semaphore(self.count - 1)
        self._opened: list[Database] = []
        self._opening = asyncio.Lock()
        self.shared = db.path == ":memory:"  # nothing to open: read on the writer's connection

    async def open(self) -> None:
        """Open the connections now, at start-up: opened on first use instead, a command waited for
        a thread to start and take its settings, which on a busy machine (a backlog draining, the
        loop rarely giving the thread a turn) took 30 ms, while the messages it queued waited."""
        while not self.shared and len(self._opened) < self.count:
            reader = await self.db.reader()
            self._opened.append(reader)
            self._free.put_nowait(reader)

    async def _take(self) -> Database:
        if self._free.empty() and len(self._opened) < self.count:
            async with self._opening:
                if self._free.empty() and len(self._opened) < self.count:
                    reader = await self.db.reader()
                    self._opened.append(reader)
                    return reader
        return await self._free.get()

    @asynccontextmanager
    async def reading(self, *, heavy: bool = False, single: bool = False) -> AsyncIterator[Tx]:
        """A consistent read on a connection of its own (never behind a write); `single` for one
        query, without the BEGIN and ROLLBACK (`Database.single_read`)."""
        if self.shared:
            async with self.db.single_read() if single else self.db.reading() as tx:
                yield tx
            return
        async with self._heavy if heavy else contextlib.nullcontext():
            reader = await self._take()
            off_loop = OFF_LOOP.set(heavy)
            try:
                async with reader.single_read() if single else reader.reading() as tx:
                    yield tx
            finally:
                OFF_LOOP.reset(off_loop)
                self._free.put_nowait(reader)

    async def close(self) -> None:
        opened, self._opened = self._opened, []
        for reader in opened:
            await reader.close()


class Held(HeldBack):
    """A transaction that only holds writes nobody waits for (`later()`), for `WriteBehind`: what a
    read-only command must still record (its event, the audit of a lead's view). Anything that
    needs an answer from the database is a mistake here and fails."""

    def __init__(self) -> None:
        super().__init__(None)

    @property
    def statements(self) -> list[Statement]:
        return self._pending

    async def execute(self, sql: str, params: Params = ()) -> int:
        raise _needs_the_writer()

    async def insert(self, sql: str, params: Params = ()) -> int:
        raise _needs_the_writer()

    async def insert_or_ignore(self, sql: str, params: Params = ()) -> int | None:
        raise _needs_the_writer()

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        raise _needs_the_writer()

    def outbox_changed(self, *, sooner: bool = True, prompt: bool = False) -> None:
        raise _needs_the_writer()

    async def _flush(self) -> None:
        raise _needs_the_writer()


def _needs_the_writer() -> RuntimeError:
    return RuntimeError("a command that only reads can hold writes for later, nothing else; declare it a writer")


#: How long what read-only commands record may wait, gathering, before the writer commits it.
WRITE_WITHIN = 0.1


class WriteBehind:
    """Writes held by read-only commands, committed by the writer soon after their replies, in the
    background: everything gathered within `WRITE_WITHIN` goes in one transaction (one disk sync
    for many commands). `pending(key)` tells the dispatcher an event is already being recorded (a
    redelivery that comes before the commit is still a redelivery); `settle()` writes at once
    and waits (the console, where one person reads their own records right after).

    A crash in that moment loses what was held: a redelivered look is then answered again, and
    the audit misses that view; nothing else is held."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._items: list[tuple[str, list[Statement]]] = []
        self._held: set[str] = set()  # the keys in `_items`: a busy bot holds hundreds, asked every command
        self._writing: set[str] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None

    def pending(self, key: str) -> bool:
        return key in self._held or key in self._writing

    def add(self, held: Held, key: str) -> None:
        """Write `held`'s statements soon; `key` names the event they record."""
        self._items.append((key, list(held.statements)))
        self._held.add(key)
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(WRITE_WITHIN, self._start)

    def _start(self) -> None:
        self._timer = None
        if self._items and (self._task is None or self._task.done()):
            self._task = asyncio.create_task(self._write(), name="write-behind")

    async def _write(self) -> None:
        while self._items:
            items, self._items = self._items, []
            self._writing, self._held = self._held, set()
            try:
                await self._commit([statement for _, held in items for statement in held])
            except Exception:  # one bad item (its person forgotten meanwhile) must not lose the rest
                for key, held in items:
                    try:
                        await self._commit(held)
                    except Exception:
                        log.exception("could not record a read-only command's event and audit (%s)", key)
            finally:
                self._writing = set()

    async def _commit(self, statements: list[Statement]) -> None:
        async with self.db.transaction() as tx:
            for kind, sql, params in statements:
                if kind == "many":
                    tx.later_many(sql, params)
                else:
                    tx.later(sql, params)

    async def settle(self) -> None:
        """Write what is held now, and return once it is committed."""
        if self._timer is not None:
            self._timer.cancel()
        self._start()
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)
