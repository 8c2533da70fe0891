"""Starting the dashboard: inside the bot, on its own, and a link from the command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator

from bot.areas import dashboard, people
from bot.clock import Clock, SystemClock, to_ts
from bot.config import Config, ConfigError, parse_listen
from bot.core.errors import UserError
from bot.core.params import MemberRef
from bot.core.speakers import role_now
from bot.core.text import plain_text
from bot.storage import audit
from bot.storage.db import Database
from bot.storage.problems import database_errors
from bot.storage.targets import missing
from bot.web.server import Dashboard

log = logging.getLogger(__name__)


class LinkError(ValueError):
    """No link can be made: the member is unknown, or not a lead; the message says which."""


@contextlib.asynccontextmanager
async def start(db: Database, config: Config, clock: Clock, host: str, port: int) -> AsyncIterator[Dashboard]:
    """Serve the dashboard while the block runs, reading through its own connection."""
    reader = db if db.path == ":memory:" else await db.reader()
    server = Dashboard(db, reader, config, clock)
    try:
        try:
            await server.start(host, port)
        except OSError as error:  # the port is taken, or the address is not this machine's
            why = os.strerror(error.errno) if error.errno else str(error)
            raise ConfigError(
                f"the dashboard can't listen on {host}:{port} ({why}); choose another "
                "address (web.listen, or web --listen) or stop what uses it"
            ) from None
        yield server
    finally:
        await server.stop()
        if reader is not db:
            await reader.close()


async def serve(config: Config, path: str, host: str, port: int) -> None:
    """Serve the dashboard on its own until SIGTERM or Ctrl-C, on the bot's database."""
    async with database_errors(path):
        db = await Database.open(path, synchronous=config.database.synchronous)
    try:
        async with start(db, config, SystemClock(), host, port):
            print(f"dashboard on http://{host}:{port} (Ctrl-C stops)", flush=True)
            stopping = asyncio.Event()
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
            await stopping.wait()
    finally:
        await db.close()


async def link(config: Config, path: str, member: str, base: str) -> str:
    """A one-time link for a lead, named as chat names them (`alice`, `console:alice`,
    `discord:1234`, `matrix:@alice:example.org`)."""
    platform, _, user = member.partition(":")
    ref = MemberRef(member, platform, user) if platform in ("console", "discord", "matrix") and user else None
    async with database_errors(path):
        db = await Database.open(path, synchronous=config.database.synchronous)
    try:
        async with db.transaction() as tx:
            now = to_ts(SystemClock().now())
            try:
                person = await people.resolve(
                    tx, ref or MemberRef(member), (ref.platform or "console") if ref else "console"
                )
                role = await role_now(tx, person, config)
                token = await dashboard.access.new_link(tx, person, role, now)
            except UserError as error:
                raise LinkError(plain_text(error.message)) from None
            await audit.record(tx, None, "dashboard.link", person.display_name, "", now, source="cli")
    finally:
        await db.close()
    return dashboard.address(base.rstrip("/"), token)


def cli(config: Config, args: argparse.Namespace) -> int:
    """`python -m bot web` (the dashboard on its own) and `dashboard-link` (a link for a lead):
    one line and exit status 2 for what the deployer can fix."""
    path = config.database.target(args.db)
    problem = missing(path)
    if problem is not None:
        print(f"{args.command}: {problem}", file=sys.stderr)
        return 2
    if args.command == "dashboard-link":
        base = args.base_url or config.web.link_base() or "http://127.0.0.1:8080"
        if not base.startswith(("http://", "https://")):
            print(f"dashboard-link: --base-url should start with https:// or http://, not {base!r}", file=sys.stderr)
            return 2
        try:
            print(asyncio.run(link(config, path, args.member, base)))
        except LinkError as error:
            print(f"dashboard-link: {error}", file=sys.stderr)
            return 2
        return 0
    try:
        host, port = parse_listen(args.listen or config.web.listen or "127.0.0.1:8080")
    except ValueError as error:
        print(f"web: --listen {error}", file=sys.stderr)
        return 2
    asyncio.run(serve(config, path, host, port))
    return 0
