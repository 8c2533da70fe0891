"""CSV for people who open it in a spreadsheet, as leads do (a mail merge, a table to sort).

A cell that begins like a formula (`=`, `+`, `-`, `@`, a tab or carriage return) would be run by
Excel or LibreOffice when the file is opened: a signatory's name or a contact's note typed as
`=HYPERLINK(…)` could send the sheet's data away. Such text gets a leading `'`, which spreadsheets
read as "this is text". Every CSV the bot hands out is written here, so none can forget.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: str) -> str:
    """The cell as a spreadsheet will show it, never run it."""
    return "'" + value if value.startswith(_FORMULA) else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A header and rows as CSV; text cells kept text, other values (numbers) as written."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([as_text(cell) if isinstance(cell, str) else cell for cell in row])
    return out.getvalue()
