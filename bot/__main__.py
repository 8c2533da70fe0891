"""Command line: `python -m bot run|console|migrate|backup|copy-db|check-config|discord-sync|web|dashboard-link`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bot import copy_db, logs, platforms, upkeep
from bot.adapters.console import Console, parse_instant, read_journal
from bot.app import App
from bot.clock import Clock, ManualClock, OffsetClock, SystemClock
from bot.config import Config, ConfigError, Secrets, load
from bot.config_env import setting_variables
from bot.console_input import Terminal, name_problem, read_lines
from bot.holding import Holder, LeaseLost, settle
from bot.platforms import EXIT_UNREACHABLE, Unreachable
from bot.storage.problems import DatabaseProblem, database_errors
from bot.storage.targets import DatabaseUnavailable, backend_of, sqlite_path, where

log = logging.getLogger("bot")

CREDENTIALS_HELP = (
    "No platform credentials found, so I'm starting the console. To connect, set DISCORD_TOKEN "
    "(Discord) and/or MATRIX_ACCESS_TOKEN or MATRIX_PASSWORD with matrix.homeserver and "
    "matrix.user_id in the config (Matrix). See README.md."
)

#: How long `run` waits for another bot process on its SQLite file to stop (a restart that
#: overlaps the old process) before it gives up (`storage.alone`).
RESTART_OVERLAP_SECONDS = 60.0

CONFIG_HELP = "YAML config file (default: none: the defaults and any VOLUNTEER_BOT_… variables)"


def _instant(text: str) -> datetime:
    """`--start`: a time in ISO 8601, in UTC unless it says otherwise."""
    try:
        return parse_instant(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _name(text: str) -> str:
    """`--as`: a name that `NAME:` lines and `@NAME` can reach (spec §9)."""
    if (problem := name_problem(text)) is not None:
        raise argparse.ArgumentTypeError(problem)
    return text


def _file(text: str) -> Path:
    """`--journal`: a file the console can keep (in a folder that exists; not a folder itself)."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; give a file in it, like {path / 'journal.jsonl'}")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"the folder {path.parent} does not exist; create it first")
    return path


