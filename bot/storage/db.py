"""The database as every area, the dispatcher and the scheduler see it: `Database` and its `Tx`.

Two backends stand behind this interface, chosen by the target's form (`connect.open_database`): a path
or `sqlite:///…` is SQLite (`backends/sqlite.py`: embedded, one process, the default) and
`postgresql://…` is PostgreSQL (`backends/postgres.py`: several processes on one database, spec
§17). Callers write SQLite's SQL once; the PostgreSQL backend translates it in one place
(`backends/dialect.py`). Rows support `row["name"]`, `row[0]`, iteration and `row.keys()` on both.

What several processes need, on SQLite trivially true, is here too: `exclusive(name)` (only one
process runs the sweep at a time), `lease(name)` (only one holds a platform connection) and
`several_processes` (whether claims on outbox rows must outlive a moment).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import dataclasses
import importlib
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol, TypeVar, overload

from bot.storage.targets import backend_of

Params = Mapping[str, Any] | Sequence[Any]

#: Set while work that may run long statements (a lead's view over the whole network, a sweep): a
#: backend that runs short statements on the event loop's own thread (SQLite) sends these to its
#: thread until it has measured them quick, and lets commands in between the ones it runs itself.
OFF_LOOP: contextvars.ContextVar[bool] = contextvars.ContextVar("off_loop", default=False)


class Row(Protocol):
    """A result row: by column name or position, iterable, with its column names."""

    @overload
    def __getitem__(self, key: int | str, /) -> Any: ...
    @overload
    def __getitem__(self, key: slice, /) -> tuple[Any, ...]: ...
    def keys(self) -> list[str]: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...


class Tx(ABC):
    """The open transaction handed to storage functions; SQL runs only through here.

    Statements are SQLite's dialect with named (`:name`) or positional (`?`) parameters.
    """

    #: True when other processes may share the database (PostgreSQL): see `outbox.due`.
    several_processes = False
    #: True in `reading()` and `single_read()`: a look, never a claim (`outbox.due`).
    read_only = False

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement that returns no rows; returns the number of rows changed."""

    @abstractmethod
    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT into a table with an `id` column; returns the new row's id."""

    @abstractmethod
    async def insert_or_ignore(self, sql: str, params: Params = ()) -> int | None:
        """Run an INSERT OR IGNORE; the new row id, or None when the row was already there."""

    @abstractmethod
    def later(self, sql: str, params: Params = ()) -> None:
        """A write whose outcome the caller does not need: sent with the next statement."""

    @abstractmethod
    def later_many(self, sql: str, rows: Iterable[Params]) -> None:
        """`later()` for one statement over many rows."""

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many rows; like `later()`, it goes out with the next trip."""
        self.later_many(sql, rows)

    @abstractmethod
    def outbox_changed(self, *, sooner: bool = True, prompt: bool = False) -> None:
        """Called by the outbox's own writes, so the deliverer can tell "nothing new" without a
        query; `sooner=False` when the write cannot make anything due earlier (a row sent,
        dropped, taken), which other processes then need not hear of; `prompt` when all it
        added is what a person's command queued, due now (`Database.prompt_writes`)."""

    @abstractmethod
    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row of a query."""

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        """The first row of a query (which should return at most a few), or None."""
        return next(iter(await self.all(sql, params)), None)

    async def value(self, sql: str, params: Params = ()) -> Any:
        row = await self.one(sql, params)
        return None if row is None else row[0]

    @abstractmethod
    async def flush(self) -> None:
        """Send the statements held back (`later()`) now, mid-transaction."""

    @abstractmethod
    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """A nested transaction: its effects vanish if the block raises, the outer ones stay."""


async def see_through(work: Awaitable[object]) -> None:
    """Run `work` (a COMMIT) to its end even if the caller is cancelled half-way (a shutdown),
    then let the cancellation go on: the caller never believes a committed write was rolled back."""
    task = asyncio.ensure_future(work)
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await task
        raise


class Lease(Protocol):
    """The right to hold one platform connection, among every process on the database:
    `acquire()` tries once to take it (True: this process holds it now); `still_held()` renews
    it, and is False once it is lost (the database connection behind it went away);
    `release()` gives it up, so another process can take over at once."""

    async def acquire(self) -> bool: ...
    async def still_held(self) -> bool: ...
    async def release(self) -> None: ...


class Database(ABC):
    """The bot's database; open one with `Database.open` (or `open_database`)."""

    #: Where it is: a file path for SQLite, the URL without its password for PostgreSQL.
    path: str
    #: Whether several bot processes may run on it at once.
    several_processes = False

    @classmethod
    async def open(cls, target: str | Path, *, synchronous: str = "FULL", migrate: bool = True) -> Database:
        """Open SQLite (a path, `sqlite:///…`) or PostgreSQL (`postgresql://…`), set up and
        migrated. The backend is loaded only when named (`BACKENDS`): a SQLite bot never
        imports asyncpg, and no backend module needs importing from here."""
        module, _, name = BACKENDS[backend_of(target)].partition(":")
        backend: type[Database] = getattr(importlib.import_module(module), name)
        return await backend.connect(str(target), synchronous=synchronous, migrate=migrate)

    @classmethod
    @abstractmethod
    async def connect(cls, target: str, *, synchronous: str, migrate: bool) -> Database:
        """This backend's `open`."""

    @classmethod
    async def open_reader(cls, target: str | Path) -> Database:
        """A second, read-only connection to the same database, for long reads (the dashboard's
        pages) that should not hold the writer's lock while commands wait."""
        module, _, name = BACKENDS[backend_of(target)].partition(":")
        backend: type[Database] = getattr(importlib.import_module(module), name)
        return await backend.connect_reader(str(target))

    @classmethod
    @abstractmethod
    async def connect_reader(cls, target: str) -> Database:
        """This backend's `open_reader`."""

    @abstractmethod
    async def reader(self) -> Database:
        """`open_reader` for this database."""

    def __init__(self) -> None:
        self.outbox_writes = 0  # writes to the outbox, ever, by any process (see Tx.outbox_changed)
        # Those of them, by this process, that only added messages a command queued, due now:
        # when nothing else changed, the deliverer sends them without a look at the outbox first.
        self.prompt_writes = 0
        self._outbox_watchers: list[Callable[[], None]] = []

    def watch_outbox(self, callback: Callable[[], None]) -> None:
        """Call `callback` whenever another process changed the outbox (a message to deliver)."""
        self._outbox_watchers.append(callback)

    def _outbox_written_elsewhere(self) -> None:
        self.outbox_writes += 1
        for callback in self._outbox_watchers:
            callback()

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    def transaction(self, *, bookkeeping: bool = False) -> AbstractAsyncContextManager[Tx]:
        """One write transaction; commits when the block ends, rolls back if it raises. Writers
        run one at a time, across every process, so a read-then-write inside one is safe.

        `bookkeeping`: its COMMIT does not wait for the disk (SQLite's `synchronous=NORMAL`,
        PostgreSQL's `synchronous_commit=off`), for records that a crash of the machine or the
        database server may lose because they are made again alike: the deliverer's "sent" and
        its plan of the prompt lane (`docs/design-notes.md`). A process killed loses none of it,
        and the next ordinary COMMIT makes it durable too."""

    @abstractmethod
    def reading(self) -> AbstractAsyncContextManager[Tx]:
        """A consistent read of several queries, without taking the write lock."""

    @abstractmethod
    def single_read(self) -> AbstractAsyncContextManager[Tx]:
        """One query, without the BEGIN and ROLLBACK trips of `reading()`."""

    def claiming(self) -> AbstractAsyncContextManager[Tx]:
        """Where the deliverer takes what a command queued to go at once (its prompt lane) and
        plans it: a bookkeeping `transaction()`. PostgreSQL runs it without one (each statement
        commits by itself, without the write lock), since its claim is one statement that leases
        the rows (`outbox.due`) and its plan then only reads, but for a rare drop or deferral of
        one row: two round trips fewer on the path of every `done` (`docs/postgres.md`)."""
        return self.transaction(bookkeeping=True)

    @abstractmethod
    async def backup(self, target: str | Path) -> None:
        """An online copy of the database, consistent even while the bot writes."""

    @abstractmethod
    async def erase_log(self) -> None:
        """Leave no copy of what was just deleted in the engine's log (after `forget me`)."""

    @abstractmethod
    async def schema_version(self) -> int:
        """The newest migration applied to this database."""

    @abstractmethod
    async def integrity_check(self) -> str:
        """ "ok", or what the engine found wrong."""

    @abstractmethod
    async def tables(self) -> list[str]:
        """The bot's tables in the order the migrations created them (references first)."""

    @abstractmethod
    async def after_copy(self, tx: Tx) -> None:
        """After rows were copied in with their ids: make new ids continue after them, and let
        the planner know the tables' new sizes."""

    @abstractmethod
    def exclusive(self, name: str) -> AbstractAsyncContextManager[bool]:
        """Yields True while this process alone runs `name` (the sweep); False when another
        process is running it right now (then do nothing: it is being done)."""

    @abstractmethod
    def lease(self, name: str) -> Lease:
        """The lease on a platform connection named `name` (`discord`, `matrix:@bot:example.org`)."""


