"""The bot never writes a value into a statement's text; the text depends only on the code path.

A statement whose text carries a person's id (`WHERE id IN (12)`) is a new statement for every
person: SQLite parses and plans it again (for the summaries' statements, longer than running
them), it pushes a hot statement out of the connection's statement cache, PostgreSQL prepares it
again, and the SQLite backend kept its measured cost for good (memory that grew with every
person). So every example conversation is played, every statement text is recorded, and texts
that differ only in their numbers must be few: a placeholder list's length (padded to a power
of two, `summaries._bound`) or a savepoint's depth, never a person.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from bot.storage.backends import sqlite as backend
from tests.conversations.test_examples import play_examples

#: How many texts one shape may have once lists of placeholders are taken as one: savepoints' depths.
VARIANTS = 3


@pytest.fixture
def texts(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    seen: set[str] = set()
    real = backend._run_batch

    def recording(conn: sqlite3.Connection, batch: Any, fetch: bool, costs: Any = None) -> Any:
        seen.update(sql for _, sql, _ in batch)
        return real(conn, batch, fetch, costs)

    monkeypatch.setattr(backend, "_run_batch", recording)
    return seen


async def test_statement_texts_never_carry_values(tmp_path: Path, texts: set[str]) -> None:
    await play_examples(tmp_path, "8d")  # every reminder, digest and pairing round of a week
    shapes: dict[str, set[str]] = defaultdict(set)
    for sql in texts:
        listed = re.sub(r"(?:\s*,\s*(?::pid\d+|\?))+", ", …", sql)  # a list of placeholders, of any length
        shapes[re.sub(r"\d+", "#", listed)].add(listed)
    assert len(texts) > 100, "the examples should exercise most of the bot's statements"
    many = {shape: len(found) for shape, found in shapes.items() if len(found) > VARIANTS}
    assert not many, many
