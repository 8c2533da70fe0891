"""Reading a statement's plan for whole-table reads, for the tests that keep big tables indexed.

SQLite plans from the schema, not the row counts, so the plan a statement gets on a small test
database is the one it gets at national scale.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Collection
from typing import Any

_STEP = re.compile(r"^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?$")
#: A search by status alone: every open follow-up, every active claim, which grows with the network
#: as a whole table does (`contact note` read 30,000 open follow-ups to find one contact's: 20 ms).
_BY_STATUS = re.compile(r"^SEARCH (\w+) USING (?:COVERING )?INDEX (\w+) \(status=\?\)$")
_NAMED = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(?!WHERE|ON|SET|JOIN|LEFT|USING)(\w+))?", re.I)
_RUN = ("SELECT", "UPDATE", "DELETE", "INSERT", "WITH")


def whole_scans(conn: sqlite3.Connection, sql: str, params: Any, big: Collection[str]) -> list[str]:
    """Steps of the plan that read one of the `big` tables whole: its rows, an index of every row
    (an index with a WHERE, of the few rows the statement wants, is the point of one), or every
    row of one status."""
    if not sql.lstrip().upper().startswith(_RUN):
        return []
    aliases = {alias or table: table for table, alias in _NAMED.findall(sql)}
    partial = {name for name, made in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
               if made and " WHERE " in made}  # fmt: skip
    plan = [detail for *_, detail in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()]
    subqueries = {detail.split()[-1] for detail in plan if detail.startswith(("CO-ROUTINE", "MATERIALIZE"))}
    found = []
    for detail in plan:
        step = _STEP.match(detail) or _BY_STATUS.match(detail)
        if step is None or step[1] in subqueries or (step[2] or "") in partial:
            continue
        if aliases.get(step[1], step[1]) in big:
            found.append(f"{detail}: {sql[:300]}")
    return found
