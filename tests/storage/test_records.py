"""`record()`: a row to a frozen dataclass by field name, on both backends. It works out where
each field is once per class and set of columns, so the same class read by different queries
(other columns, another order, one missing) must each come out right."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

from bot.storage.db import record
from bot.storage.persons import PERSON_COLUMNS, Person
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


@dataclass(frozen=True)
class _Upper:
    name: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.name.upper())


@dataclass(frozen=True, slots=True)
class _Slotted:
    name: str


async def test_a_record_made_without_init_is_still_frozen_and_equal(bot: ConsoleBot) -> None:
    """A row holding every field sets them directly; the record must be the same as one made
    through `__init__`, and stay frozen."""
    async with bot.app.db.reading() as tx:
        row = await tx.one("SELECT 'a' AS name, 2 AS count, 'x' AS note")
        assert row is not None
        made = record(_Pair, row)
    assert made == _Pair("a", 2, "x") and hash(made) == hash(_Pair("a", 2, "x"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "b"  # type: ignore[misc]


async def test_records_that_need_their_init_get_it(bot: ConsoleBot) -> None:
    """A class with `__post_init__` or slots cannot be filled in directly: it goes through `__init__`."""
    async with bot.app.db.reading() as tx:
        row = await tx.one("SELECT 'a' AS name")
        assert row is not None
        assert record(_Upper, row) == _Upper("a") and record(_Upper, row).name == "A"
        assert record(_Slotted, row) == _Slotted("a")


def test_a_persons_columns_are_its_fields_in_order() -> None:
    """`person_from` sets a Person's fields from `PERSON_COLUMNS`, by position, without `__init__`:
    a Person must stay a plain record (nothing its `__init__` would do that setting skips)."""
    assert tuple(field.name for field in dataclasses.fields(Person)) == PERSON_COLUMNS
    assert not hasattr(Person, "__post_init__") and not hasattr(Person, "__slots__")
