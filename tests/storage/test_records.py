"""`record()`: a row to a frozen dataclass by field name, on both backends. It works out where
each field is once per class and set of columns, so the same class read by different queries
(other columns, another order, one missing) must each come out right."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.db import record
from tests.console_bot import ConsoleBot


@dataclass(frozen=True)
class _Pair:
    name: str
    count: int
    note: str = "none"


async def test_rows_of_different_shapes_make_the_same_record_by_name(bot: ConsoleBot) -> None:
    async with bot.app.db.reading() as tx:
        queries = {
            "SELECT 'a' AS name, 2 AS count, 'x' AS note": _Pair("a", 2, "x"),
            "SELECT 'x' AS note, 2 AS count, 'a' AS name": _Pair("a", 2, "x"),  # another order
            "SELECT 7 AS extra, 2 AS count, 'a' AS name, 'x' AS note": _Pair("a", 2, "x"),  # one more
            "SELECT 2 AS count, 'a' AS name": _Pair("a", 2),  # a column missing: the default
            "SELECT 'a' AS Name, 2 AS COUNT": _Pair("a", 2),  # names as SQL folds them
        }
        for _ in range(2):  # the second time from what the first worked out
            for sql, expected in queries.items():
                row = await tx.one(sql)
                assert row is not None
                assert record(_Pair, row) == expected, sql
