"""Prepared statements on one PostgreSQL connection (`postgres.PostgresDatabase` keeps one
`Statements` per connection; `postgres_tx.PostgresTx` runs its statements through it).

Each statement is prepared under a name of its own, so the server parses it once and keeps its
plan (after five runs PostgreSQL settles on a generic plan when that costs no more than planning
each time). asyncpg's `prepare()` without a name, with asyncpg's own cache turned off, makes the
*unnamed* statement instead, which the server parses and plans again at every execution: at
national scale that planning was most of a command's time in the server (0.2–0.9 ms a statement;
`bench/postgres.py`'s command p50 went from 4.0 to 2.3 ms once statements were named).

Held-back writes travel as one simple query (one round trip for several statements); a write
already prepared goes in it as `EXECUTE name(values)`, so it is not planned again either. A write
is prepared when a later transaction than the one that first wrote it writes it again: preparing
costs a round trip, which a write only one transaction ever sends would pay for nothing.
(Statement texts carry no values — `storage.db.bound_ids`, `tests/storage/test_statement_texts.py`
— so most writes recur.)

When another process changes the schema (a newer version's migration while this one still runs),
a prepared SELECT whose columns changed fails with `InvalidCachedStatementError`. Then every
statement is forgotten and prepared again at its next use: the one transaction that met the
change fails, and the ones after it work.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from typing import Any

#: Statements kept prepared per connection (the least recently used goes first; asyncpg closes it
#: on the server once nothing holds it).
KEPT = 2048


class Statements:
    """The prepared statements of one connection, by their SQL (as `dialect.typed` wrote it)."""

    def __init__(self, conn: Any, record_class: type) -> None:
        self._conn = conn
        self._record_class = record_class
        self._kept: OrderedDict[str, Any] = OrderedDict()
        self._seen: OrderedDict[str, int] = OrderedDict()  # a write not prepared: the transaction that wrote it
        self._names = itertools.count(1)
        self._transactions = itertools.count(1)

    def transaction(self) -> int:
        """A number for a new transaction (`for_write` tells them apart)."""
        return next(self._transactions)

    async def get(self, sql: str) -> Any:
        """The prepared statement for `sql`, prepared now if it is not kept."""
        statement = self._kept.get(sql)
        if statement is None:
            name = f"vb_{next(self._names)}"  # never reused: a forgotten one may not be closed yet
            statement = await self._conn.prepare(sql, name=name, record_class=self._record_class)
            self._kept[sql] = statement
            if len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(sql)
        return statement

    async def for_write(self, sql: str, transaction: int) -> Any | None:
        """The prepared statement for a held-back write, or None until a transaction other than
        the first to write it writes it (it is then written in with its values, as one-off
        statements are)."""
        if sql not in self._kept and self._seen.setdefault(sql, transaction) == transaction:
            if len(self._seen) > KEPT:
                self._seen.popitem(last=False)
            return None
        self._seen.pop(sql, None)
        return await self.get(sql)

    def forget(self) -> None:
        """Drop every statement (the schema changed under them)."""
        self._kept.clear()
        self._seen.clear()
