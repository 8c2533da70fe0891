"""The stand-in's state: what Discord knows (``World``) and the small pieces around it.

Ids are snowflakes from :class:`~.standin_clock.Snowflakes`: strictly increasing and time-based, so discord.py's
``created_at`` is a sensible time. Entities are plain mutable dataclasses; payloads are generated
from them in ``standin_payloads``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .standin_clock import Clock, Snowflakes
from .standin_errors import JSON


class Intent:
    """Gateway intent bits the stand-in honours (Discord's values)."""

    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    DIRECT_MESSAGES = 1 << 12
    MESSAGE_CONTENT = 1 << 15
    #: An application must enable these in the developer portal; IDENTIFYing with one it has
    #: not enabled gets close code 4014 (Disallowed intent(s)).
    PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


#: Application flags announcing which privileged intents are enabled (the ``_LIMITED`` ones, as
#: for a bot in fewer than 100 servers), in READY and ``GET /oauth2/applications/@me``.
INTENT_APPLICATION_FLAGS = {
    Intent.GUILD_PRESENCES: 1 << 13,
    Intent.GUILD_MEMBERS: 1 << 15,
    Intent.MESSAGE_CONTENT: 1 << 19,
}


class Permission:
    """Permission bits used by the model (Discord's values)."""

    ADMINISTRATOR = 1 << 3
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
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


@dataclass
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    #: False once the person closed their DMs to the bot (or blocked it): a DM gets 50007.
    dms_open: bool = True

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
    created: float = 0.0  # the stand-in clock's time when it was posted

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
        if self.allowed_mentions is None:
            return self.webhook_id is None  # interaction responses and webhooks parse users only
        return "everyone" in self.allowed_mentions.get("parse", [])

    def _pinged(self, mentioned: list[int], kind: str) -> list[int]:
        rules = self.allowed_mentions
        if rules is None and self.webhook_id is not None:
            # Interaction responses and webhooks parse only user mentions by default.
            rules = {"parse": ["users"]}
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
        self.clock = Clock()
        #: The privileged intents enabled for the application in the developer portal.
        self.privileged_intents = Intent.MESSAGE_CONTENT
        self.ids = Snowflakes()
        self.application_id = self.ids.next()
        self.application_name = application_name
        self.bot = User(id=self.ids.next(), username=application_name, bot=True)
        self.token = f"standin-token-{self.bot.id}"
        self.users: dict[int, User] = {self.bot.id: self.bot}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.uploads: dict[int, Attachment] = {}  # files attached to slash commands (attachment options)
        self.commands: dict[int | None, list[SyncedCommand]] = {}
        self._dm_by_user: dict[int, Channel] = {}
        self.cdn = "https://cdn.discordapp.invalid"  # where attachments are fetched (set by the stand-in)

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

    def close_dms(self, user: User) -> None:
        """``user`` turns off DMs from server members (or blocks the bot): sending to their DM
        channel is refused with 403, code 50007. The DM channel itself still opens."""
        user.dms_open = False

    def open_dms(self, user: User) -> None:
        user.dms_open = True

    # --- questions ------------------------------------------------------------------------

    def can_dm(self, user: User) -> bool:
        """Discord lets a bot message someone privately only while they share a server and the
        person has not closed their DMs to it."""
        shares_a_guild = any(user.id in g.members and self.bot.id in g.members for g in self.guilds.values())
        return user.dms_open and shares_a_guild

    def application_flags(self) -> int:
        flags = 0
        for intent, flag in INTENT_APPLICATION_FLAGS.items():
            if self.privileged_intents & intent:
                flags |= flag
        return flags

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
