"""Ids people see and type back are handed out once each, ever (`bot/storage/counters.py`): a
deleted row's id never comes back, on both backends; migration 28 starts each counter after every
id already handed out; and every INSERT into such a table takes its id from the counter."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.storage import counters, migrate
from bot.storage.backends import postgres
from tests.postgres import opened

BOT = Path(__file__).resolve().parents[2] / "bot"

#: A row of each counted table (`:p` a person, `:c` a contact, `:n` what makes the row unique).
ROWS = {
    "people": "INSERT INTO people (display_name, created_at, last_seen_at) VALUES (:n, 0, 0)",
    "contacts": "INSERT INTO contacts (owner_id, name, share, search, created_at, updated_at)"
    " VALUES (:p, :n, 'private', :n, 0, 0)",
    "intros": "INSERT INTO intros (a_id, contact_id, pair_key, why, created_at) VALUES (:p, :c, :n, 'why', 0)",
    "followups": "INSERT INTO followups (person_id, contact_id, due_at, created_at) VALUES (:p, :c, 0, 0)",
    "resources": "INSERT INTO resources (url, search, created_at, updated_at) VALUES (:n, :n, 0, 0)",
}


def test_every_table_with_a_counter_has_a_row_to_insert_here() -> None:
    assert set(ROWS) == counters.COUNTED


async def test_the_id_of_a_deleted_newest_row_is_never_handed_out_again(database: str) -> None:
    """SQLite gave a new row the largest id plus one: the id of the newest row deleted came back."""
    async with opened(database) as db, db.transaction() as tx:
        person = await counters.insert(tx, ROWS["people"], {"n": "Ann"})
        contact = await counters.insert(tx, ROWS["contacts"], {"p": person, "n": "Jo"})
        for table, sql in ROWS.items():
            given = [await counters.insert(tx, sql, {"p": person, "c": contact, "n": f"{table}{n}"}) for n in (1, 2)]
            await tx.execute(f"DELETE FROM {table} WHERE id = :id", {"id": given[-1]})
            again = await counters.insert(tx, sql, {"p": person, "c": contact, "n": f"{table}3"})
            assert again == given[-1] + 1, table


async def test_a_row_written_without_the_counter_is_never_collided_with(database: str) -> None:
    """A process of the older version, still running beside a migrated database during a deploy,
    writes rows with the engine's own ids: the counter moves past them."""
    async with opened(database) as db, db.transaction() as tx:
        person = await counters.insert(tx, ROWS["people"], {"n": "Ann"})
        older = await tx.insert(ROWS["contacts"], {"p": person, "n": "Jo"})
        assert await counters.insert(tx, ROWS["contacts"], {"p": person, "n": "Sam"}) == older + 1


async def test_the_counters_start_after_every_id_a_database_already_handed_out(
    unmigrated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 28 seeds each counter from its table. PostgreSQL's identity sequence never went
    back, so there a number the newest row deleted had is not given again either; SQLite kept no
    record of it, and had already given it back (as every SQLite database did until now)."""
    older = migrate.available()[:27]
    with monkeypatch.context() as patched:
        patched.setattr(migrate, "available", lambda: older)
        patched.setattr(postgres, "available", lambda: older)
        async with opened(unmigrated) as db, db.transaction() as tx:
            await tx.execute("INSERT INTO people (id, display_name, created_at, last_seen_at) VALUES (1, 'Ann', 0, 0)")
            for name in ("Jo", "Sam", "Lee"):
                await tx.insert(ROWS["contacts"], {"p": 1, "n": name})
            await tx.execute("DELETE FROM contacts WHERE name = 'Lee'")  # contact 3, the newest
    async with opened(unmigrated) as db, db.transaction() as tx:
        seeded = {row["name"]: row["last"] for row in await tx.all("SELECT name, last FROM id_counters")}
        postgresql = unmigrated.startswith("postgresql")
        assert seeded == {"people": 0, "contacts": 3 if postgresql else 2, "intros": 0, "followups": 0, "resources": 0}
        contact = await counters.insert(tx, ROWS["contacts"], {"p": 1, "n": "Ray"})
        assert contact == (4 if postgresql else 3)
        assert await counters.insert(tx, ROWS["resources"], {"n": "https://example.org"}) == 1


_INSERT_INTO = re.compile(r"^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(\w+)", re.I)


def _inserts_bypassing_the_counters(path: Path) -> list[str]:
    """Calls in `path` given an INSERT into a counted table that are not `counters.insert`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        texts = [arg for arg in node.args[:2] if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        tables = {match.group(1).lower() for arg in texts if (match := _INSERT_INTO.match(arg.value))}
        if not tables & counters.COUNTED:
            continue
        func = node.func
        through = isinstance(func, ast.Attribute) and func.attr == "insert" and ast.unparse(func.value) == "counters"
        if not through:
            found.append(f"{path.relative_to(BOT.parent)}:{node.lineno}")
    return found


def test_every_insert_into_a_counted_table_takes_its_id_from_the_counter() -> None:
    """A forgotten one would hand out a deleted row's id again on SQLite (the counter would then
    only step over it)."""
    wrong = [place for path in sorted(BOT.rglob("*.py")) for place in _inserts_bypassing_the_counters(path)]
    assert not wrong, wrong
