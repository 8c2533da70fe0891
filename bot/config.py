"""Configuration: one YAML file for settings, environment variables for secrets.

The file is read into frozen dataclasses. Unknown keys, wrong types and bad values stop the bot
at start with a message that names the key and how to fix it; a missing file or key means the
documented default. Secrets (`DISCORD_TOKEN`, `MATRIX_ACCESS_TOKEN`, `MATRIX_PASSWORD`) are only
ever read from the environment.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.zones import Quiet

T = TypeVar("T")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class ConfigError(ValueError):
    """The configuration cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Organisation:
    name: str = "our network"
    timezone: str = "UTC"


DATABASE_SCHEMES = ("postgresql://", "postgres://", "sqlite://")


@dataclass(frozen=True)
class DatabaseSettings:
    path: str = "volunteer-bot.sqlite3"
    synchronous: str = "full"
    url: str | None = None

    def target(self, given: str | None = None, env: Mapping[str, str] | None = None) -> str:
        """Which database to open: `--db`, else `DATABASE_URL`, else `url`, else `path`."""
        source = os.environ if env is None else env
        return given or source.get("DATABASE_URL") or self.url or self.path


@dataclass(frozen=True)
class AskSettings:
    stale_claim_days: int = 7
    default_max_claims: int = 3
    page_size: int = 10


@dataclass(frozen=True)
class QuietHours:
    start: str = "21:00"
    end: str = "09:00"

    def window(self) -> Quiet:
        start, end = time.fromisoformat(self.start), time.fromisoformat(self.end)
        return Quiet(start.hour * 60 + start.minute, end.hour * 60 + end.minute)


@dataclass(frozen=True)
class NudgeSettings:
    intro_days: int = 3
    checkin_answer_days: int = 2
    due_soon_hours: int = 24
    max_attempts: int = 8


@dataclass(frozen=True)
class NetworkSettings:
    isolated_days: int = 30
    intro_followup_days: int = 3


@dataclass(frozen=True)
class PrivacySettings:
    contacts_on_forget: str = "delete"


@dataclass(frozen=True)
class WeeklyAt:
    day: str = "monday"
    time: str = "10:00"


@dataclass(frozen=True)
class SchedulerSettings:
    sweep_seconds: int = 60
    pairing: WeeklyAt = field(default_factory=lambda: WeeklyAt("monday", "10:00"))
    digest: WeeklyAt = field(default_factory=lambda: WeeklyAt("monday", "09:00"))


@dataclass(frozen=True)
class DiscordSettings:
    guild_ids: list[int] = field(default_factory=list)
    announce_channel: str | None = None
    lead_roles: list[str] = field(default_factory=lambda: ["Lead"])
    admin_roles: list[str] = field(default_factory=lambda: ["Admin"])
    sync_commands_on_start: bool = True
    message_commands: bool = True


@dataclass(frozen=True)
class MatrixSettings:
    homeserver: str | None = None
    user_id: str | None = None
    device_id: str | None = None
    store_path: str = "matrix-store"
    main_room: str | None = None
    rooms: list[str] = field(default_factory=list)
    allowed_servers: list[str] = field(default_factory=list)
    lead_power_level: int = 50
    admin_power_level: int = 100
    encryption: bool = True


@dataclass(frozen=True)
class ConsoleSettings:
    user: str = "you"
    channel: str = "general"


@dataclass(frozen=True)
class LimitSettings:
    message_chars: int = 4000
    commands_per_minute: int = 20


@dataclass(frozen=True)
class LoggingSettings:
    level: str = "INFO"


@dataclass(frozen=True)
class Config:
    """Everything the bot can be told, with the defaults documented in `config.example.yaml`."""

    organisation: Organisation = field(default_factory=Organisation)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    admins: list[str] = field(default_factory=list)
    asks: AskSettings = field(default_factory=AskSettings)
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    nudges: NudgeSettings = field(default_factory=NudgeSettings)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    matrix: MatrixSettings = field(default_factory=MatrixSettings)
    console: ConsoleSettings = field(default_factory=ConsoleSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)

    def is_admin(self, platform: str, user_id: str) -> bool:
        return f"{platform}:{user_id}" in self.admins


@dataclass(frozen=True)
class Secrets:
    """Credentials from the environment; never from the file, never logged."""

    discord_token: str | None
    matrix_access_token: str | None
    matrix_password: str | None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Secrets:
        source = os.environ if env is None else env
        return cls(
            discord_token=source.get("DISCORD_TOKEN") or None,
            matrix_access_token=source.get("MATRIX_ACCESS_TOKEN") or None,
            matrix_password=source.get("MATRIX_PASSWORD") or None,
        )

    @property
    def matrix(self) -> bool:
        return bool(self.matrix_access_token or self.matrix_password)


