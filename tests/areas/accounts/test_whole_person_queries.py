"""Whole-person operations must know every table that refers to a person."""

from __future__ import annotations

import inspect
from pathlib import Path

from bot.areas.accounts import queries as accounts
from bot.areas.accounts import scrub_queries as scrub
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
    # A column the bot computes from a scrubbed one alone (a name's key, an ask's search text) is
    # computed again from the scrubbed text (bot/core/names.py).
    scrubbed = set(scrub.TEXT_COLUMNS) | {(t, then) for (t, _), (then, _) in scrub.DERIVED_COLUMNS.items()}
    # Columns that hold no free text a person wrote: codes, kinds, states, keys, ids, settings.
    structural = {
        "role", "role_source", "tz", "region_key", "library", "visibility", "skill", "interest", "status",
        "kind", "key", "platform", "user_id", "event_id", "code_hash", "share", "pair_key", "a_answer",
        "b_answer", "how", "every", "anchor", "batch_key", "subject", "channel", "action", "value", "name",
        "round_key", "private_chat", "display_name", "token_hash", "source", "due_zone",
        # A signatory's email is an address, matched by `key`; a forgotten person's row is deleted.
        "email", "key_hash",
        # A name's key (bot/core/names.py) where it is a person's own name, deleted with them.
        "name_key",
    }  # fmt: skip
    # Summaries' copies of a source column, kept in step with it (bot/storage/summaries.py): a region as
    # shown follows `people.region`, a contact's words and their prefixes its `search` (the scrub redoes
    # them from the scrubbed text); region keys and library types are structural there as in `people`.
    derived = {("people_groups", "region"), ("tie_groups", "low"), ("tie_groups", "high"), ("contact_words", "word"),
               ("contact_prefixes", "prefix")}  # fmt: skip
    for table, column in sorted(text_columns - scrubbed - derived):
        assert column in structural, f"{table}.{column} may hold free text: scrub it on forget, or explain why not"


async def _person_tables(tmp_path: Path) -> dict[str, list[str]]:
    """Every table that refers to a person, and all its columns (the people table included)."""
    db = await Database.open(tmp_path / "export.sqlite3")
    found: dict[str, list[str]] = {}
    async with db.reading() as tx:
        for table in [r["name"] for r in await tx.all("SELECT name FROM sqlite_master WHERE type = 'table'")]:
            keys = await tx.all(f"PRAGMA foreign_key_list({table})")
            if table == "people" or any(fk["table"] == "people" for fk in keys):
                found[table] = [column["name"] for column in await tx.all(f"PRAGMA table_info({table})")]
    await db.close()
    return found


async def test_the_export_shows_or_explains_every_column_that_holds_a_persons_data(tmp_path: Path) -> None:
    """A column added later to a table about people fails here until it is exported or declared
    internal, so `export me` cannot silently leave it out."""
    from bot.areas.accounts.document import NOT_EXPORTED, PARTS

    covered: dict[str, set[str]] = {}
    for part in PARTS:
        columns = covered.setdefault(part.table, set())
        columns.update(part.owners, part.internal, *(field.columns for field in part.fields))
    for table, columns in (await _person_tables(tmp_path)).items():
        if table in NOT_EXPORTED:
            assert table not in covered, f"{table} is both exported and not"
            continue
        assert table in covered, f"export me leaves out {table}: add a Part, or say why in NOT_EXPORTED"
        missing = [column for column in columns if column not in covered[table]]
        assert not missing, f"export me leaves out {table}.{', '.join(missing)}: show it, or list it as internal"
        unknown = covered[table] - set(columns)
        assert not unknown, f"the export names columns {table} does not have: {unknown}"


def test_the_export_shows_no_internal_column_and_names_fields_as_people_type_them() -> None:
    from bot.areas.accounts.document import PARTS

    for part in PARTS:
        names = [field.name for field in part.fields]
        assert len(names) == len(set(names)), part.name
        shown = {column for field in part.fields for column in field.columns}
        assert not shown & set(part.internal), part.name
        stored_names = [name for name in names if name.endswith(("_at", "_id", "_s")) and name != "user_id"]
        assert not stored_names, f"{part.name}: {stored_names} (say `due`, not `due_at`)"
