"""The settings' shape: every section of the configuration as a frozen dataclass with its
documented default, and the secrets from the environment. `bot.config` reads them; everyone else
imports them from there."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time

from bot.zones import Quiet

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class ConfigError(ValueError):
    """The configuration cannot be used; `problems` says where and why, one line each."""

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Organisation:
    name: str = "our network"
    timezone: str = "UTC"


@dataclass(frozen=True)
class DatabaseSettings:
    path: str = "volunteer-bot.sqlite3"
    synchronous: str = "full"
    url: str | None = None

    def target(self, given: str | None = None) -> str:
        """Which database to open: `--db`, else `url` (or `DATABASE_URL`), else `path`."""
        return given or self.url or self.path


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
    max_attempts: int = 20  # about three days of tries (`scheduling.deliver.backoff`)


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
    welcome: bool = False


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
class WebSettings:
    """The leads' dashboard in the browser (spec §16): off unless `listen` is set."""

    listen: str | None = None
    base_url: str | None = None

    def address(self) -> tuple[str, int] | None:
        """`listen` as (host, port); None when the dashboard is off."""
        return None if self.listen is None else parse_listen(self.listen)

    def link_base(self) -> str | None:
        """Where links point: `base_url`, else `http://<listen>`; None when neither is set."""
        if self.base_url:
            return self.base_url.rstrip("/")
        return f"http://{self.listen}" if self.listen else None


def parse_listen(text: str) -> tuple[str, int]:
    """`HOST:PORT` (`[::1]:8080` for IPv6) as (host, port); ValueError when it is not one."""
    host, sep, port = text.strip().rpartition(":")
    bracketed = host.startswith("[") and host.endswith("]")
    host = host[1:-1] if bracketed else host
    # An IPv6 address in brackets, so that its own colons are not taken for the port's.
    readable = sep and host and (bracketed or ":" not in host) and not {"[", "]"} & set(host)
    if not readable or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{text!r} should look like 127.0.0.1:8080 ([::1]:8080 for IPv6)")
    return host, int(port)


@dataclass(frozen=True)
class WelcomeSettings:
    """The one private welcome to someone who joins the Discord server or the Matrix main room.
    `text` replaces the built-in welcome (plain text; blank lines allowed)."""

    enabled: bool = True
    text: str | None = None


@dataclass(frozen=True)
class SignatureSettings:
    """`join_url` is the link to the chat that `signatures invite` puts next to each code."""

    join_url: str | None = None


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
    welcome: WelcomeSettings = field(default_factory=WelcomeSettings)
    signatures: SignatureSettings = field(default_factory=SignatureSettings)
    web: WebSettings = field(default_factory=WebSettings)
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
        """Tokens without the spaces or line break a copy and paste brings along (they were sent
        as typed, and refused); a variable of spaces alone is unset, not a credential. A password
        is kept as typed: its spaces may be part of it."""
        source = os.environ if env is None else env
        password = source.get("MATRIX_PASSWORD", "")
        return cls(
            discord_token=source.get("DISCORD_TOKEN", "").strip() or None,
            matrix_access_token=source.get("MATRIX_ACCESS_TOKEN", "").strip() or None,
            matrix_password=password if password.strip() else None,
        )

    @property
    def matrix(self) -> bool:
        return bool(self.matrix_access_token or self.matrix_password)