def load(path: str | Path | None) -> Config:
    """Read and check a config file; `None` means every default."""
    if path is None:
        return validate(Config())
    file = Path(path)
    try:
        text = file.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such file (copy config.example.yaml to start one)") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{file}: not valid YAML: {error}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: the top level must be a mapping of keys to values")
    return validate(build(Config, data, ""))


def build(cls: type[T], data: Mapping[str, Any], where: str) -> T:
    """A dataclass from a mapping, refusing unknown keys and wrong types."""
    hints = get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for key, raw in data.items():
        path = f"{where}.{key}" if where else str(key)
        if key not in names:
            close = difflib.get_close_matches(str(key), names, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else f" (known: {', '.join(names)})"
            raise ConfigError(f"unknown key `{path}`{hint}")
        values[key] = _coerce(hints[key], raw, path)
    return cls(**values)


def _coerce(hint: Any, raw: Any, path: str) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        if raw is None:
            return None
        return _coerce(options[0], raw, path)
    if origin is list:
        (item,) = get_args(hint)
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise ConfigError(f"`{path}` should be a list")
        return [_coerce(item, element, f"{path}[{i}]") for i, element in enumerate(raw)]
    if dataclasses.is_dataclass(hint):
        if not isinstance(raw, dict):
            raise ConfigError(f"`{path}` should be a mapping")
        return build(hint, raw, path)  # type: ignore[arg-type]
    if hint is bool:
        if not isinstance(raw, bool):
            raise ConfigError(f"`{path}` should be true or false")
        return raw
    if hint is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ConfigError(f"`{path}` should be a whole number")
        return raw
    if hint is str:
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            raise ConfigError(f"`{path}` should be text")
        return str(raw)
    raise ConfigError(f"`{path}` has a type this loader does not know: {hint}")


def validate(config: Config) -> Config:
    """Checks across keys that types alone cannot express."""
    try:
        ZoneInfo(config.organisation.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"`organisation.timezone`: unknown timezone {config.organisation.timezone!r} "
            "(use an IANA name like America/Chicago)"
        ) from None
    for key, value in (("quiet_hours.start", config.quiet_hours.start),
                       ("quiet_hours.end", config.quiet_hours.end),
                       ("scheduler.pairing.time", config.scheduler.pairing.time),
                       ("scheduler.digest.time", config.scheduler.digest.time)):  # fmt: skip
        try:
            time.fromisoformat(value)
        except ValueError:
            raise ConfigError(f"`{key}` should be a time like 21:00, not {value!r}") from None
    for key, day in (("scheduler.pairing.day", config.scheduler.pairing.day),
                     ("scheduler.digest.day", config.scheduler.digest.day)):  # fmt: skip
        if day.lower() not in WEEKDAYS:
            raise ConfigError(f"`{key}` should be a weekday name, not {day!r}")
    if config.database.synchronous.upper() not in {"NORMAL", "FULL", "EXTRA"}:
        raise ConfigError("`database.synchronous` should be normal, full or extra")
    if config.database.url is not None and not config.database.url.startswith(DATABASE_SCHEMES):
        raise ConfigError("`database.url` should start with postgresql:// or sqlite:///")
    for admin in config.admins:
        platform, _, user = admin.partition(":")
        if platform not in {"console", "discord", "matrix"} or not user:
            raise ConfigError(
                f"`admins`: {admin!r} should look like discord:123456789, matrix:@you:example.org or console:you"
            )
    positive = {
        "asks.stale_claim_days": config.asks.stale_claim_days,
        "asks.default_max_claims": config.asks.default_max_claims,
        "asks.page_size": config.asks.page_size,
        "scheduler.sweep_seconds": config.scheduler.sweep_seconds,
        "limits.message_chars": config.limits.message_chars,
        "limits.commands_per_minute": config.limits.commands_per_minute,
        "nudges.max_attempts": config.nudges.max_attempts,
        "network.isolated_days": config.network.isolated_days,
        "network.intro_followup_days": config.network.intro_followup_days,
    }
    for key, number in positive.items():
        if number < 1:
            raise ConfigError(f"`{key}` should be at least 1")
    if config.privacy.contacts_on_forget not in {"delete", "leads"}:
        raise ConfigError("`privacy.contacts_on_forget` should be delete or leads")
    if config.logging.level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError("`logging.level` should be DEBUG, INFO, WARNING or ERROR")
    return config
