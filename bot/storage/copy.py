"""`copy-db`: move a whole network from one database to another (SQLite ⇄ PostgreSQL).

Both sides are brought to the same schema version first (the source as the bot would at its next
start, the target from scratch), then every table is copied in the order the migrations created
it (so a row's references are there before it), in one transaction on the target: a copy that
fails leaves the target empty. The target must be empty — a copy never merges two networks —
and afterwards each table's row count is compared, new ids continue after the copied ones, and
the target's planner statistics are gathered.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from bot.storage.alone import running_alone
from bot.storage.db import Database, open_database
from bot.storage.targets import a_folder, backend_of, sqlite_path

log = logging.getLogger(__name__)

CHUNK = 5000


class CopyRefused(RuntimeError):
    """The copy cannot be made (the target holds data, the schemas differ, the counts differ)."""


async def copy_database(
    source: str,
    target: str,
    *,
    synchronous: str = "FULL",
    progress: Callable[[str, int], None] | None = None,
    opening: Callable[[str], AbstractAsyncContextManager[None]] = lambda _: contextlib.nullcontext(),
) -> dict[str, int]:
    """Copy everything from `source` into the empty `target`; returns the row count per table.
    Each database is opened within `opening(it)`, so that what it says about itself (not a
    database, unreachable) names it and not the other. A bot running on a SQLite side is refused
    (`storage.alone`): what it changed after the copy began would be left behind."""
    _check(source, target)
    with contextlib.ExitStack() as held:
        for side in (source, target):
            async with opening(side):
                held.enter_context(running_alone(side))
        async with opening(source):
            await _refuse_unused(source, synchronous)
            origin = await open_database(source, synchronous=synchronous)
        try:
            async with opening(target):
                destination = await open_database(target, synchronous=synchronous)
            try:
                return await _copy(origin, destination, progress)
            finally:
                await destination.close()
        finally:
            await origin.close()


async def _copy(origin: Database, destination: Database, progress: Callable[[str, int], None] | None) -> dict[str, int]:
    versions = (await origin.schema_version(), await destination.schema_version())
    if versions[0] != versions[1]:
        raise CopyRefused(f"schema versions differ ({versions[0]} and {versions[1]}); update the older bot first")
    tables = await origin.tables()
    if sorted(tables) != sorted(await destination.tables()):
        raise CopyRefused("the two databases have different tables; are they the same bot?")
    seeded = await _seeded(tables)
    for table, present in (await _counts(destination, tables)).items():
        if present > seeded[table]:
            raise CopyRefused(
                f"{destination.path} is not empty ({table} has {present:,} rows); copy into a new, empty database"
            )
    counts: dict[str, int] = {}
    async with origin.reading() as reader, destination.transaction() as writer:
        for table in tables:
            if seeded[table]:  # the target's own migrations wrote these: the source's replace them
                await writer.execute(f"DELETE FROM {table}")
            rows = await reader.all(f"SELECT * FROM {table}")
            counts[table] = len(rows)
            if rows:
                columns = rows[0].keys()
                marks = ", ".join("?" for _ in columns)
                insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                for start in range(0, len(rows), CHUNK):
                    await writer.executemany(insert, [tuple(row) for row in rows[start : start + CHUNK]])
                    await writer.value("SELECT 1")  # send this chunk before building the next
            if progress is not None:
                progress(table, len(rows))
            log.info("copied %s: %d rows", table, len(rows))
        await destination.after_copy(writer)
    copied = await _counts(destination, tables)
    wrong = {table: (counts[table], copied[table]) for table in tables if counts[table] != copied[table]}
    if wrong:
        raise CopyRefused(f"row counts differ after the copy: {wrong}")
    return counts


def _check(source: str, target: str) -> None:
    """Refuse one database named twice (the same URL, or paths to the same file), and a SQLite
    source that does not exist (opening it would make an empty one, and copy nothing)."""
    same = source == target
    if backend_of(source) == "sqlite":
        if (folder := a_folder(source)) is not None:
            raise CopyRefused(f"{folder}; --from names the database to copy")
        if not Path(sqlite_path(source)).is_file():
            raise CopyRefused(f"{sqlite_path(source)} does not exist; --from names the database to copy")
        file = Path(sqlite_path(source)).resolve()
        same = same or (backend_of(target) == "sqlite" and Path(sqlite_path(target)).resolve() == file)
    if same:
        raise CopyRefused("--from and --to are the same database")


#: Whether the bot ever ran on a database: it has the table of applied migrations.
_MIGRATED = {
    "sqlite": "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
    "postgresql": (
        "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"
    ),
}


async def _refuse_unused(source: str, synchronous: str) -> None:
    """Refuse a source the bot never ran on (an empty PostgreSQL database just created, an empty
    file), as a missing SQLite file is: opening it as the bot does would migrate it, and the copy
    would carry an empty network over as if it were the one meant. It is looked at unmigrated."""
    probe = await open_database(source, synchronous=synchronous, migrate=False)
    try:
        async with probe.reading() as tx:
            used = int(await tx.value(_MIGRATED[backend_of(source)]))
    finally:
        await probe.close()
    if not used:
        raise CopyRefused(f"{probe.path} holds no network (the bot never ran on it); --from names the database to copy")


async def _seeded(tables: list[str]) -> dict[str, int]:
    """Rows the migrations themselves write (`id_counters`), per table: a new database has them."""
    fresh = await open_database(":memory:")
    try:
        return await _counts(fresh, tables)
    finally:
        await fresh.close()


async def _counts(db: Database, tables: list[str]) -> dict[str, int]:
    async with db.reading() as tx:
        return {table: int(await tx.value(f"SELECT COUNT(*) FROM {table}")) for table in tables}
