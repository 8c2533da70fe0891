"""Ids that people see and type back are handed out once each, ever (`id_counters`).

SQLite gives a new row the largest id in its table plus one, so deleting the newest row frees its
id: a contact dropped, the intros and follow-ups that went with it, a resource dropped, everything
`forget me` deletes. The next row would get the same number, and someone still holding `accept 1`
from a message about the old intro would answer a different one; an outbox key made of the old id
(`intro:1:ask:p2`) would even keep the new intro's message from being queued. PostgreSQL's
identity sequences never go back, but a copy between the engines (`copy-db`) moves them to the
largest id copied, so they cannot be the record either.

So each such table has a row in `id_counters` (migrations 0007 and 0028), copied with the rest of
the database, and its INSERTs go through `insert` here: the statement that moves the counter on
travels with the INSERT, in its round trip, and the INSERT takes the new value. A table whose rows
are never deleted (asks, events, announcements: a person forgotten leaves them, by "a former
member") needs no counter; one whose rows go must be in `COUNTED` (a test checks every INSERT
into them comes through here).
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.storage.db import Params, Tx

#: The tables whose ids people see and whose rows can be deleted (by a command, a cascade or
#: `forget me`), each with its row in `id_counters`.
COUNTED = frozenset({"people", "contacts", "intros", "followups", "resources"})

_INSERT = re.compile(r"\s*INSERT\s+INTO\s+(\w+)\s*\((.*?)\)\s*VALUES\s*\(", re.I | re.S)


async def insert(tx: Tx, sql: str, params: Params = ()) -> int:
    """`tx.insert` into a `COUNTED` table: `sql` is `INSERT INTO <table> (<columns>) VALUES (…)`
    without the id, and the row gets the table's next id, one no row of it ever had; returns it."""
    advance, with_id = _statements(sql)
    tx.later(advance)
    return await tx.insert(with_id, params)


@lru_cache(maxsize=64)
def _statements(sql: str) -> tuple[str, str]:
    """The counter's move and the INSERT that takes its value, for an INSERT as `insert` takes it.

    The counter moves past the table's largest id too (an index probe, not a scan): a row written
    without it (a process of an older version still running beside a migrated database during a
    deploy) is then never collided with."""
    found = _INSERT.match(sql)
    if found is None or found.group(1).lower() not in COUNTED:
        raise ValueError(f"not an INSERT into a table with an id counter: {sql[:80]}")
    table = found.group(1).lower()
    if "id" in (column.strip().lower() for column in found.group(2).split(",")):
        raise ValueError(f"the id of {table} comes from its counter, not the caller: {sql[:80]}")
    advance = (
        f"UPDATE id_counters SET last = MAX(last, (SELECT COALESCE(MAX(id), 0) FROM {table})) + 1"
        f" WHERE name = '{table}'"
    )
    taken = f"(SELECT last FROM id_counters WHERE name = '{table}')"
    start, end = found.span(2)
    values = found.end()
    with_id = f"{sql[:start]}id, {sql[start:end]}{sql[end:values]}{taken}, {sql[values:]}"
    return advance, with_id