#: Each backend by kind: `module:class`, imported on first use.
BACKENDS = {
    "sqlite": "bot.storage.backends.sqlite:SqliteDatabase",
    "postgresql": "bot.storage.backends.postgres:PostgresDatabase",
}


open_database = Database.open

R = TypeVar("R")
V = TypeVar("V")


def written(found: R | None) -> R:
    """A row this transaction has just written, read back: it must be there."""
    if found is None:
        raise RuntimeError("a row written in this transaction is missing")
    return found


def assignments(changes: Mapping[str, object], allowed: Sequence[str]) -> str:
    """`a = :a, b = :b` for an UPDATE of these columns, each of which must be one of `allowed`
    (column names are never taken from input)."""
    unknown = set(changes) - set(allowed)
    if unknown or not changes:
        raise ValueError(f"not columns that may change: {sorted(unknown)}")
    return ", ".join(f"{column} = :{column}" for column in changes)


def actual(changes: Mapping[str, V], current: Mapping[str, object]) -> dict[str, V]:
    """The changes that change something (`current`: the values now, by column). An edit to what
    already reads so must not tell anyone it changed (an ask's claimants, an event's attendees)."""
    return {column: value for column, value in changes.items() if column not in current or current[column] != value}


def bound_ids(ids: Sequence[int], name: str = "pid") -> tuple[str, dict[str, object]]:
    """`:pid0, :pid1, …` for these (one or more) ids, and their values, padded to a power of two
    by repeating the last. A statement's text then depends on how many there are (a dozen sizes),
    never on which: written in, every id made a new text, which SQLite parses and plans again and
    which pushes a hot statement out of its cache (PostgreSQL prepares it again), and the SQLite
    backend kept each one's cost for good (`tests/storage/test_statement_texts.py`)."""
    size = 1 << (len(ids) - 1).bit_length()
    values = [int(i) for i in ids] + [int(ids[-1])] * (size - len(ids))
    return ", ".join(f":{name}{n}" for n in range(size)), {f"{name}{n}": value for n, value in enumerate(values)}


