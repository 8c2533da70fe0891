"""What every dashboard page is made of: tables of plain values, which the web shows as HTML and
offers as CSV, so a download holds exactly what the page is allowed to show.

Cells carry values, not words: a time stays epoch seconds (`When`) until the web puts it in the
reader's zone, and a member stays an id and a name (`Someone`) until the web links it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from bot.ids import PersonId


class Someone(NamedTuple):
    """A member, shown as their name and linked to what the lead may see of them."""

    id: PersonId
    name: str


class When(NamedTuple):
    """A moment, as `core.text.Moment`: `time` for a date and time of day, `day` for a date; with
    `zone`, a day given as a day there (a due date: `at` is its last second there)."""

    at: int
    style: str = "day"
    zone: str | None = None


Cell = str | int | Someone | When | None


@dataclass(frozen=True)
class Row:
    """One row; `mark` names why it stands out (overdue, blocker, stale, gap, isolated, bridge)."""

    cells: tuple[Cell, ...]
    mark: str | None = None


@dataclass(frozen=True)
class Table:
    """A titled table. `rows` may be the first of `total` (a page shows the first ones; the CSV
    download asks for all of them)."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    total: int
    note: str = ""

    @property
    def cut(self) -> bool:
        return self.total > len(self.rows)


def table(key: str, title: str, columns: tuple[str, ...], rows: list[Row], total: int | None = None,
          note: str = "") -> Table:  # fmt: skip
    return Table(key, title, columns, tuple(rows), len(rows) if total is None else total, note)
