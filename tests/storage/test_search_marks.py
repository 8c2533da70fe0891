"""Migration 31: a network stored before a word with marks in it was also searched by without
them and by its pieces (`bot/core/names.py`, `searched`) has every search text made anew, and
the contacts' words index and its prefix counts rebuilt from them; on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.areas.contacts import queries as contacts
from bot.core.names import fold, searched
from bot.ids import PersonId
from bot.storage import summaries
from bot.storage.db import Tx
from tests.older import stored_at
from tests.postgres import opened

NAME, ORG = "Pat O'Brien", "AFL-CIO"


async def _stored_before_marks(tx: Tx) -> None:
    """At version 30: a contact, a signatory, a shared link and an ask with marks in their words,
    each searched by its text as written only, and the contacts' words from that."""
    written = fold(f"{NAME} {ORG}")
    await tx.execute(
        "INSERT INTO people (id, display_name, name_key, created_at, last_seen_at) VALUES (1, 'Alice', 'alice', 0, 0)"
    )
    await tx.execute(
        "INSERT INTO contacts (owner_id, name, name_key, org, share, search, created_at, updated_at)"
        " VALUES (1, :name, :key, :org, 'members', :search, 0, 0)",
        {"name": NAME, "key": fold(NAME), "org": ORG, "search": written},
    )
    await tx.execute(
        "INSERT INTO signatories (key, name, name_key, workplace, search, created_at, updated_at)"
        " VALUES ('name:pat', :name, :key, :org, :search, 0, 0)",
        {"name": NAME, "key": fold(NAME), "org": ORG, "search": written},
    )
    await tx.execute(
        "INSERT INTO resources (url, title, search, created_at, updated_at)"
        " VALUES ('https://example.org/1', :title, :search, 0, 0)",
        {"title": f"{ORG} contract", "search": fold(f"{ORG} contract")},
    )
    await tx.execute(
        "INSERT INTO asks (title, search, need, posted_by, created_at, updated_at)"
        " VALUES (:title, :search, 1, 1, 0, 0)",
        {"title": f"Call {NAME}", "search": fold(f"Call {NAME}")},
    )
    await summaries.rebuild(tx)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_what_was_stored_before_is_found_by_its_words_without_marks_after_the_upgrade(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with (
        stored_at(30, backend, tmp_path, monkeypatch, _stored_before_marks) as url,
        opened(url) as db,  # opening migrates
        db.transaction() as tx,
    ):
        for typed in ("obrien", "cio", "o'brien"):
            found = await contacts.visible_to(tx, PersonId(2), True, [typed], 10, 0)
            assert [c.name for c in found.contacts] == [NAME] and found.total == 1, typed
        assert await tx.value("SELECT search FROM contacts") == searched(NAME, ORG)
        assert await tx.value("SELECT search FROM signatories") == searched(NAME, None, ORG)
        assert await tx.value("SELECT search FROM resources") == searched(f"{ORG} contract")
        assert await tx.value("SELECT search FROM asks") == searched(f"Call {NAME}")
        assert "obrien" in str(await tx.value("SELECT search FROM asks"))
        assert not await summaries.differences(tx)  # the words index and its counts, as rebuilt
