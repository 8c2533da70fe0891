"""`python -m bot migrate` and `python -m bot backup PATH`: what a deployer runs on the database
itself (spec §10), each failure one line and exit 2 (`storage.problems`)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.config import Config
from bot.storage.db import Database
from bot.storage.problems import database_errors
from bot.storage.targets import backend_of, missing, sqlite_path


async def migrate(config: Config, args: argparse.Namespace) -> int:
    path = config.database.target(args.db)
    async with database_errors(path):
        db = await Database.open(path, synchronous=config.database.synchronous)
        try:
            version = await db.schema_version()
        finally:
            await db.close()
    print(f"{db.path}: schema at version {version}")
    return 0


def backup(config: Config, args: argparse.Namespace) -> int:
    source = config.database.target(args.db)
    target = Path(args.path)
    if backend_of(source) != "sqlite":
        advice = f'`pg_dump --format=custom --file={target} "$DATABASE_URL"` (pg_restore brings it back)'
        print(f"backup: this copies SQLite files; for PostgreSQL use {advice}", file=sys.stderr)
        return 2
    problem = missing(source)
    if problem is not None:
        print(f"backup: {problem}", file=sys.stderr)
        return 2
    source = sqlite_path(source)
    if target.resolve() == Path(source).resolve():
        print(
            f"backup: {target} is the database itself; give the copy another name, like {target}.bak", file=sys.stderr
        )
        return 2
    if target.is_dir():
        print(f"backup: {target} is a folder; give a file name, like {target / 'bot-copy.sqlite3'}", file=sys.stderr)
        return 2
    if not target.parent.is_dir():
        print(
            f"backup: the folder {target.parent} does not exist; create it (mkdir -p {target.parent}) "
            "or choose another path",
            file=sys.stderr,
        )
        return 2
    if target.exists() and not args.force:
        print(f"backup: {target} exists; use --force to overwrite", file=sys.stderr)
        return 2
    asyncio.run(_copy(config, source, target))
    print(f"backed up {source} to {target} ({target.stat().st_size} bytes)")
    return 0


async def _copy(config: Config, source: str, target: Path) -> None:
    """Copy to a new file beside the target, then move it into place: an existing backup is
    only replaced by a complete one, and a copy that failed leaves no half-written or empty
    file to be trusted later (nor takes the backup it would have replaced with it)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        async with database_errors(source):
            db = await Database.open(source, synchronous=config.database.synchronous, migrate=False)
            try:
                async with database_errors(str(target)):
                    await db.backup(partial)
            finally:
                await db.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