def like_literal(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (written with `ESCAPE '\\'`)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def record(cls: type[R], row: Row) -> R:
    """A frozen dataclass from a row, by field name (the row may hold more columns, or fewer: a
    field without its column gets its default).

    Where each field is in the row is worked out once per class and set of columns: a row's
    lookup by name compares the names one by one, and records are made by the thousand. When the
    row holds every field of a plain record (no `__post_init__`, no slots), its fields are set
    directly: a frozen dataclass's `__init__` sets each through `object.__setattr__`, which took
    half of a 15-field record's cost."""
    keys = tuple(row.keys())
    places = _PLACES.get((cls, keys))
    if places is None:
        places = _PLACES[(cls, keys)] = _places(cls, keys)
    if isinstance(places, tuple):
        made = _new(cls)
        fields = made.__dict__
        for name, index in places:
            fields[name] = row[index]
        return made
    return cls(**{name: row[index] for name, index in places.items()})


def _places(cls: type, keys: tuple[str, ...]) -> tuple[tuple[str, int], ...] | dict[str, int]:
    """Each field's column, as (name, column) pairs to set directly when the row holds them all and
    the class allows it; else by name, for `__init__`."""
    fields, lowered = dataclasses.fields(cls), [key.lower() for key in keys]  # matched as sqlite3.Row does
    found = {f.name: lowered.index(f.name.lower()) for f in fields if f.init and f.name.lower() in lowered}
    plain = all(f.init for f in fields) and not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")
    if plain and len(found) == len(fields):
        return tuple(found.items())
    return found


def direct(cls: type[R], fields: Iterable[tuple[str, Any]]) -> R:
    """A record of a plain frozen dataclass (no `__post_init__`, no slots) with these fields set
    directly, without its `__init__` (see `record`). Fields left out read as their defaults."""
    made = _new(cls)
    made.__dict__.update(fields)
    return made


_new = object.__new__
_PLACES: dict[tuple[type, tuple[str, ...]], tuple[tuple[str, int], ...] | dict[str, int]] = {}
