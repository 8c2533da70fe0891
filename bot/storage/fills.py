"""Columns only Python can compute (a name's key, text folded for search), filled by migrations.

A migration's SQL cannot call the bot's Python, so a `Fill` runs after it, in its transaction
(all or nothing, on both backends), a batch of rows at a time. Two kinds:

- a column a migration adds (`every=False`): filled where it is missing. The migration fills it
  for the rows already stored, and every start fills what is still missing: rows a process of
  the older version wrote while a newer one had migrated (a deploy without downtime, or
  `migrate` run beside an older bot), which knew nothing of the column. An index on the column
  makes the look for missing values a probe.
- a column recomputed for every row (`every=True`, once, in its migration): text that the bot
  now computes differently. Only the rows whose value changes are written. A row an older
  process writes afterwards keeps the older form until it is written again.

A migration whose fills change what a summary groups by recomputes that summary afterwards, in
the same transaction (`AFTER`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.names import fold, searched
from bot.core.values import normalise_region
from bot.storage import summaries

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fill:
    """`target` = `compute(*sources)` in each row of `table` (`keys` pick a row)."""

    table: str
    keys: tuple[str, ...]
    sources: tuple[str, ...]
    target: str
    compute: Callable[..., str]
    every: bool = False

    def rows(self, after: bool) -> str:
        """The next batch: rows still without a value, or (`every`) the rows with a first source
        after the last one read (`after`, compared as a row value) in the order of the keys."""
        keys, columns = ", ".join(self.keys), ", ".join((*self.keys, *self.sources))
        if not self.every:
            missing = f"{self.target} IS NULL AND {self.sources[0]} IS NOT NULL"
            return f"SELECT {columns} FROM {self.table} WHERE {missing} LIMIT ?"
        columns += f", {self.target}"  # (to write only what changes)
        marks = ", ".join("?" for _ in self.keys)
        where = f"{self.sources[0]} IS NOT NULL" + (f" AND ({keys}) > ({marks})" if after else "")
        return f"SELECT {columns} FROM {self.table} WHERE {where} ORDER BY {keys} LIMIT ?"

    def update(self) -> str:
        where = " AND ".join(f"{key} = ?" for key in self.keys)
        return f"UPDATE {self.table} SET {self.target} = ? WHERE {where}"


def _resource(title: str | None, tags: str | None, note: str | None) -> str:
    return searched(title, (tags or "").replace(",", " "), note)  # tags are stored comma-separated


def _region(text: str) -> str:
    return normalise_region(text)[0]


def _region_key(text: str) -> str:
    return normalise_region(text)[1]


#: What a signatory's search text is made of, in its order (as the signatures area writes it).
SIGNATORY_SEARCHED = ("name", "email", "workplace", "region", "library")


def _regions(table: str) -> tuple[Fill, Fill]:
    """A region's key, then its display form, as `normalise_region` makes them now."""
    return (
        Fill(table, ("id",), ("region",), "region_key", _region_key, every=True),
        Fill(table, ("id",), ("region",), "region", _region, every=True),
    )


#: Each migration's Python steps, by version.
FILLS: dict[int, tuple[Fill, ...]] = {
    18: (
        Fill("people", ("id",), ("display_name",), "name_key", fold),
        Fill("identities", ("platform", "user_id"), ("display_name",), "name_key", fold),
        Fill("contacts", ("id",), ("name",), "name_key", fold),
        Fill("signatories", ("id",), ("name",), "name_key", fold),
    ),
    19: (
        Fill("contacts", ("id",), ("name", "org", "interests"), "search", searched, every=True),
        Fill("signatories", ("id",), ("name", "email", "workplace", "region"), "search", searched, every=True),
        Fill("resources", ("id",), ("title", "tags", "note"), "search", _resource, every=True),
    ),
    21: (Fill("asks", ("id",), ("title",), "search", searched),),
    26: (
        *_regions("people"),
        *_regions("events"),
        *_regions("signatories"),
        Fill("signatories", ("id",), ("name", "email", "workplace", "region"), "search", searched, every=True),
    ),
    # What the signatures list shows (`bot/areas/signatures/queries.py`, `SEARCHED`), library type too.
    30: (Fill("signatories", ("id",), SIGNATORY_SEARCHED, "search", searched, every=True),),
    # A word with marks in it is also searched by without them and by its pieces (`searched`).
    31: (
        Fill("contacts", ("id",), ("name", "org", "interests"), "search", searched, every=True),
        Fill("signatories", ("id",), SIGNATORY_SEARCHED, "search", searched, every=True),
        Fill("resources", ("id",), ("title", "tags", "note"), "search", _resource, every=True),
        Fill("asks", ("id",), ("title",), "search", searched, every=True),
    ),
    # A region typed with a full stop, a country or `State` after it is the region it names.
    32: (
        *_regions("people"),
        *_regions("events"),
        *_regions("signatories"),
        Fill("signatories", ("id",), SIGNATORY_SEARCHED, "search", searched, every=True),
    ),
}
#: SQL a migration runs after its Python steps, by version: the summaries built from what they
#: recomputed (people grouped by region; the contacts' words).
AFTER: dict[int, Callable[[], list[str]]] = {
    26: summaries.regrouped_sql,
    31: summaries.reworded_sql,
    32: summaries.regrouped_sql,
}
BATCH = 2000  # rows read and written at a time: a network of 100,000 is filled in small steps

Fetch = Callable[[str, Sequence[object]], Awaitable[Iterable[Any]]]  # rows, each iterable
Write = Callable[[str, list[tuple[object, ...]]], Awaitable[object]]


async def fill(migrations: Iterable[int], fetch: Fetch, write: Write, *, missing: bool = False) -> None:
    """Run the Python steps of the migrations (by version) through the backend's `fetch` and
    `write` (SQL with `?` parameters), in the caller's transaction, then their SQL that follows
    (`AFTER`); `missing`: only the steps that fill what is missing (at start), saying so in the
    log when there was any."""
    written, versions = 0, list(migrations)
    for step in (step for version in versions for step in FILLS.get(version, ())):
        if missing and step.every:
            continue
        width, end, after = len(step.keys), len(step.keys) + len(step.sources), ()
        while True:
            rows = [tuple(row) for row in await fetch(step.rows(bool(after)), [*after, BATCH])]
            computed = [(step.compute(*row[width:end]), row) for row in rows]
            changed = [(value, *row[:width]) for value, row in computed if not step.every or value != row[end]]
            if changed:
                await write(step.update(), changed)
                written += len(changed)
            if len(rows) < BATCH:
                break
            if step.every:
                after = rows[-1][:width]
    for version in () if missing else versions:
        for sql in AFTER[version]() if version in AFTER else ():
            await write(sql, [()])
    if missing and written:
        log.info("filled %d values an older version of the bot left out (columns only Python computes)", written)
