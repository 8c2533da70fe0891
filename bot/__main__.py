"""Command line: `python -m bot run|console|migrate|backup|copy-db|check-config|discord-sync`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.adapters.base import Adapter
from bot.adapters.console import Console
from bot.app import App
from bot.clock import ManualClock, OffsetClock, SystemClock
from bot.config import Config, ConfigError, Secrets, load
from bot.platforms import Holder, LeaseLost
from bot.storage.db import DatabaseUnavailable, backend_of, open_database, sqlite_path, where
from bot.storage.migrate import SchemaTooNew

log = logging.getLogger("bot")

CREDENTIALS_HELP = (
    "No platform credentials found, so I'm starting the console. To connect, set DISCORD_TOKEN "
    "(Discord) and/or MATRIX_ACCESS_TOKEN or MATRIX_PASSWORD with matrix.homeserver and "
    "matrix.user_id in the config (Matrix). See README.md."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="volunteer-bot")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", help="YAML config file (default: every documented default)")
        p.add_argument(
            "--db", help="SQLite file or postgresql:// URL (default: DATABASE_URL, database.url, database.path)"
        )

    run = sub.add_parser("run", help="connect to every platform that has credentials (else the console)")
    common(run)
    console = sub.add_parser("console", help="talk to the bot in this terminal")
    common(console)
    console.add_argument("--as", dest="user", help="who plain lines speak as (an admin; default: you)")
    console.add_argument("--start", help="freeze the clock at this UTC time, e.g. 2026-12-01T09:00Z")
    console.add_argument("--journal", help="file remembering delivered message keys across restarts")
    console.add_argument("--downloads", help="folder to save files the bot sends (e.g. `export me`)")
    migrate = sub.add_parser("migrate", help="bring the database schema up to date")
    common(migrate)
    backup = sub.add_parser("backup", help="copy the database safely while the bot runs")
    common(backup)
    backup.add_argument("path", help="where to write the copy")
    backup.add_argument("--force", action="store_true", help="overwrite an existing file")
    copy = sub.add_parser("copy-db", help="copy a whole network into an empty database (SQLite ⇄ PostgreSQL)")
    copy.add_argument("--config", help="YAML config file (default: every documented default)")
    copy.add_argument("--from", dest="source", required=True, help="the database to copy: a path or URL")
    copy.add_argument("--to", dest="target", required=True, help="an empty database: a path or postgresql:// URL")
    sub.add_parser("docs", help="print docs/commands.md, generated from the command registry")
    check = sub.add_parser("check-config", help="validate the config and report what would start")
    common(check)
    discord_sync = sub.add_parser(
        "discord-sync", help="push the slash commands to Discord (to discord.guild_ids, else globally)"
    )
    discord_sync.add_argument("--config", help="YAML config file (default: every documented default)")
    return parser


def _setup_logging(config: Config, stream_level: str | None = None) -> None:
    logging.basicConfig(
        level=stream_level or config.logging.level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "docs":
        from bot.areas.help import markdown
        from bot.catalog import REGISTRY

        sys.stdout.write(markdown(REGISTRY))
        return 0
    try:
        config = load(getattr(args, "config", None))
    except ConfigError as error:
        print(f"config error: {error}", file=sys.stderr)
        return 2
    quiet_console = args.command == "console" or (args.command == "run" and not _has_credentials())
    _setup_logging(config, "WARNING" if quiet_console else None)
    try:
        if args.command == "console":
            return asyncio.run(_console(config, args))
        if args.command == "run":
            return asyncio.run(_run(config, args))
        if args.command == "migrate":
            return asyncio.run(_migrate(config, args))
        if args.command == "backup":
            return _backup(config, args)
        if args.command == "discord-sync":
            return asyncio.run(_discord_sync(config))
        if args.command == "copy-db":
            return asyncio.run(_copy_db(config, args))
        return _check_config(config, args)
    except ConfigError as error:  # found only when connecting, e.g. a refused Matrix login
        print(f"config error: {error}", file=sys.stderr)
        return 2
    except (SchemaTooNew, DatabaseUnavailable) as error:
        print(f"database error: {error}", file=sys.stderr)
        return 2
    except LeaseLost as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _has_credentials() -> bool:
    secrets = Secrets.from_env()
    return bool(secrets.discord_token or secrets.matrix)


async def _console(config: Config, args: argparse.Namespace) -> int:
    clock: ManualClock | OffsetClock
    if args.start:
        moment = datetime.fromisoformat(args.start.replace("Z", "+00:00"))
        clock = ManualClock(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    else:
        clock = OffsetClock()
    app = await App.open(config, clock, args.db)
    try:
        console = Console(
            app,
            _print,
            user=args.user or config.console.user,
            channel=config.console.channel,
            journal=Path(args.journal) if args.journal else None,
            downloads=Path(args.downloads) if args.downloads else None,
        )
        interactive = sys.stdin.isatty()
        if interactive:
            print(
                f"volunteer-bot console. You are {console.user} (an admin) in #{console.channel}. "
                "Try !help; Ctrl-D quits.",
                file=sys.stderr,
            )
            app.scheduler.start()
        await app.scheduler.tick()
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:
                break
            await console.feed(line)
    finally:
        await app.close()
    return 0


async def _run(config: Config, args: argparse.Namespace) -> int:
    secrets = Secrets.from_env()
    if not (secrets.discord_token or secrets.matrix):
        print(CREDENTIALS_HELP, file=sys.stderr)
        fallback = argparse.Namespace(**vars(args), user=None, start=None, journal=None, downloads=None)
        return await _console(config, fallback)
    app = await App.open(config, SystemClock(), args.db)
    holders = [Holder(app, adapter, adapter.platform) for adapter in _platform_adapters(app, secrets)]
    loop = asyncio.get_running_loop()
    stopping: asyncio.Future[BaseException | None] = loop.create_future()
    try:
        for holder in holders:  # each platform connection in one process at a time (bot/platforms.py)
            await holder.start(stopping)
        await app.scheduler.tick()
        app.scheduler.start()
        log.info("ready: %s", ", ".join(h.name if h.running else f"{h.name} (stand-by)" for h in holders))
        # SIGTERM (systemd, PaaS) stops as gently as Ctrl-C
        loop.add_signal_handler(signal.SIGTERM, _settle, stopping)
        error = await stopping
        if error is not None:
            raise error
    finally:
        await app.scheduler.stop()  # no new deliveries while the platforms disconnect
        for holder in reversed(holders):
            await holder.stop()
        await app.close()
    return 0


def _settle(stopping: asyncio.Future[BaseException | None]) -> None:
    if not stopping.done():
        stopping.set_result(None)


def _platform_adapters(app: App, secrets: Secrets) -> list[Adapter]:
    adapters: list[Adapter] = []
    if secrets.discord_token:
        from bot.adapters.discord import DiscordAdapter  # imports discord.py only when used

        adapters.append(DiscordAdapter(app, secrets.discord_token))
    if secrets.matrix:
        from bot.adapters.matrix import MatrixAdapter  # imports matrix-nio only when used

        adapters.append(MatrixAdapter(app, secrets))
    return adapters


async def _discord_sync(config: Config) -> int:
    token = Secrets.from_env().discord_token
    if not token:
        print("discord-sync: set DISCORD_TOKEN to the bot's token (see README.md, Discord)", file=sys.stderr)
        return 2
    from bot.adapters.discord import DiscordSetupError, sync_commands
    from bot.catalog import REGISTRY

    try:
        where = await sync_commands(config, REGISTRY, token)
    except DiscordSetupError as error:
        print(f"discord-sync: {error}", file=sys.stderr)
        return 2
    print(f"synced the slash commands to {', '.join(where)}")
    return 0


async def _migrate(config: Config, args: argparse.Namespace) -> int:
    db = await open_database(config.database.target(args.db), synchronous=config.database.synchronous)
    try:
        version = await db.schema_version()
    finally:
        await db.close()
    print(f"{db.path}: schema at version {version}")
    return 0


async def _copy_db(config: Config, args: argparse.Namespace) -> int:
    from bot.storage.copy import CopyRefused, copy_database

    try:
        counts = await copy_database(args.source, args.target, synchronous=config.database.synchronous)
    except CopyRefused as error:
        print(f"copy-db: {error}", file=sys.stderr)
        return 2
    print(f"copied {sum(counts.values()):,} rows in {len(counts)} tables; row counts match in every table")
    return 0


def _backup(config: Config, args: argparse.Namespace) -> int:
    source = config.database.target(args.db)
    target = Path(args.path)
    if backend_of(source) != "sqlite":
        print(
            "backup: this copies SQLite files; for PostgreSQL use pg_dump, e.g. "
            f'`pg_dump --format=custom --file={target} "$DATABASE_URL"` (pg_restore brings it back)',
            file=sys.stderr,
        )
        return 2
    source = sqlite_path(source)
    if not Path(source).exists():
        print(f"backup: {source} does not exist", file=sys.stderr)
        return 2
    if target.exists() and not args.force:
        print(f"backup: {target} exists; use --force to overwrite", file=sys.stderr)
        return 2
    target.unlink(missing_ok=True)
    asyncio.run(_copy(config, source, target))
    print(f"backed up {source} to {target} ({target.stat().st_size} bytes)")
    return 0


async def _copy(config: Config, source: str, target: Path) -> None:
    db = await open_database(source, synchronous=config.database.synchronous, migrate=False)
    try:
        await db.backup(target)
    finally:
        await db.close()


def _check_config(config: Config, args: argparse.Namespace) -> int:
    secrets = Secrets.from_env()
    print(f"config OK: organisation {config.organisation.name!r}, timezone {config.organisation.timezone}")
    target = config.database.target(args.db)
    print(f"database: {target if backend_of(target) == 'sqlite' else 'PostgreSQL at ' + where(target)}")
    print(f"discord: {'token set' if secrets.discord_token else 'DISCORD_TOKEN not set'}")
    matrix_ready = secrets.matrix and config.matrix.homeserver and config.matrix.user_id
    print(f"matrix: {'credentials set' if matrix_ready else 'not configured'}")
    if not (secrets.discord_token or matrix_ready):
        print("no platform credentials: `run` will start the console")
    return 0


def _print(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
