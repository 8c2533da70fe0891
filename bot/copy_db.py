"""`python -m bot copy-db --from … --to …`: move a network between SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from bot.config import Config
from bot.storage.copy import CopyRefused, copy_database


def add_command(sub: Any, config_help: str) -> None:
    copy = sub.add_parser("copy-db", help="copy a whole network into an empty database (SQLite ⇄ PostgreSQL)")
    copy.add_argument("--config", help=config_help)
    copy.add_argument("--from", dest="source", required=True, help="the database to copy: a path or URL")
    copy.add_argument("--to", dest="target", required=True, help="an empty database: a path or postgresql:// URL")


async def run(
    config: Config, args: argparse.Namespace, errors: Callable[[str], AbstractAsyncContextManager[None]]
) -> int:
    """Copy, then say how much; a refusal (a target holding data) is one line and exit code 2.
    `errors` turns what a database says into that one line too (`storage.problems.database_errors`)."""
    try:
        async with errors(args.target):  # (each database's opening names it: `opening`)
            synchronous = config.database.synchronous
            counts = await copy_database(args.source, args.target, synchronous=synchronous, opening=errors)
    except CopyRefused as error:
        print(f"copy-db: {error}", file=sys.stderr)
        return 2
    print(f"copied {sum(counts.values()):,} rows in {len(counts)} tables; row counts match in every table")
    return 0
