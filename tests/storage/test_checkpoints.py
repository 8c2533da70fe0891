"""The write-ahead log is copied back in the background and starts over even while writes never
pause (`sqlite_checkpoints`): a week's catch-up writes share after share, and a log that only grew
reached the writer's own limit, where a COMMIT copied thousands of pages while commands waited."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from pathlib import Path

import pytest

from bot.storage.backends import sqlite_checkpoints
from bot.storage.db import OFF_LOOP, Database

ROWS = 40  # rows of 1,000 bytes a transaction: about as many pages of log as a share of the sweep


async def _write_without_pause(db: Database, seconds: float) -> int:
    """Transactions back to back, as the sweep's shares (its statements on the database's thread,
    the loop turning between two): how many rows."""
    OFF_LOOP.set(True)  # (this task's own context)
    written, until, rng = 0, time.monotonic() + seconds, random.Random(7)
    while time.monotonic() < until:
        async with db.transaction() as tx:
            for _ in range(ROWS):
                await tx.execute("INSERT INTO filler (k, text) VALUES (:k, :t)", {"k": rng.random(), "t": "x" * 1000})
        written += ROWS
        await asyncio.sleep(0)
    return written


async def test_the_log_starts_over_while_writes_never_pause(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_checkpoints, "CHECKPOINT_AFTER", 0.05)
    monkeypatch.setattr(sqlite_checkpoints, "CHECKPOINT_SOON", 0.02)
    monkeypatch.setattr(sqlite_checkpoints, "RESTART_AFTER", 100)
    monkeypatch.setattr(sqlite_checkpoints, "QUICK", 0.05)  # (a test machine's disk may be slow to sync)
    seen: list[int] = []  # the log's length at each pass of the checkpointer
    real = sqlite_checkpoints._checkpoint

    async def checkpoint(conn: object) -> int:
        seen.append(await real(conn))  # type: ignore[arg-type]
        return seen[-1]

    monkeypatch.setattr(sqlite_checkpoints, "_checkpoint", checkpoint)
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        async with db.transaction() as tx:
            await tx.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, k REAL, text TEXT)")
            await tx.execute("CREATE INDEX filler_k ON filler (k)")
        written = await asyncio.create_task(_write_without_pause(db, 1.5))
        async with db.reading() as tx:
            assert await tx.value("SELECT COUNT(*) FROM filler") == written, "nothing lost"
    finally:
        await db.close()
    restarts = sum(later < earlier for earlier, later in itertools.pairwise(seen))
    assert written > 10_000, f"only {written} rows written: too few to tell"
    assert restarts >= 5 and max(seen) < 4_000, f"the log's length at each checkpoint: {seen}"
