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

from bot.storage import outbox
from bot.storage.backends import sqlite_tx as backend
from bot.storage.db import open_database
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
        listed = re.sub(r"(?:\s*,\s*(?::[a-z]+\d+|\?))+", ", …", sql)  # a list of placeholders, of any length
        shapes[re.sub(r"\d+", "#", listed)].add(listed)
    assert len(texts) > 100, "the examples should exercise most of the bot's statements"
    many = {shape: len(found) for shape, found in shapes.items() if len(found) > VARIANTS}
    assert not many, many


async def test_the_outbox_marks_any_number_of_rows_with_a_few_texts(tmp_path: Path, texts: set[str]) -> None:
    """The deliverer marks, defers, drops and fails batches of 1 to 100 rows, and the sweep prunes
    up to 500: one text per power of two, not one per length (which evicted commands' statements
    from the writer's cache of 128 during a backlog)."""
    db = await open_database(str(tmp_path / "t.sqlite3"))
    try:
        async with db.transaction() as tx:
            for n in range(1, 101):
                ids = list(range(1, n + 1))
                await outbox.mark(tx, ids, "sent", 0)
                await outbox.assign_batch(tx, ids, "b")
                await outbox.failed(tx, ids, "down", 0, False)
                await outbox.defer(tx, ids, 0)
                await outbox.drop(tx, ids, "gone")
                await outbox.prune(tx, ids)
    finally:
        await db.close()
    written = {sql for sql in texts if "outbox" in sql}
    assert len(written) <= 6 * 8, sorted(written)  # six statements, lists of 1, 2, 4, … 128 (600 before)
