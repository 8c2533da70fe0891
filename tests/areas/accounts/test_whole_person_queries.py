"""Whole-person operations must know every table that refers to a person."""

from __future__ import annotations

import inspect
from pathlib import Path

from bot.areas.accounts import queries as accounts
from bot.storage.db import Database


async def _person_columns(tmp_path: Path) -> set[tuple[str, str]]:
    db = await Database.open(tmp_path / "fk.sqlite3")
    found: set[tuple[str, str]] = set()
    async with db.reading() as tx:
        for table in [r["name"] for r in await tx.all("SELECT name FROM sqlite_master WHERE type = 'table'")]:
            for fk in await tx.all(f"PRAGMA foreign_key_list({table})"):
                if fk["table"] == "people":
                    found.add((table, fk["from"]))
    await db.close()
    return found


async def test_merging_people_handles_every_column_that_refers_to_a_person(tmp_path: Path) -> None:
    source = inspect.getsource(accounts.merge) + inspect.getsource(accounts._merge_intros)
    pair_tables = {"ties", "pairings"}  # handled generically by _merge_pairs
    for table, column in await _person_columns(tmp_path):
        if table in pair_tables:
            assert f'"{table}"' in source, table
            continue
        assert (
            f"{table} SET {column}" in source
            or f"INTO {table} " in source
            or f"FROM {table} " in source
            or (table == "intros" and column in {"a_id", "b_id"})
        ), f"merge() does not move {table}.{column}"


async def test_every_text_column_is_scrubbed_or_deleted_on_forget(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "text.sqlite3")
    text_columns: set[tuple[str, str]] = set()
    async with db.reading() as tx:
        for table in [r["name"] for r in await tx.all("SELECT name FROM sqlite_master WHERE type = 'table'")]:
            for column in await tx.all(f"PRAGMA table_info({table})"):
                if column["type"].upper() == "TEXT":
                    text_columns.add((table, column["name"]))
    await db.close()
    scrubbed = set(accounts.TEXT_COLUMNS)
    # Columns that hold no free text a person wrote: codes, kinds, states, keys, ids, settings.
    structural = {
        "role", "role_source", "tz", "region_key", "library", "visibility", "skill", "interest", "status",
        "kind", "key", "platform", "user_id", "event_id", "code_hash", "share", "pair_key", "a_answer",
        "b_answer", "how", "every", "anchor", "batch_key", "subject", "channel", "action", "value", "name",
        "round_key", "private_chat", "display_name", "token_hash", "due_zone",
        # A signatory's email is an address, matched by `key`; a forgotten person's row is deleted.
        "email", "key_hash",
    }  # fmt: skip
    for table, column in sorted(text_columns - scrubbed):
        assert column in structural, f"{table}.{column} may hold free text: scrub it on forget, or explain why not"
