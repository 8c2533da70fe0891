"""Names' keys and folded search texts (`bot/core/names.py`) for a network stored before them:
migrations 18, 19 and 21 compute them in Python (`bot/storage/fills.py`), a batch at a time, in
the migration's own transaction, 20 rebuilds the contacts' words, and every start fills the keys
and asks' search texts an older process left out; on both backends."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.core.names import fold, searched
from bot.storage import fills, migrate, summaries
from bot.storage.backends import postgres
from bot.storage.db import open_database
from tests.postgres import opened

NAMES = ("Renée Marchand", "ÉMILE  Zola", "bob", "Łucja", "Ångström", "zoe", "Ali")


@asynccontextmanager
async def before_keys(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """Migrations as they were up to 17 (both backends' runners read `available`)."""
    older = migrate.available()[:17]
    with monkeypatch.context() as patched:
        patched.setattr(migrate, "available", lambda: older)
        patched.setattr(postgres, "available", lambda: older)
        yield


async def _store_names(unmigrated: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A network at version 17: people, their accounts, a contact and a signatory per name."""
    async with before_keys(monkeypatch), opened(unmigrated) as db, db.transaction() as tx:
        for n, name in enumerate(NAMES, start=1):
            await tx.execute(
                "INSERT INTO people (id, display_name, created_at, last_seen_at) VALUES (:n, :name, 0, 0)",
                {"n": n, "name": name},
            )
            await tx.execute(
                "INSERT INTO identities (platform, user_id, person_id, display_name, last_seen_at)"
                " VALUES ('console', :u, :n, :name, 0)",
                {"u": f"u{n}", "n": n, "name": name},
            )
            await tx.execute(
                "INSERT INTO contacts (owner_id, name, share, search, created_at, updated_at)"
                " VALUES (1, :name, 'private', :s, 0, 0)",
                {"name": name, "s": name.casefold()},
            )
            await tx.execute(
                "INSERT INTO signatories (key, name, search, created_at, updated_at) VALUES (:k, :name, :s, 0, 0)",
                {"k": f"name:{n}", "name": name, "s": name.casefold()},
            )
            await tx.execute(
                "INSERT INTO resources (url, title, tags, search, created_at, updated_at)"
                " VALUES (:u, :name, 'négociation,law', :s, 0, 0)",
                {"u": f"https://example.org/{n}", "name": name, "s": f"{name} négociation law".casefold()},
            )
            await tx.execute(
                "INSERT INTO asks (title, need, posted_by, created_at, updated_at) VALUES (:t, 1, :n, 0, 0)",
                {"t": f"{name}'s zine", "n": n},
            )
        await summaries.rebuild(tx)  # the contacts' words, as the bot kept them before


async def test_the_keys_of_names_stored_before_them_are_filled_in_batches(
    unmigrated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _store_names(unmigrated, monkeypatch)
    monkeypatch.setattr(fills, "BATCH", 2)  # seven rows a table: four batches, the last one short
    async with opened(unmigrated) as db, db.transaction() as tx:  # (`differences` rolls back a rebuild)
        for table, column in (("people", "display_name"), ("identities", "display_name"), ("contacts", "name"),
                              ("signatories", "name")):  # fmt: skip
            rows = await tx.all(f"SELECT {column}, name_key FROM {table}")
            assert sorted(tuple(row) for row in rows) == sorted((name, fold(name)) for name in NAMES), table
        assert await tx.value("SELECT MAX(version) FROM schema_migrations") == migrate.available()[-1].version
        # Migration 19 folded what searches look in, and 20 made the contacts' words from it.
        for table in ("contacts", "signatories"):
            rows = await tx.all(f"SELECT name, search FROM {table}")
            assert sorted(tuple(row) for row in rows) == sorted((name, fold(name)) for name in NAMES), table
        rows = await tx.all("SELECT title, search FROM resources")
        assert sorted(tuple(row) for row in rows) == sorted((n, f"{fold(n)} negociation law") for n in NAMES)
        rows = await tx.all("SELECT title, search FROM asks")  # and 21 what an ask's completion looks in (31:
        expected = [(f"{n}'s zine", searched(f"{n}'s zine")) for n in NAMES]  # with `ali's` as `alis`, `ali`)
        assert sorted(tuple(row) for row in rows) == sorted(expected)
        words = {row[0] for row in await tx.all("SELECT word FROM contact_words")}
        assert {"renee", "emile", "lucja", "angstrom"} <= words and "renée" not in words
        assert not await summaries.differences(tx)
        if not unmigrated.startswith("postgresql"):  # the migrations sorted on disk; commands sort in memory again
            assert await tx.value("PRAGMA temp_store") == 2
        ordered = [row[0] for row in await tx.all("SELECT display_name FROM people ORDER BY name_key, id")]
    assert ordered == ["Ali", "Ångström", "bob", "ÉMILE  Zola", "Łucja", "Renée Marchand", "zoe"]


async def test_names_an_older_process_wrote_without_their_key_get_it_at_the_next_start(
    unmigrated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """During a deploy without downtime the old process runs on beside the migrated database, and
    writes names without keys (it knows no such column) until it is restarted."""
    async with opened(unmigrated) as db, db.transaction() as tx:
        await tx.execute("INSERT INTO people (id, display_name, created_at, last_seen_at) VALUES (1, 'Zoë', 0, 0)")
        await tx.execute(
            "INSERT INTO contacts (owner_id, name, share, search, created_at, updated_at)"
            " VALUES (1, 'Ångström', 'private', 'ångström', 0, 0)"
        )
        for title in ("Zoë's zine", "Émile's  ÉCOLE"):
            await tx.execute(
                "INSERT INTO asks (title, need, posted_by, created_at, updated_at) VALUES (:t, 1, 1, 0, 0)",
                {"t": title},
            )
    monkeypatch.setattr(fills, "BATCH", 1)
    async with opened(unmigrated) as db, db.reading() as tx:
        assert await tx.value("SELECT name_key FROM people") == "zoe"
        assert await tx.value("SELECT name_key FROM contacts") == "angstrom"
        texts = [row[0] for row in await tx.all("SELECT search FROM asks ORDER BY id")]
        assert texts == ["zoe's zine zoes zoe", "emile's ecole emiles emile"]


class Refused(Exception):
    """A Python step failing halfway."""


def _refusing(after: int) -> Callable[[str], str]:
    seen = 0

    def compute(name: str) -> str:
        nonlocal seen
        seen += 1
        if seen > after:
            raise Refused(name)
        return fold(name)

    return compute


async def test_a_python_step_that_fails_leaves_the_database_as_it_was(
    unmigrated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _store_names(unmigrated, monkeypatch)
    steps = fills.FILLS[18]
    failing = (*steps[:-1], fills.Fill("signatories", ("id",), ("name",), "name_key", _refusing(3)))
    monkeypatch.setattr(fills, "FILLS", {**fills.FILLS, 18: failing})
    monkeypatch.setattr(fills, "BATCH", 2)
    with pytest.raises(Refused):
        await open_database(unmigrated)
    async with before_keys(monkeypatch), opened(unmigrated) as db, db.reading() as tx:
        assert await tx.value("SELECT MAX(version) FROM schema_migrations") == 17
        with pytest.raises(Exception, match="name_key"):  # the column the migration added is gone too
            await tx.value("SELECT name_key FROM people")
    monkeypatch.setattr(fills, "FILLS", {**fills.FILLS, 18: steps})
    async with opened(unmigrated) as db, db.reading() as tx:  # a later start migrates it whole
        assert await tx.value("SELECT COUNT(*) FROM people WHERE name_key IS NOT NULL") == len(NAMES)


async def test_a_typed_name_is_one_index_probe_for_people_and_for_accounts(tmp_path: Path) -> None:
    """An account's name had no index: every typed name read all the accounts (3.6 ms at 100,000)."""
    async with opened(str(tmp_path / "bot.sqlite3")) as db, db.reading() as tx:
        plan = " / ".join(
            str(row[3])
            for row in await tx.all(
                "EXPLAIN QUERY PLAN SELECT id FROM people WHERE name_key = :k"
                " OR id IN (SELECT person_id FROM identities WHERE name_key = :k)",
                {"k": "x"},
            )
        )
    assert "SCAN" not in plan and "identities USING INDEX identities_by_name" in plan, plan


async def test_the_starts_look_for_values_an_older_process_left_out_is_an_index_probe(tmp_path: Path) -> None:
    """Every start looks for them: a scan would read every person, account, contact and ask. (A
    partial index holds only the rows without a value, none once all are filled: reading it whole
    is reading nothing.)"""
    async with opened(str(tmp_path / "bot.sqlite3")) as db, db.reading() as tx:
        partial = {row[0] for row in await tx.all("SELECT name FROM sqlite_master WHERE sql LIKE '% WHERE %'")}
        for step in (step for steps in fills.FILLS.values() for step in steps if not step.every):
            plan = [str(row[3]) for row in await tx.all(f"EXPLAIN QUERY PLAN {step.rows(False)}", [1])]
            for line in plan:
                read = line.split(" USING ")
                index = read[1].split()[-1] if len(read) == 2 else ""
                assert line.startswith("SEARCH") or index in partial, (step.table, plan)
