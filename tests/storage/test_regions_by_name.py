"""Regions named by code or by name group together (`normalise_region`): migration 26 reads every
stored region anew and recomputes the summaries that group people by region; on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage import fills, migrate, summaries
from bot.storage.backends import postgres
from bot.storage.db import Tx
from tests.older import stored_at
from tests.postgres import opened

#: (region as typed, visibility) of five signed-up volunteers and one who has not signed up.
PEOPLE = (("OH", "members"), ("Ohio", "members"), ("ohio", "leads"), ("Upper  midwest", "members"),
          ("wa", "members"), (None, "members"))  # fmt: skip


async def _store_at_25(unmigrated: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A network as the bot kept it before: each region keyed by its typed words, the summaries
    counting `OH` and `Ohio` apart."""
    older = migrate.available()[:25]
    with monkeypatch.context() as patched:
        patched.setattr(migrate, "available", lambda: older)
        patched.setattr(postgres, "available", lambda: older)
        async with opened(unmigrated) as db, db.transaction() as tx:
            for n, (region, visibility) in enumerate(PEOPLE, start=1):
                await tx.execute(
                    "INSERT INTO people (id, display_name, region, region_key, visibility, signed_up_at,"
                    " created_at, last_seen_at) VALUES (:n, :name, :region, :key, :v, :signed, 0, 0)",
                    {
                        "n": n,
                        "name": f"p{n}",
                        "region": region,
                        "key": region and " ".join(region.split()).casefold(),
                        "v": visibility,
                        "signed": None if region is None else 0,
                    },
                )
            for a, b in ((1, 2), (2, 4), (3, 5)):  # Ohio–Ohio was a tie across regions
                await tx.execute(
                    "INSERT INTO ties (a_id, b_id, first_at, last_at) VALUES (:a, :b, 0, 0)", {"a": a, "b": b}
                )
            await tx.execute(
                "INSERT INTO events (title, length_s, tz, anchor, at_minute, region, region_key, created_at,"
                " updated_at)"
                " VALUES ('Meet-up', 3600, 'UTC', '2026-12-10', 600, 'NY', 'ny', 0, 0)"
            )
            await tx.execute(
                "INSERT INTO signatories (key, name, region, region_key, search, created_at, updated_at)"
                " VALUES ('name:1', 'Pat Lee', 'OH', 'oh', 'pat lee oh', 0, 0)"
            )
            await summaries.rebuild(tx)


async def test_a_state_typed_as_its_code_or_its_name_is_one_region_after_the_migration(
    unmigrated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _store_at_25(unmigrated, monkeypatch)
    monkeypatch.setattr(fills, "BATCH", 2)  # six people: three batches
    async with opened(unmigrated) as db, db.transaction() as tx:  # (`differences` rolls back a rebuild)
        rows = await tx.all("SELECT region, region_key FROM people ORDER BY id")
        assert [tuple(row) for row in rows] == [
            ("Ohio", "ohio"), ("Ohio", "ohio"), ("Ohio", "ohio"), ("Upper Midwest", "upper midwest"),
            ("WA", "wa"), (None, None),
        ]  # fmt: skip
        groups = await tx.all("SELECT region, visibility, members FROM people_groups WHERE region_key = 'ohio'")
        assert sorted(tuple(row) for row in groups) == [("Ohio", "leads", 1), ("Ohio", "members", 2)]
        assert not await tx.value("SELECT COUNT(*) FROM people_groups WHERE region_key = 'oh'")
        ties = await tx.all("SELECT low, high, ties FROM tie_groups WHERE kind = 'region' ORDER BY low, high")
        assert [tuple(row) for row in ties] == [("ohio", "ohio", 1), ("ohio", "upper midwest", 1), ("ohio", "wa", 1)]
        reach = await tx.all("SELECT person_id, regions FROM network_reach ORDER BY person_id")
        assert [tuple(row) for row in reach] == [(2, 1), (3, 1), (4, 1), (5, 1)]  # 1 and 2 are no bridge now
        assert not await summaries.differences(tx)
        event = await tx.one("SELECT region, region_key FROM events")
        assert event is not None and tuple(event) == ("New York", "new york")
        signatory = await tx.one("SELECT region, region_key, search FROM signatories")
        assert signatory is not None and tuple(signatory) == ("Ohio", "ohio", "pat lee ohio")
        assert await tx.value("SELECT MAX(version) FROM schema_migrations") == migrate.available()[-1].version


async def _typed_with_qualifiers(tx: Tx) -> None:
    """At version 31: Ohio typed three ways, each its own region in the summaries."""
    for n, region in enumerate(("Ohio.", "Ohio, USA", "Ohio", "upper-midwest", "Upper Midwest"), start=1):
        await tx.execute(
            "INSERT INTO people (id, display_name, region, region_key, visibility, signed_up_at, created_at,"
            " last_seen_at) VALUES (:n, :name, :region, :key, 'members', 0, 0, 0)",
            {"n": n, "name": f"p{n}", "region": region, "key": region.casefold()},
        )
    await summaries.rebuild(tx)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_a_region_typed_with_a_full_stop_or_its_country_is_the_region_after_the_migration(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 32: `coverage` counted `Ohio.`, `Ohio, USA` and `Ohio` as three regions."""
    async with (
        stored_at(31, backend, tmp_path, monkeypatch, _typed_with_qualifiers) as url,
        opened(url) as db,  # opening migrates
        db.transaction() as tx,  # (`differences` rolls back a rebuild)
    ):
        rows = [tuple(row) for row in await tx.all("SELECT region, region_key FROM people ORDER BY id")]
        assert rows == [("Ohio", "ohio")] * 3 + [("Upper-midwest", "upper midwest"), ("Upper Midwest", "upper midwest")]
        groups = await tx.all(
            "SELECT region_key, SUM(members) FROM people_groups WHERE region_key IS NOT NULL GROUP BY region_key"
        )
        assert sorted(tuple(row) for row in groups) == [("ohio", 3), ("upper midwest", 2)]
        assert not await summaries.differences(tx)
