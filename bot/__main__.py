"""Command line: `python -m bot run|console|migrate|backup|check-config|discord-sync|web|dashboard-link`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
from bot.storage.db import Database
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
        p.add_argument("--db", help="SQLite file (default: database.path from the config)")

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
    sub.add_parser("docs", help="print docs/commands.md, generated from the command registry")
    check = sub.add_parser("check-config", help="validate the config and report what would start")
    common(check)
    discord_sync = sub.add_parser(
        "discord-sync", help="push the slash commands to Discord (to discord.guild_ids, else globally)"
    )
    discord_sync.add_argument("--config", help="YAML config file (default: every documented default)")
    web = sub.add_parser("web", help="serve the leads' dashboard on its own, on the bot's database")
    common(web)
    web.add_argument("--listen", help="HOST:PORT (default: web.listen from the config, else 127.0.0.1:8080)")
    link = sub.add_parser("dashboard-link", help="print a one-time link to the dashboard for a lead")
    common(link)
    link.add_argument("member", help="the lead: a name, or platform:user_id (console:you, discord:123…)")
    link.add_argument("--base-url", help="where the dashboard is served (default: web.base_url, else http://<listen>)")
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
        if args.command in ("web", "dashboard-link"):
            return _dashboard(config, args)
        return _check_config(config, args)
    except ConfigError as error:  # found only when connecting, e.g. a refused Matrix login
        print(f"config error: {error}", file=sys.stderr)
        return 2
    except SchemaTooNew as error:
        print(f"database error: {error}", file=sys.stderr)
        return 2
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
    web = contextlib.AsyncExitStack()
    try:
        await _start_web(web, app, config)
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
        await web.aclose()
        await app.close()
    return 0


async def _start_web(stack: contextlib.AsyncExitStack, app: App, config: Config) -> None:
    """The dashboard in this process, when `web.listen` is set (stopped when `stack` closes)."""
    if (address := config.web.address()) is not None:
        from bot.web import start

        await stack.enter_async_context(start(app.db, config, app.clock, *address))


async def _run(config: Config, args: argparse.Namespace) -> int:
    secrets = Secrets.from_env()
    if not (secrets.discord_token or secrets.matrix):
        print(CREDENTIALS_HELP, file=sys.stderr)
        fallback = argparse.Namespace(**vars(args), user=None, start=None, journal=None, downloads=None)
        return await _console(config, fallback)
    app = await App.open(config, SystemClock(), args.db)
    adapters = _platform_adapters(app, secrets)
    web = contextlib.AsyncExitStack()
    try:
        for adapter in adapters:
            await adapter.start()
        await _start_web(web, app, config)
        await app.scheduler.tick()
        app.scheduler.start()
        log.info("ready: %s", ", ".join(a.platform for a in adapters))
        stopping = asyncio.Event()  # SIGTERM (systemd, PaaS) stops as gently as Ctrl-C
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
        await stopping.wait()
    finally:
        await app.scheduler.stop()  # no new deliveries while the platforms disconnect
        await web.aclose()
        for adapter in reversed(adapters):
            await adapter.stop()
        await app.close()
    return 0


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
    path = args.db or config.database.path
    db = await Database.open(path, synchronous=config.database.synchronous)
    try:
        version = await db.schema_version()
    finally:
        await db.close()
    print(f"{path}: schema at version {version}")
    return 0


def _backup(config: Config, args: argparse.Namespace) -> int:
    source = args.db or config.database.path
    target = Path(args.path)
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
    db = await Database.open(source, synchronous=config.database.synchronous, migrate=False)
    try:
        await db.backup(target)
    finally:
        await db.close()


def _check_config(config: Config, args: argparse.Namespace) -> int:
    secrets = Secrets.from_env()
    print(f"config OK: organisation {config.organisation.name!r}, timezone {config.organisation.timezone}")
    print(f"database: {args.db or config.database.path}")
    print(f"discord: {'token set' if secrets.discord_token else 'DISCORD_TOKEN not set'}")
    matrix_ready = secrets.matrix and config.matrix.homeserver and config.matrix.user_id
    print(f"matrix: {'credentials set' if matrix_ready else 'not configured'}")
    if not (secrets.discord_token or matrix_ready):
        print("no platform credentials: `run` will start the console")
    return 0


def _dashboard(config: Config, args: argparse.Namespace) -> int:
    """`web` (the dashboard on its own) and `dashboard-link` (a one-time link for a lead)."""
    from bot.config import parse_listen
    from bot.web import LinkError, link, serve

    path = args.db or config.database.path
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


def _print(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
