"""Turning the dashboard's tables into HTML and CSV for one reader: Jinja2 with autoescaping
(everything a member typed is escaped), times in the reader's zone, members linked to their page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from bot.areas.dashboard import Someone, Table, When
from bot.clock import from_ts
from bot.core import spreadsheet
from bot.core.text import Moment
from bot.core.timing import Reader, moment_text

_EMBEDS, _ISOLATES, _PDF, _PDI = "\u202a\u202b\u202d\u202e", "\u2066\u2067\u2068", "\u202c", "\u2069"
_BIDI = frozenset(_EMBEDS + _ISOLATES + _PDF + _PDI)


def isolated(text: str) -> str:
    """Text holding bidi controls, as typed but kept to itself, as `<bdi>` keeps it: a name with a
    right-to-left override would otherwise turn the rest of its line around (a tag, the next
    command, "(3)"). Closers with nothing to close are dropped (a stray one would end the isolate
    early), what it leaves open is closed, and the whole goes in a first-strong isolate."""
    if _BIDI.isdisjoint(text):
        return text
    kept: list[str] = []
    open_: list[str] = []
    for ch in text:
        if ch in _EMBEDS or ch in _ISOLATES:
            open_.append(ch)
        elif ch == _PDF:
            if not open_ or open_[-1] not in _EMBEDS:
                continue
            open_.pop()
        elif ch == _PDI:
            if not any(kind in _ISOLATES for kind in open_):
                continue
            while open_.pop() not in _ISOLATES:
                pass
        kept.append(ch)
    closing = "".join(_PDI if kind in _ISOLATES else _PDF for kind in reversed(open_))
    return "\u2068" + "".join(kept) + closing + _PDI


def _finalize(value: object) -> object:
    """Every `{{ … }}` of a template: text a member typed is isolated (markup we made is not text)."""
    return isolated(value) if isinstance(value, str) and not isinstance(value, Markup) else value


ENV = Environment(loader=PackageLoader("bot.web", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True,
                  finalize=_finalize)  # fmt: skip


def shower(reader: Reader, now: datetime) -> Callable[[object], object]:
    """How a cell reads on a page, for one reader (times as the chat shows them: `core.timing`)."""

    def show(cell: object) -> object:
        if cell is None:
            return ""
        if isinstance(cell, Someone):
            return Markup('<a href="/people/{}">{}</a>').format(int(cell.id), isolated(cell.name))
        if isinstance(cell, When):
            return moment_text(Moment(*cell), reader, now)
        return cell

    return show


def numeric(table: Table, column: int) -> bool:
    """Whether a column holds numbers (right-aligned), judged by its first row."""
    return bool(table.rows) and isinstance(table.rows[0].cells[column], int)


def shade(count: int, top: int) -> int:
    """A heat map cell's shade: 0 for a gap, then 1–5 by share of the biggest cell."""
    if count <= 0:
        return 0
    return min(5, 1 + (4 * count) // max(top, 1))


def page(name: str, **context: Any) -> str:
    return ENV.get_template(name).render(numeric=numeric, shade=shade, **context)


def csv_text(table: Table, zone: ZoneInfo) -> str:
    """The whole table as CSV (times as ISO-8601 in the reader's zone, with the offset; a day given
    as a day as its date)."""
    return spreadsheet.csv_text(table.columns, ([_cell(cell, zone) for cell in row.cells] for row in table.rows))


def _cell(cell: object, zone: ZoneInfo) -> object:
    if cell is None:
        return ""
    if isinstance(cell, Someone):
        cell = cell.name
    if isinstance(cell, When) and cell.zone:  # a day given as a day: its date where it was given
        return from_ts(cell.at).astimezone(ZoneInfo(cell.zone)).date().isoformat()
    if isinstance(cell, When):
        return from_ts(cell.at).astimezone(zone).isoformat()
    return cell  # text is kept text by `spreadsheet`; a number (a count) stays a number
