"""No query a sweep job runs sorts everything that is due to take its first few.

A job works through what is due a share at a time: "the first 50 due, earliest first", once per
share. If that order is not an index's, SQLite reads and sorts every due row for every share:
after a week's downtime that was 14 ms for each of a hundred shares of intro reminders, inside
the writer every command waits for. As in `tests/storage/test_outbox_plans.py`, the plan a
statement gets comes from the schema, so the examples on a small database show it: every
statement with a LIMIT that a sweep sends is explained, and one that sorts in a temporary
B-tree fails the test.
"""

from __future__ import annotations

import contextvars
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.scheduling.sweep import Sweep
from bot.storage.backends.sqlite_tx import SqliteTx
from tests.conversations.test_examples import play_examples

IN_SWEEP: contextvars.ContextVar[bool] = contextvars.ContextVar("in_sweep", default=False)


@pytest.fixture
def limited(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Every statement with a LIMIT that a sweep sent (its SQL, and the parameters of its first run)."""
    seen: dict[str, Any] = {}
    run, sweep = SqliteTx._run, Sweep.run

    async def recording(self: SqliteTx, sql: str | None, params: Any, *, fetch: bool) -> Any:
        if IN_SWEEP.get() and sql is not None and " LIMIT " in sql:
            seen.setdefault(sql, params)
        return await run(self, sql, params, fetch=fetch)

    async def sweeping(self: Sweep, now: datetime) -> None:
        token = IN_SWEEP.set(True)
        try:
            await sweep(self, now)
        finally:
            IN_SWEEP.reset(token)

    monkeypatch.setattr(SqliteTx, "_run", recording)
    monkeypatch.setattr(Sweep, "run", sweeping)
    return seen


async def test_a_sweeps_shares_never_sort_all_that_is_due(tmp_path: Path, limited: dict[str, Any]) -> None:
    await play_examples(tmp_path, "15d")  # every reminder, nudge, check-in, digest and pairing round
    assert len(limited) >= 5, "the examples should run the reminders' shares"
    conn = sqlite3.connect(tmp_path / "bot0.sqlite3")
    try:
        sorting = [
            sql
            for sql, params in limited.items()
            if any(
                "USE TEMP B-TREE FOR ORDER BY" in row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            )
        ]
    finally:
        conn.close()
    assert not sorting, sorting
