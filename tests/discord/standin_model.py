"""The stand-in's state: what Discord knows (``World``) and the small pieces around it.

Ids are snowflakes from :class:`Snowflakes`: strictly increasing and time-based, so discord.py's
``created_at`` is a sensible time. Entities are plain mutable dataclasses; payloads are generated
from them in ``standin_payloads``.
"""

# ruff: noqa: ASYNC109 -- waits take a ``timeout`` so that, on expiry, they fail with what they
# were waiting for; a caller's ``asyncio.timeout`` could only raise a bare TimeoutError.

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

JSON = dict[str, Any]
T = TypeVar("T")

DISCORD_EPOCH_MS = 1_420_070_400_000


class ApiError(Exception):
    """An error answer as Discord gives it: HTTP status, JSON error code, message, field errors."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: JSON | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.headers = headers or {}
        self.body: JSON = {"code": code, "message": message}
        if errors is not None:
            self.body["errors"] = errors

    @classmethod
    def invalid_form(cls, errors: JSON) -> ApiError:
        """Discord's 50035; discord.py raises it as HTTPException (CommandSyncFailure on sync)."""
        return cls(400, 50035, "Invalid Form Body", errors)

    @classmethod
    def not_found(cls, code: int, what: str) -> ApiError:
        return cls(404, code, f"Unknown {what}")


def field_error(code: str, message: str) -> JSON:
    return {"_errors": [{"code": code, "message": message}]}


class Intent:
    """Gateway intent bits the stand-in honours (Discord's values)."""

    GUILDS = 1 << 0
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    DIRECT_MESSAGES = 1 << 12
    MESSAGE_CONTENT = 1 << 15


class Permission:
    """Permission bits used by the model (Discord's values)."""

    ADMINISTRATOR = 1 << 3
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    USE_APPLICATION_COMMANDS = 1 << 31
    ALL = (1 << 53) - 1

    #: What @everyone may do in a new guild unless the test says otherwise.
    EVERYONE_DEFAULT = (
        VIEW_CHANNEL
        | SEND_MESSAGES
        | READ_MESSAGE_HISTORY
        | EMBED_LINKS
        | ATTACH_FILES
        | ADD_REACTIONS
        | USE_APPLICATION_COMMANDS
    )


class MessageFlag:
    EPHEMERAL = 1 << 6
    LOADING = 1 << 7


class ChannelType:
    GUILD_TEXT = 0
    DM = 1


class Changes:
    """Wakes waiters whenever the stand-in's state changes, so tests wait on conditions, not time."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, check: Callable[[], T | None], *, timeout: float, what: str) -> T:
        """Return ``check()``'s first result that is not None (nor False), re-checking on changes.

        Raises AssertionError naming ``what`` if ``timeout`` seconds pass first.
        """
        try:
            async with asyncio.timeout(timeout):
                while True:
                    event = self._event
                    result = check()
                    if result is not None and result is not False:
                        return result
                    await event.wait()
        except TimeoutError:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}") from None


class Snowflakes:
    """Strictly increasing snowflake ids whose timestamp part is the current time."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        self._last = max(now_ms << 22, self._last + 1)
        return self._last


@dataclass
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class Role:
    id: int
    guild_id: int
    name: str
    position: int
    permissions: int = 0
    mentionable: bool = False

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"


@dataclass
class Channel:
    """A guild text channel, or a DM channel between the bot and one user."""

    id: int
    type: int
    name: str | None = None
    guild_id: int | None = None
    position: int = 0
    topic: str | None = None
    recipient_id: int | None = None

    @property
    def is_dm(self) -> bool:
        return self.type == ChannelType.DM


@dataclass
class Member:
    guild_id: int
    user_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)

    @property
    def everyone(self) -> Role:
        """The @everyone role, whose id is the guild's id."""
        return self.roles[self.id]


@dataclass
class Attachment:
    id: int
    filename: str
    data: bytes
    content_type: str | None = None


@dataclass
class Message:
    """A message as the stand-in stores it: real content, whatever a client was allowed to see."""

    id: int
    channel_id: int
    guild_id: int | None
    author_id: int
    content: str = ""
    type: int = 0
    flags: int = 0
    nonce: str | int | None = None
    allowed_mentions: JSON | None = None
    components: list[JSON] = field(default_factory=list)
    embeds: list[JSON] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    webhook_id: int | None = None
    interaction_metadata: JSON | None = None
    reference_id: int | None = None  # the message this one replies to
    edited_timestamp: str | None = None
    deleted: bool = False
    created_monotonic: float = field(default_factory=time.monotonic)

    @property
    def ephemeral(self) -> bool:
        """Only the interacting user sees it; it is in no channel's history."""
        return bool(self.flags & MessageFlag.EPHEMERAL)

    @property
    def mentioned_user_ids(self) -> list[int]:
        return mentioned_ids(self.content, USER_MENTION)

    @property
    def mentioned_role_ids(self) -> list[int]:
        return mentioned_ids(self.content, ROLE_MENTION)

    @property
    def pinged_user_ids(self) -> list[int]:
        """Users this message notifies, applying ``allowed_mentions`` as Discord does."""
        return self._pinged(self.mentioned_user_ids, "users")

    @property
    def pinged_role_ids(self) -> list[int]:
        """Roles this message notifies, applying ``allowed_mentions`` as Discord does."""
        return self._pinged(self.mentioned_role_ids, "roles")

    @property
    def pings_everyone(self) -> bool:
        """True if ``@everyone``/``@here`` in the content would notify the channel."""
        if "@everyone" not in self.content and "@here" not in self.content:
            return False
        return self.allowed_mentions is None or "everyone" in self.allowed_mentions.get("parse", [])

    def _pinged(self, mentioned: list[int], kind: str) -> list[int]:
        rules = self.allowed_mentions
        if rules is None or kind in rules.get("parse", []):
            return mentioned
        explicit = {int(i) for i in rules.get(kind, [])}
        return [i for i in mentioned if i in explicit]

    def custom_ids(self) -> dict[str, int]:
        """Every component ``custom_id`` on the message, with its component type."""
        found: dict[str, int] = {}
        stack = list(self.components)
        while stack:
            component = stack.pop()
            if "custom_id" in component:
                found[component["custom_id"]] = component["type"]
            stack.extend(component.get("components", []))
            if isinstance(component.get("accessory"), dict):
                stack.append(component["accessory"])
        return found


