"""What the backends' transactions do alike: hold back what nobody waits for, and nest.

A statement whose outcome nobody waits for (the BEGIN, a savepoint and its RELEASE, a `later()`
write) would cost a round trip of its own if sent at once: to aiosqlite's thread and back on
SQLite, to the server and back on PostgreSQL. `HeldBack` keeps them, in order, for the next
statement that returns something or the COMMIT, and a savepoint costs nothing when nothing inside
it reached the database. Only the transactions build on it (`backends/sqlite_tx.py`,
`backends/postgres_tx.py`, `readers.py`), so it sits apart from `db.py`, the interface every
area sees.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from typing import Any

from bot.storage.db import Params, Tx

Statement = tuple[str, str, Any]  # ("one" | "many", sql, parameters)


class HeldBack(Tx):
    """What both backends do alike: statements nobody waits for (the BEGIN, savepoints and their
    RELEASE, `later()` writes) are held back in `_pending` and sent, in order, with the next
    statement that returns something, or with the COMMIT (`_flush`, the backend's)."""

    def __init__(self, begin: str | None) -> None:
        self._pending: list[Statement] = [] if begin is None else [("one", begin, ())]
        self._begins = begin is not None  # BEGIN is still waiting in `_pending`
        self._flushes = 0
        self._savepoints = 0

    def later(self, sql: str, params: Params = ()) -> None:
        """A write whose outcome the caller does not need: sent with the next statement."""
        self._pending.append(("one", sql, params))

    def later_many(self, sql: str, rows: Iterable[Params]) -> None:
        self._pending.append(("many", sql, list(rows)))

    @abstractmethod
    async def _flush(self) -> None:
        """Send everything held back."""

    async def flush(self) -> None:
        """Send the held-back statements now. A job that queues many rows in batches sends each
        batch before building the next, so they are never all held in memory at once."""
        await self._flush()

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """A nested transaction: its effects vanish if the block raises, the outer ones stay."""
        return _Savepoint(self)


class _Savepoint:
    """`HeldBack.savepoint()`. A class rather than an `asynccontextmanager`: every command's
    handler runs in one, and a generator-based context manager costs a microsecond more a use."""

    def __init__(self, tx: HeldBack) -> None:
        self._tx = tx
        self._name = ""
        self._mark = self._flushes = 0

    async def __aenter__(self) -> None:
        tx = self._tx
        tx._savepoints += 1
        self._name = f"sp{tx._savepoints}"
        self._mark, self._flushes = len(tx._pending), tx._flushes
        tx._pending.append(("one", f"SAVEPOINT {self._name}", ()))

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> None:
        tx = self._tx
        try:
            if kind is not None:
                if tx._flushes == self._flushes:  # nothing inside reached the database: just forget it
                    del tx._pending[self._mark :]
                else:
                    tx._pending = [("one", f"ROLLBACK TO {self._name}", ()), ("one", f"RELEASE {self._name}", ())]
                    await tx._flush()
            elif tx._flushes == self._flushes:
                del tx._pending[self._mark]  # its statements, if any, simply join the outer transaction
            else:
                tx.later(f"RELEASE {self._name}")
        finally:
            tx._savepoints -= 1
