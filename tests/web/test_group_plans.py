"""The network drawn by group counts its members from an index, never from their rows.

Above 2,000 members the network page counts members by region or by library type. A count that
reads every member's row took 150 ms at 100,000 members (`bench/dashboard.py`: the page by
library type took 529 ms of its 500). SQLite plans from the schema, not from how many rows there
are, so an empty database shows the plan a national one gets.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.areas.dashboard import queries as store
from bot.storage.db import Database


@pytest.mark.parametrize("by", ["region", "library"])
async def test_a_leads_count_by_group_reads_an_index_that_holds_it(
    tmp_path: Path, statements: dict[str, Any], by: str
) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    try:
        async with db.transaction() as tx:
            await store.groups(tx, store.Filters(everyone=True), by)
    finally:
        await db.close()
    counting = [(sql, params) for sql, params in statements.items() if "people p" in sql]
    assert len(counting) == 1, counting
    sql, params = counting[0]
    conn = sqlite3.connect(path)
    try:
        steps = [detail for *_, detail in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    finally:
        conn.close()
    reads = [step for step in steps if step.startswith(("SCAN p", "SEARCH p"))]
    assert reads and all("COVERING INDEX" in step for step in reads), steps