@dataclass
class SyncedCommand:
    """An application command as stored by a bulk overwrite (``PUT .../commands``)."""

    id: int
    application_id: int
    guild_id: int | None
    version: int
    body: JSON

    @property
    def name(self) -> str:
        return str(self.body["name"])

    @property
    def type(self) -> int:
        return int(self.body.get("type", 1))

    def payload(self) -> JSON:
        return {
            **self.body,
            "id": str(self.id),
            "application_id": str(self.application_id),
            "version": str(self.version),
            "type": self.type,
            "default_member_permissions": self.body.get("default_member_permissions"),
            **({"guild_id": str(self.guild_id)} if self.guild_id is not None else {}),
        }


USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")


def mentioned_ids(content: str, pattern: re.Pattern[str]) -> list[int]:
    """Ids mentioned in ``content``, once each, in order of appearance."""
    return list(dict.fromkeys(int(m) for m in pattern.findall(content)))


class World:
    """Everything the stand-in knows: the application, its bot, guilds, users, DMs, messages."""

    def __init__(self, *, application_name: str = "volunteer-bot") -> None:
        self.ids = Snowflakes()
        self.application_id = self.ids.next()
        self.application_name = application_name
        self.bot = User(id=self.ids.next(), username=application_name, bot=True)
        self.token = f"standin-token-{self.bot.id}"
        self.users: dict[int, User] = {self.bot.id: self.bot}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.commands: dict[int | None, list[SyncedCommand]] = {}
        self._dm_by_user: dict[int, Channel] = {}

    # --- building -------------------------------------------------------------------------

    def add_user(self, username: str, *, global_name: str | None = None, bot: bool = False) -> User:
        user = User(id=self.ids.next(), username=username, global_name=global_name, bot=bot)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, *, owner: User, everyone_permissions: int = Permission.EVERYONE_DEFAULT) -> Guild:
        """A guild with its @everyone role; the owner and the bot are members."""
        guild = Guild(id=self.ids.next(), name=name, owner_id=owner.id)
        guild.roles[guild.id] = Role(
            id=guild.id, guild_id=guild.id, name="@everyone", position=0, permissions=everyone_permissions
        )
        self.guilds[guild.id] = guild
        for user in (owner, self.bot):
            self.add_member(guild, user)
        return guild

    def add_role(self, guild: Guild, name: str, *, permissions: int = 0, mentionable: bool = False) -> Role:
        role = Role(
            id=self.ids.next(),
            guild_id=guild.id,
            name=name,
            position=len(guild.roles),
            permissions=permissions,
            mentionable=mentionable,
        )
        guild.roles[role.id] = role
        return role

    def add_text_channel(self, guild: Guild, name: str, *, topic: str | None = None) -> Channel:
        channel = Channel(
            id=self.ids.next(),
            type=ChannelType.GUILD_TEXT,
            name=name,
            guild_id=guild.id,
            position=len(guild.channels),
            topic=topic,
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def add_member(self, guild: Guild, user: User, *, roles: tuple[Role, ...] = (), nick: str | None = None) -> Member:
        member = Member(guild_id=guild.id, user_id=user.id, role_ids=[r.id for r in roles], nick=nick)
        guild.members[user.id] = member
        return member

    def dm_channel(self, user: User) -> Channel:
        """The one DM channel between the bot and ``user`` (created on first use, as Discord does)."""
        channel = self._dm_by_user.get(user.id)
        if channel is None:
            channel = Channel(id=self.ids.next(), type=ChannelType.DM, recipient_id=user.id)
            self._dm_by_user[user.id] = channel
            self.channels[channel.id] = channel
        return channel

    # --- questions ------------------------------------------------------------------------

    def guild_permissions(self, guild: Guild, user_id: int) -> int:
        """Guild-level permissions: the owner and administrators have all of them."""
        member = guild.members.get(user_id)
        if member is None:
            return 0
        if user_id == guild.owner_id:
            return Permission.ALL
        value = guild.everyone.permissions
        for role_id in member.role_ids:
            value |= guild.roles[role_id].permissions
        return Permission.ALL if value & Permission.ADMINISTRATOR else value

    def channel_messages(self, channel: Channel) -> list[Message]:
        """The channel's history: not deleted, not ephemeral, oldest first."""
        return [m for m in self.messages.values() if m.channel_id == channel.id and not m.deleted and not m.ephemeral]