def _folder(text: str) -> Path:
    """`--downloads`: a folder, made if it does not exist yet."""
    path = Path(text).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise argparse.ArgumentTypeError(f"can't use {text} as a folder ({error.strerror or error})") from None
    return path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="volunteer-bot")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", help=CONFIG_HELP)
        p.add_argument("--db", help="SQLite file or postgresql:// URL (default: DATABASE_URL, database.url or .path)")

    run = sub.add_parser("run", help="connect to every platform that has credentials (else the console)")
    common(run)
    console = sub.add_parser("console", help="talk to the bot in this terminal")
    common(console)
    console.add_argument(
        "--as", dest="user", metavar="NAME", type=_name, help="who plain lines speak as (an admin; default: you)"
    )
    console.add_argument("--start", type=_instant, help="freeze the clock at this UTC time, e.g. 2026-12-01T09:00Z")
    console.add_argument("--journal", type=_file, help="file remembering delivered message keys across restarts")
    console.add_argument("--downloads", type=_folder, help="folder to save files the bot sends (e.g. `export me`)")
    migrate = sub.add_parser("migrate", help="bring the database schema up to date")
    common(migrate)
    backup = sub.add_parser("backup", help="copy the database safely while the bot runs")
    common(backup)
    backup.add_argument("path", help="where to write the copy")
    backup.add_argument("--force", action="store_true", help="overwrite an existing file")
    copy_db.add_command(sub, CONFIG_HELP)
    sub.add_parser("docs", help="print docs/commands.md, generated from the command registry")
    check = sub.add_parser("check-config", help="validate the config and report what would start")
    common(check)
    discord_sync = sub.add_parser(
        "discord-sync", help="push the slash commands to Discord (to discord.guild_ids, else globally)"
    )
    discord_sync.add_argument("--config", help=CONFIG_HELP)
    web = sub.add_parser("web", help="serve the leads' dashboard on its own, on the bot's database")
    common(web)
    web.add_argument("--listen", help="HOST:PORT (default: web.listen from the config, else 127.0.0.1:8080)")
    link = sub.add_parser("dashboard-link", help="print a one-time link to the dashboard for a lead")
    common(link)
    link.add_argument("member", help="the lead: a name, or platform:user_id (console:you, discord:123…)")
    link.add_argument("--base-url", help="where the dashboard is served (default: web.base_url, else http://<listen>)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure a deployer can meet ends in one line and an exit code:
    0 done, 1 a bug (details with logging.level DEBUG), 2 something to fix (settings, files,
    the database), 3 a platform could not be reached (start again later), 130 Ctrl-C."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # said with the command's own usage, which lists its options, not the list of commands
        _subcommand(parser, args.command).error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "docs":
        from bot.areas.help import markdown
        from bot.catalog import REGISTRY

        sys.stdout.write(markdown(REGISTRY))
        return 0
    connecting = args.command in {"run", "check-config"}
    given: set[str] = set()
    # The others say what the database says; but an empty `--db` (`--db "$DB"` with DB unset)
    # would fall back to the configured database without a word, as if it had not been given.
    given_db = getattr(args, "db", None)
    db = given_db if args.command == "check-config" or given_db == "" else None
    try:
        config = load(args.config, secrets=Secrets.from_env() if connecting else None, db=db, given=given)
    except ConfigError as error:
        _report_config(error, args.command)
        return 2
    # The console's own lines are the conversation: INFO lines would interleave with them. A level
    # set on purpose wins (DEBUG is how a bug's details are seen, as the last line below says).
    quiet_console = args.command == "console" or (args.command == "run" and not _has_credentials())
    level = "WARNING" if quiet_console and "logging.level" not in given else config.logging.level.upper()
    logs.setup(level, config.matrix.homeserver)
    try:
        return _command(config, args)
    except ConfigError as error:  # found only when connecting, e.g. a refused Matrix login
        _report_config(error, args.command)
        return 2
    except LeaseLost as error:  # the supervisor restarts this process as a stand-by
        print(f"stopped: {error}", file=sys.stderr)
        return 1
    except DatabaseProblem as problem:
        print(problem, file=sys.stderr)
        return 2
    except DatabaseUnavailable as error:  # said outside `database_errors` (`backup`'s target)
        print(f"database error: {error}", file=sys.stderr)
        return 2
    except Unreachable as error:
        print(error, file=sys.stderr)
        return EXIT_UNREACHABLE
    except KeyboardInterrupt:
        print("stopped (Ctrl-C).", file=sys.stderr)
        return 130
    except BrokenPipeError:  # whoever read the output left (`… | head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:
        log.debug("the traceback of that unexpected error", exc_info=True)
        print(
            f"volunteer-bot stopped on an unexpected error ({type(error).__name__}: {logs.describe(error)}). "
            "Please report it; VOLUNTEER_BOT_LOGGING__LEVEL=DEBUG shows the details.",
            file=sys.stderr,
        )
        return 1


def _subcommand(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[command]  # type: ignore[no-any-return]
    return parser


def _command(config: Config, args: argparse.Namespace) -> int:
    if args.command == "console":
        return asyncio.run(_console(config, args))
    if args.command == "run":
        return asyncio.run(_run(config, args))
    if args.command == "copy-db":
        return asyncio.run(copy_db.run(config, args, database_errors))
    if args.command == "migrate":
        return asyncio.run(upkeep.migrate(config, args))
    if args.command == "backup":
        return upkeep.backup(config, args)
    if args.command == "discord-sync":
        return asyncio.run(_discord_sync(config))
    if args.command in ("web", "dashboard-link"):
        from bot.web import cli  # imports aiohttp and Jinja2 only when used

        return cli(config, args)
    return _check_config(config, args)


def _report_config(error: ConfigError, command: str) -> None:
    """Every problem at once, each on its own line with its fix."""
    problems = error.problems
    if len(problems) == 1:
        print(f"config error: {problems[0]}", file=sys.stderr)
        return
    print(f"config error: {len(problems)} problems, each with its fix:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    if command != "check-config":
        print("Fix them, then check with `python -m bot check-config` (with your --config).", file=sys.stderr)


def _has_credentials() -> bool:
    secrets = Secrets.from_env()
    return bool(secrets.discord_token or secrets.matrix)


async def _open(config: Config, clock: Clock, db: str | None, *, patience: float = 0.0) -> App:
    """The running bot's app; on SQLite, after another bot process on the file has stopped
    (waiting `patience` seconds for it: `storage.alone`)."""
    async with database_errors(config.database.target(db)):
        return await App.open(config, clock, db, alone_within=patience)


async def _console(config: Config, args: argparse.Namespace) -> int:
    if args.journal is not None and (problem := _unreadable_journal(args.journal)) is not None:
        print(f"console: {problem}", file=sys.stderr)
        return 2
    clock = ManualClock(args.start) if args.start else OffsetClock()
    app = await _open(config, clock, args.db)
    terminal = Terminal()
    web = contextlib.AsyncExitStack()
    try:
        await _start_web(web, app, config)
        console = Console(
            app,
            terminal.write,
            user=args.user or config.console.user,
            channel=config.console.channel,
            journal=args.journal,
            downloads=args.downloads,
        )
        terminal.prompt = lambda: f"{console.user} in {'a private chat' if console.in_dm else '#' + console.channel}> "
        if terminal.interactive:
            print(
                f"volunteer-bot console. You are {console.user} (an admin) in #{console.channel}. "
                "Try !help; Ctrl-C or Ctrl-D quits.",
                file=sys.stderr,
            )
            app.scheduler.start()
        await app.scheduler.tick()
        interrupted = await read_lines(terminal, console.feed)
    finally:
        await web.aclose()
        await app.close()
    if interrupted or terminal.interactive:
        print(f"{chr(10) if interrupted else ''}Bye! Everything is saved in {app.db.path}.", file=sys.stderr)
    return 0


def _unreadable_journal(path: Path) -> str | None:
    """Why `--journal` names a file the console cannot keep its journal in (a file of something
    else, not UTF-8, or JSON of another shape), before the console starts and fails on it as if
    on a bug; None when it can (or does not exist yet)."""
    try:
        read_journal(path)
    except UnicodeDecodeError:
        why = "it is not UTF-8 text"
    except (ValueError, TypeError):
        why = "its lines are not the console's entries"
    except OSError as error:
        why = f"it can't be read: {error.strerror or error}"
    else:
        return None
    return f"{path} is not a journal the console wrote ({why}); give a new file with --journal, or leave it out"


async def _run(config: Config, args: argparse.Namespace) -> int:
    secrets = Secrets.from_env()
    if not (secrets.discord_token or secrets.matrix):
        print(CREDENTIALS_HELP, file=sys.stderr)
        fallback = argparse.Namespace(**vars(args), user=None, start=None, journal=None, downloads=None)
        return await _console(config, fallback)
    app = await _open(config, SystemClock(), args.db, patience=RESTART_OVERLAP_SECONDS)
    holders = [Holder(app, adapter, adapter.platform) for adapter in platforms.adapters_for(app, secrets)]
    loop = asyncio.get_running_loop()
    stopping: asyncio.Future[BaseException | None] = loop.create_future()
    web = contextlib.AsyncExitStack()
    try:
        for holder in holders:  # each platform connection in one process at a time (bot/holding.py)
            await holder.start(stopping)
        await _start_web(web, app, config)
        app.scheduler.start()  # its first sweep runs at once, in the background: commands are served meanwhile
        # What start-up loaded (config, place names, zones, dateparser's tables, the platform
        # libraries) lives as long as the process: frozen, the collector stops walking it on
        # every full collection, which cost each reply several milliseconds (bench/matrix_roundtrip.py).
        gc.freeze()
        log.info("ready: %s", ", ".join(h.name if h.running else f"{h.name} (stand-by)" for h in holders))
        loop.add_signal_handler(signal.SIGTERM, settle, stopping)  # SIGTERM stops as gently as Ctrl-C
        error = await stopping
        if error is not None:
            raise error
    finally:
        await app.scheduler.stop()  # no new deliveries while the platforms disconnect
        await web.aclose()
        for holder in reversed(holders):
            await holder.stop()
        await app.close()
    return 0


async def _start_web(stack: contextlib.AsyncExitStack, app: App, config: Config) -> None:
    """The dashboard in this process, when `web.listen` is set (stopped when `stack` closes)."""
    if (address := config.web.address()) is not None:
        from bot.web import start

        await stack.enter_async_context(start(app.db, config, app.clock, *address))


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
    except Exception as error:
        if not logs.network_error(error):
            raise
        host = getattr(error, "host", None) or "discord.com"
        raise Unreachable(
            f"discord-sync: can't reach {host} ({logs.describe(error)}). Check this machine's network, then try again."
        ) from error
    print(f"synced the slash commands to {', '.join(where)}")
    return 0


def _check_config(config: Config, args: argparse.Namespace) -> int:
    secrets = Secrets.from_env()
    print(f"config OK: organisation {config.organisation.name!r}, timezone {config.organisation.timezone}")
    variables = setting_variables(os.environ)
    sources = [args.config or "no file (defaults)"] + ([f"environment ({', '.join(variables)})"] if variables else [])
    print(f"settings from: {' + '.join(sources)}")
    target = config.database.target(args.db)
    print(f"database: {sqlite_path(target) if backend_of(target) == 'sqlite' else 'PostgreSQL at ' + where(target)}")
    print(f"discord: {'token set' if secrets.discord_token else 'DISCORD_TOKEN not set'}")
    if secrets.matrix:
        print(f"matrix: credentials set for {config.matrix.user_id} on {config.matrix.homeserver}")
    elif config.matrix.homeserver:
        print("matrix: not connecting: set MATRIX_PASSWORD or MATRIX_ACCESS_TOKEN to connect")
    else:
        print("matrix: not configured")
    if not (secrets.discord_token or secrets.matrix):
        print("no platform credentials: `run` will start the console")
    return 0


if __name__ == "__main__":
    sys.exit(main())
