"""Checks on a whole configuration that types alone cannot express.

They collect every problem into a `Report` instead of stopping at the first, so `check-config`
lists a file's mistakes in one run. Each message names the key (or the environment variable it
came from) and says what to write instead. `check_platforms` adds what only matters when
connecting: credentials that are set for a platform the config does not describe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.console_input import name_problem
from bot.settings import WEEKDAYS, Config, Secrets, parse_listen
from bot.storage.targets import UnsupportedTarget, a_folder, backend_of, sqlite_path, unreadable

# Keys people write their secrets under, and the environment variable that takes it instead.
SECRET_KEYS = {
    "discord.token": "DISCORD_TOKEN",
    "discord.bot_token": "DISCORD_TOKEN",
    "discord_token": "DISCORD_TOKEN",
    "token": "DISCORD_TOKEN",
    "matrix.password": "MATRIX_PASSWORD",
    "matrix_password": "MATRIX_PASSWORD",
    "matrix.access_token": "MATRIX_ACCESS_TOKEN",
    "matrix.token": "MATRIX_ACCESS_TOKEN",
    "matrix_access_token": "MATRIX_ACCESS_TOKEN",
}

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
DATABASE_SCHEMES = (*POSTGRES_SCHEMES, "sqlite://")
_USER_ID = re.compile(r"^@[^:\s]+:[^\s]+$")
#: A room's alias (#name:server) or id (!opaque, with :server before room version 12).
_ROOM = re.compile(r"^(#[^:\s]+:\S+|![^:\s]+(:\S+)?)$")

#: The smallest and largest value of each number setting. The upper bounds are far past any real
#: use, and below what breaks: a day count of ten digits passed `check-config`, then overflowed
#: the date arithmetic in every sweep (and a claim limit of 20 digits, SQLite's integers).
_DAYS = (1, 3650)  # ten years
RANGES = {
    "asks.stale_claim_days": _DAYS,
    "asks.default_max_claims": (1, 10_000),
    "asks.page_size": (1, 100),  # one chat message
    "nudges.intro_days": (0, 3650),
    "nudges.checkin_answer_days": (0, 3650),
    "nudges.due_soon_hours": (0, 24 * 3650),
    "nudges.max_attempts": (1, 1000),
    "network.isolated_days": _DAYS,
    "network.intro_followup_days": _DAYS,
    "scheduler.sweep_seconds": (1, 3600),  # reminders and digests wait for the next sweep
    "limits.message_chars": (1, 1_000_000),
    "limits.commands_per_minute": (1, 1_000_000_000),  # (the benchmarks lift the gate with a million)
    "matrix.lead_power_level": (-(2**53) + 1, 2**53 - 1),  # Matrix's own range for power levels
    "matrix.admin_power_level": (-(2**53) + 1, 2**53 - 1),
}


@dataclass
class Report:
    """Problems found so far, and which keys came from which environment variable."""

    problems: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def add(self, problem: str) -> None:
        self.problems.append(problem)

    def name(self, path: str) -> str:
        """How to name a key in a message: `asks.page_size`, plus its variable if it came from one."""
        key = path.split("[", 1)[0]
        variable = self.sources.get(key)
        if variable is None:  # a section no file names, made by a variable for a key inside it
            beneath = sorted(source for known, source in self.sources.items() if known.startswith(f"{key}."))
            variable = ", ".join(beneath) or None
        return f"`{path}` (from {variable})" if variable else f"`{path}`"


def check_values(config: Config, report: Report) -> None:
    """Values each of the right type but not usable: zones, times, days, choices, ranges."""
    if not config.organisation.name.strip():  # the bot names it in welcomes and digests
        report.add(f'{report.name("organisation.name")} should be your network\'s name, like "Library Workers United"')
    try:
        ZoneInfo(config.organisation.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        report.add(
            f"{report.name('organisation.timezone')}: unknown timezone {config.organisation.timezone!r}; "
            "use an IANA name like America/Chicago"
        )
    for key, value in (("quiet_hours.start", config.quiet_hours.start),
                       ("quiet_hours.end", config.quiet_hours.end),
                       ("scheduler.pairing.time", config.scheduler.pairing.time),
                       ("scheduler.digest.time", config.scheduler.digest.time)):  # fmt: skip
        _check_time(report, key, value)
    for key, day in (("scheduler.pairing.day", config.scheduler.pairing.day),
                     ("scheduler.digest.day", config.scheduler.digest.day)):  # fmt: skip
        if day.lower() not in WEEKDAYS:
            report.add(f"{report.name(key)} should be a weekday name like monday, not {day!r}")
    if config.database.synchronous.upper() not in {"NORMAL", "FULL", "EXTRA"}:
        report.add(f"{report.name('database.synchronous')} should be normal, full or extra")
    _check_database(config, report)
    for admin in config.admins:
        platform, _, user = admin.partition(":")
        if platform not in {"console", "discord", "matrix"} or not user:
            report.add(
                f"{report.name('admins')}: {admin!r} should look like discord:123456789, "
                "matrix:@you:example.org or console:you"
            )
    for key, number in _numbers(config).items():
        low, high = RANGES[key]
        if number < low:
            report.add(f"{report.name(key)} should be at least {low}")
        elif number > high:
            report.add(f"{report.name(key)} should be at most {high:,}, not {number:,}")
    if config.privacy.contacts_on_forget not in {"delete", "leads"}:
        report.add(f"{report.name('privacy.contacts_on_forget')} should be delete or leads")
    if config.welcome.text is not None and not config.welcome.text.strip():
        report.add(f"{report.name('welcome.text')} is empty: remove the key for the built-in welcome")
    url = config.signatures.join_url
    if url is not None and not url.startswith(("https://", "http://")):
        report.add(f"{report.name('signatures.join_url')} should be a web link (https://…), not {url!r}")
    if config.logging.level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        report.add(f"{report.name('logging.level')} should be DEBUG, INFO, WARNING or ERROR")
    _check_matrix_names(config, report)
    _check_web(config, report)
    _check_console(config, report)


def _check_console(config: Config, report: Report) -> None:
    """The console's user and channel are typed in console lines (`NAME:`, `::in #channel`): a
    name no line can say would leave that user, or that channel, out of reach."""
    if (problem := name_problem(config.console.user)) is not None:
        report.add(f"{report.name('console.user')}: {problem}")
    channel = config.console.channel.lstrip("#")
    if not re.fullmatch(r"[\w-][\w.-]*", channel):
        report.add(f"{report.name('console.channel')} should be one word like general, not {config.console.channel!r}")


def _check_database(config: Config, report: Report) -> None:
    url = config.database.url
    if url is not None and "://" in url and not url.startswith(DATABASE_SCHEMES):
        report.add(
            f"{report.name('database.url')} should look like postgresql://user:password@host/dbname "
            "or sqlite:////path/to/file.sqlite3"
        )
    elif url is not None and url.startswith(POSTGRES_SCHEMES):
        if (problem := unreadable(url)) is not None:
            report.add(f"{report.name('database.url')}: {problem}")
    elif not sqlite_path(url or config.database.path).strip():
        # An empty name would have SQLite keep the data in a temporary file, gone at the next start.
        key = "database.url" if url else "database.path"
        report.add(f"{report.name(key)} names no file; write it like /data/volunteer-bot.sqlite3")
    elif (problem := _refused(url or config.database.path) or a_folder(url or config.database.path)) is not None:
        report.add(f"{report.name('database.url' if url else 'database.path')}: {problem}")


def _refused(target: str) -> str | None:
    """Why the database set could not be the network's (a `file:` URI; `:memory:`, which the bot
    opens for its own scratch work, but which would lose the network at exit), if it cannot."""
    if sqlite_path(target) == ":memory:":
        return "the database would be kept in memory and lost at exit; give a file"
    try:
        backend_of(target)
    except UnsupportedTarget as error:
        return str(error)
    return None


def check_database_option(db: str, report: Report) -> None:
    """`--db`, checked as the database settings are (its URL may hold a password: never shown)."""
    if (problem := _refused(db)) is not None:
        report.add(f"--db: {problem}")
        return
    if (folder := a_folder(db)) is not None:
        report.add(f"--db: {folder}")


def _numbers(config: Config) -> dict[str, int]:
    """Every number setting by its key (`RANGES`)."""
    found = {}
    for key in RANGES:
        section, name = key.split(".")
        found[key] = getattr(getattr(config, section), name)
    return found


def _check_web(config: Config, report: Report) -> None:
    if config.web.listen is not None:
        try:
            parse_listen(config.web.listen)
        except ValueError:
            report.add(
                f"{report.name('web.listen')} should look like 127.0.0.1:8080 ([::1]:8080 for IPv6), "
                f"not {config.web.listen!r}"
            )
    if config.web.base_url is not None and not config.web.base_url.startswith(("http://", "https://")):
        report.add(
            f"{report.name('web.base_url')} should start with https:// (or http://), not {config.web.base_url!r}"
        )


#: A time setting as the bot reads it (`time.fromisoformat`): two digits, a colon, two digits.
#: Anything else it took too loosely: `1320` (YAML's reading of an unquoted 22:00) as 13:20,
#: `21:00+01:00` with an offset the quiet hours then ignored, `21:00:30` with seconds dropped.
_TIME = re.compile(r"\d\d:\d\d")


def _check_time(report: Report, key: str, value: str) -> None:
    try:
        if not _TIME.fullmatch(value):
            raise ValueError(value)
        time.fromisoformat(value)
    except ValueError:
        if value.isdigit() and len(value) > 2 and key not in report.sources:
            # YAML 1.1 reads an unquoted 21:00 as the number 1260 (minutes, base 60).
            hours, minutes = divmod(int(value), 60)
            if hours < 24:
                report.add(f'{report.name(key)}: put the time in quotes, like "{hours:02d}:{minutes:02d}"')
            else:
                report.add(
                    f'{report.name(key)} should be a time from "00:00" to "23:59", in quotes; '
                    f"{hours}:{minutes:02d} is not one"
                )
        elif re.fullmatch(r"\d:\d\d", value):
            report.add(f'{report.name(key)} should have two digits for the hour, like "0{value}"')
        else:
            quoted = "" if key in report.sources else ' (in quotes: "21:00")'  # (a variable needs none)
            report.add(f"{report.name(key)} should be a time like 21:00{quoted}, not {value!r}")


def _check_matrix_names(config: Config, report: Report) -> None:
    homeserver = config.matrix.homeserver
    server = "example.org"
    if homeserver is not None:
        try:
            parts = urlsplit(homeserver.strip())
            parts.port  # noqa: B018 (reading the port is what checks it)
        except ValueError as error:  # a port that is no number or out of range, an unclosed [
            report.add(
                f"{report.name('matrix.homeserver')} can't be read ({error}); it should look like "
                "https://matrix.example.org"
            )
        else:
            server = parts.netloc if "://" in homeserver else server
            if parts.scheme not in {"http", "https"} or not parts.netloc:
                typed = homeserver.strip().removeprefix("//")
                report.add(
                    f"{report.name('matrix.homeserver')} should be the server's URL, starting with https://, "
                    f"like https://{typed.split('://')[-1] or 'matrix.example.org'}"
                )
    user_id = config.matrix.user_id
    if user_id is not None and not _USER_ID.match(user_id):
        report.add(
            f"{report.name('matrix.user_id')} should be a full Matrix id like "
            f"@{user_id.lstrip('@').split(':')[0] or 'volunteer-bot'}:{server}, not {user_id!r}"
        )
    _check_matrix_rooms(config, report, user_id.split(":", 1)[1] if user_id and _USER_ID.match(user_id) else server)


def _check_matrix_rooms(config: Config, report: Report, server: str) -> None:
    """Rooms as aliases or ids: the bot could never join 'general', and said so only in a warning
    at start."""
    main = [("matrix.main_room", config.matrix.main_room)] if config.matrix.main_room is not None else []
    for key, room in [*main, *(("matrix.rooms", room) for room in config.matrix.rooms)]:
        if not _ROOM.match(room):
            name = "-".join(room.strip().lstrip("#!").split(":")[0].split()) or "union"
            report.add(
                f"{report.name(key)}: {room!r} should be a room's alias like #{name}:{server} "
                f"or its id like !AbCdEf:{server}"
            )


def check_platforms(config: Config, secrets: Secrets, report: Report) -> None:
    """Credentials set for Matrix need the account they belong to; say which keys are missing."""
    if not secrets.matrix:
        return
    variable = "MATRIX_ACCESS_TOKEN" if secrets.matrix_access_token else "MATRIX_PASSWORD"
    examples = {"homeserver": "https://matrix.example.org", "user_id": "@volunteer-bot:example.org"}
    missing = [key for key in examples if getattr(config.matrix, key) is None]
    if missing:
        keys = " and ".join(f"{report.name(f'matrix.{key}')} (like {examples[key]})" for key in missing)
        report.add(
            f"{variable} is set, but {keys} {'is' if len(missing) == 1 else 'are'} not: set "
            f"{'it' if len(missing) == 1 else 'them'}, or unset {variable} to leave Matrix off"
        )
