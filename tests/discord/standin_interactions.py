"""Interactions: what a user's slash command, autocomplete or button click looks like on the wire,
and what the bot's answers to it (callback, followups, edits of the original) do.

Discord only delivers what its own client lets a person do, so building an interaction checks the
same things: the command was synced to this guild (or globally), is offered in this kind of
channel, the person holds ``default_member_permissions``, options match the synced schema, and a
clicked ``custom_id`` is on the message. A test that asks for anything else fails at once.
"""

# ruff: noqa: ASYNC109 -- waits take a ``timeout`` so that, on expiry, they fail with what they
# were waiting for; a caller's ``asyncio.timeout`` could only raise a bare TimeoutError.

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .standin_commands import CHAT_INPUT
from .standin_gateway import Gateway
from .standin_messages import Chat, MessageBody
from .standin_model import (
    JSON,
    ApiError,
    Changes,
    Channel,
    Message,
    MessageFlag,
    Role,
    SyncedCommand,
    User,
    World,
    field_error,
)
from .standin_payloads import channel_payload, member_payload, message_payload, role_payload, user_payload


class InteractionType:
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    AUTOCOMPLETE = 4


class CallbackType:
    CHANNEL_MESSAGE = 4
    DEFERRED_CHANNEL_MESSAGE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    AUTOCOMPLETE_RESULT = 8
    MODAL = 9


class OptionType:
    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10


BUTTON = 2

#: Which callback types Discord accepts for which interaction type.
_ALLOWED_CALLBACKS = {
    InteractionType.APPLICATION_COMMAND: {
        CallbackType.CHANNEL_MESSAGE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE,
        CallbackType.MODAL,
    },
    InteractionType.MESSAGE_COMPONENT: {
        CallbackType.CHANNEL_MESSAGE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE,
        CallbackType.DEFERRED_UPDATE_MESSAGE,
        CallbackType.UPDATE_MESSAGE,
        CallbackType.MODAL,
    },
    InteractionType.AUTOCOMPLETE: {CallbackType.AUTOCOMPLETE_RESULT},
}
SUBCOMMANDS = (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP)


@dataclass(frozen=True)
class InteractionCallback:
    """The bot's answer to ``POST /interactions/{id}/{token}/callback``."""

    type: int
    data: JSON

    @property
    def content(self) -> str | None:
        return self.data.get("content")

    @property
    def flags(self) -> int:
        return int(self.data.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & MessageFlag.EPHEMERAL)

    @property
    def components(self) -> list[JSON]:
        return list(self.data.get("components") or [])

    @property
    def embeds(self) -> list[JSON]:
        return list(self.data.get("embeds") or [])

    @property
    def choices(self) -> list[JSON]:
        """Autocomplete suggestions (callback type 8)."""
        return list(self.data.get("choices") or [])


@dataclass
class StoredInteraction:
    id: int
    token: str
    type: int
    user: User
    channel: Channel
    payload: JSON
    component_message: Message | None = None
    callback: InteractionCallback | None = None
    original: Message | None = None
    followups: list[Message] = field(default_factory=list)


class InteractionHandle:
    """What a test holds after a user interacted: the payload sent, and the bot's answers."""

    def __init__(self, stored: StoredInteraction, changes: Changes) -> None:
        self._stored = stored
        self._changes = changes

    @property
    def id(self) -> int:
        return self._stored.id

    @property
    def payload(self) -> JSON:
        """The INTERACTION_CREATE body as dispatched."""
        return self._stored.payload

    @property
    def original(self) -> Message | None:
        """The response message: the one created by callback 4/5, or for a component answered
        with 6/7 the message the component is on. Reflects later edits."""
        return self._stored.original

    @property
    def followups(self) -> list[Message]:
        return list(self._stored.followups)

    async def response(self, timeout: float = 5.0) -> InteractionCallback:
        """Wait for the bot's callback."""
        return await self._changes.wait_until(
            lambda: self._stored.callback, timeout=timeout, what=f"a callback to {self._describe()}"
        )

    async def wait_for_followups(self, count: int = 1, timeout: float = 5.0) -> list[Message]:
        """Wait until the bot has sent at least ``count`` followups; return them all."""
        return await self._changes.wait_until(
            lambda: self.followups if len(self._stored.followups) >= count else None,
            timeout=timeout,
            what=f"{count} followup(s) to {self._describe()}",
        )

    def _describe(self) -> str:
        data = self._stored.payload["data"]
        return f"interaction {self.id} ({data.get('name') or data.get('custom_id')})"


class Interactions:
    """Builds and dispatches interactions; applies the bot's answers to them."""

    def __init__(self, world: World, gateway: Gateway, chat: Chat, changes: Changes) -> None:
        self._world = world
        self._gateway = gateway
        self._chat = chat
        self._changes = changes
        self._by_id: dict[int, StoredInteraction] = {}

    # --- what users do ------------------------------------------------------------------------

    async def command(
        self,
        user: User,
        channel: Channel,
        name: str,
        options: dict[str, Any],
        subcommand: str | None,
        *,
        focused: str | None = None,
    ) -> InteractionHandle:
        """A slash command (or, with ``focused``, an autocomplete request while typing it)."""
        command = self._offered_command(user, channel, name)
        data: JSON = {"id": str(command.id), "name": command.name, "type": command.type}
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        resolved: JSON = {}
        data["options"] = self._options(command, channel, options, subcommand, focused, resolved)
        if resolved:
            data["resolved"] = resolved
        kind = InteractionType.AUTOCOMPLETE if focused else InteractionType.APPLICATION_COMMAND
        return await self._dispatch(kind, user, channel, data)

    async def click(self, user: User, message: Message, custom_id: str) -> InteractionHandle:
        """A click on a button of ``message``."""
        if message.deleted:
            raise AssertionError(f"message {message.id} was deleted; nobody can click on it")
        kinds = message.custom_ids()
        if custom_id not in kinds:
            raise AssertionError(f"message {message.id} has no component {custom_id!r}: {kinds}")
        if kinds[custom_id] != BUTTON:
            raise AssertionError(f"component {custom_id!r} is type {kinds[custom_id]}, not a button")
        channel = self._world.channels[message.channel_id]
        self._check_presence(user, channel)
        data = {"custom_id": custom_id, "component_type": BUTTON}
        return await self._dispatch(InteractionType.MESSAGE_COMPONENT, user, channel, data, component_message=message)

    # --- what the bot does (called by the REST routes) -------------------------------------------

    async def callback(self, interaction_id: int, token: str, body: MessageBody) -> JSON:
        stored = self._by_id.get(interaction_id)
        if stored is None or stored.token != token:
            raise ApiError.not_found(10062, "interaction")
        if stored.callback is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        kind = int(body.get("type", 0))
        if kind not in _ALLOWED_CALLBACKS[stored.type]:
            raise ApiError.invalid_form(
                {"type": field_error("INTERACTION_RESPONSE_TYPE_INVALID", f"Invalid type {kind}")}
            )
        data = dict(body.get("data") or {})
        reply = MessageBody(fields=data, files=body.files)
        if kind == CallbackType.CHANNEL_MESSAGE:
            stored.original = await self._post(stored, reply)
        elif kind == CallbackType.DEFERRED_CHANNEL_MESSAGE:
            loading = MessageFlag.LOADING | (int(data.get("flags") or 0) & MessageFlag.EPHEMERAL)
            stored.original = await self._post(stored, MessageBody(fields={}), flags=loading)
        elif kind == CallbackType.UPDATE_MESSAGE:
            assert stored.component_message is not None
            stored.original = await self._chat.edit(stored.component_message, reply)
        elif kind == CallbackType.DEFERRED_UPDATE_MESSAGE:
            stored.original = stored.component_message
        stored.callback = InteractionCallback(type=kind, data=data)
        self._changes.notify()
        answer: JSON = {
            "interaction": {
                "id": str(stored.id),
                "type": stored.type,
                "response_message_loading": kind == CallbackType.DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": bool(stored.original and stored.original.ephemeral),
            },
            "resource": {"type": kind},
        }
        if stored.original is not None and kind != CallbackType.DEFERRED_UPDATE_MESSAGE:
            answer["interaction"]["response_message_id"] = str(stored.original.id)
            answer["resource"]["message"] = message_payload(self._world, stored.original)
        return answer

    async def followup(self, application_id: int, token: str, body: MessageBody) -> Message:
        """A followup. The first one after a "thinking" defer fills the loading message instead,
        keeping the defer's ephemerality, as Discord does."""
        stored = self._acknowledged(application_id, token)
        original = stored.original
        if original is not None and original.flags & MessageFlag.LOADING:
            body.validate_new()
            message = await self._chat.edit(original, body)
        else:
            message = await self._post(stored, body)
        stored.followups.append(message)
        self._changes.notify()
        return message

    def response_message(self, application_id: int, token: str, reference: str) -> Message:
        """``@original`` or a followup id, as in ``/webhooks/{app}/{token}/messages/{ref}``."""
        stored = self._acknowledged(application_id, token)
        if reference == "@original":
            message = stored.original
        else:
            message = next((m for m in stored.followups if str(m.id) == reference), None)
        if message is None or message.deleted:
            raise ApiError.not_found(10008, "Message")
        return message

    # --- helpers --------------------------------------------------------------------------------

    def _acknowledged(self, application_id: int, token: str) -> StoredInteraction:
        stored = next((s for s in self._by_id.values() if s.token == token), None)
        if stored is None or application_id != self._world.application_id or stored.callback is None:
            raise ApiError.not_found(10015, "Webhook")
        return stored

    async def _post(self, stored: StoredInteraction, body: MessageBody, *, flags: int = 0) -> Message:
        metadata = {
            "id": str(stored.id),
            "type": stored.type,
            "user": user_payload(stored.user),
            "authorizing_integration_owners": stored.payload["authorizing_integration_owners"],
        }
        return await self._chat.post(
            stored.channel,
            self._world.bot,
            body,
            type=20 if stored.type == InteractionType.APPLICATION_COMMAND else 0,
            flags=flags,
            webhook_id=self._world.application_id,
            interaction_metadata=metadata,
            # A "thinking" message has no content yet.
            validate=not flags & MessageFlag.LOADING,
        )

    def _offered_command(self, user: User, channel: Channel, name: str) -> SyncedCommand:
        world = self._world
        self._check_presence(user, channel)
        scopes = [channel.guild_id, None] if channel.guild_id is not None else [None]
        command = next(
            (c for scope in scopes for c in world.commands.get(scope, []) if c.name == name and c.type == CHAT_INPUT),
            None,
        )
        where = f"guild {channel.guild_id}" if channel.guild_id else "DMs"
        if command is None:
            raise AssertionError(f"/{name} was never synced for {where}; Discord would not offer it")
        contexts = command.body.get("contexts")
        if channel.is_dm and (
            command.body.get("dm_permission") is False or (contexts is not None and 1 not in contexts)
        ):
            raise AssertionError(f"/{name} is not offered in DMs")
        if not channel.is_dm and contexts is not None and 0 not in contexts:
            raise AssertionError(f"/{name} is not offered in guilds")
        required = command.body.get("default_member_permissions")
        if required is not None and not channel.is_dm:
            guild = world.guilds[channel.guild_id or 0]
            if world.guild_permissions(guild, user.id) & int(required) != int(required):
                raise AssertionError(f"{user.username} lacks the permissions to see /{name}")
        return command

    def _check_presence(self, user: User, channel: Channel) -> None:
        if channel.is_dm:
            if channel.recipient_id != user.id:
                raise AssertionError(f"{user.username} is not in DM channel {channel.id}")
        elif user.id not in self._world.guilds[channel.guild_id or 0].members:
            raise AssertionError(f"{user.username} is not a member of guild {channel.guild_id}")

    def _options(
        self,
        command: SyncedCommand,
        channel: Channel,
        values: dict[str, Any],
        subcommand: str | None,
        focused: str | None,
        resolved: JSON,
    ) -> list[JSON]:
        """Options as Discord sends them, nested under the subcommand (group) path."""
        top: list[JSON] = []
        target, schema = top, list(command.body.get("options") or [])
        for part in (subcommand or "").split():
            found = next((o for o in schema if o["name"] == part and o["type"] in SUBCOMMANDS), None)
            if found is None:
                raise AssertionError(f"/{command.name} has no subcommand {part!r}")
            node: JSON = {"name": part, "type": found["type"], "options": []}
            target.append(node)
            target, schema = node["options"], list(found.get("options") or [])
        if any(o["type"] in SUBCOMMANDS for o in schema):
            names = [o["name"] for o in schema]
            raise AssertionError(f"/{command.name} needs a subcommand, one of {names}")
        by_name = {o["name"]: o for o in schema}
        for name, value in values.items():
            option = by_name.get(name)
            if option is None:
                raise AssertionError(f"/{command.name} has no option {name!r}; it has {list(by_name)}")
            if name == focused:
                target.append({"name": name, "type": option["type"], "value": str(value), "focused": True})
            else:
                target.append(self._option(option, channel, value, resolved))
        if focused is not None:
            if focused not in values:
                raise AssertionError(f"the focused option {focused!r} needs a (partial) value")
            if not by_name[focused].get("autocomplete"):
                raise AssertionError(f"option {focused!r} of /{command.name} has no autocomplete")
        else:
            missing = [o["name"] for o in schema if o.get("required") and o["name"] not in values]
            if missing:
                raise AssertionError(f"/{command.name} needs the required option(s) {missing}")
        return top

    def _option(self, option: JSON, channel: Channel, value: Any, resolved: JSON) -> JSON:
        kind, name = option["type"], option["name"]
        expected: dict[int, tuple[type, ...]] = {
            OptionType.STRING: (str,),
            OptionType.INTEGER: (int,),
            OptionType.BOOLEAN: (bool,),
            OptionType.NUMBER: (int, float),
            OptionType.USER: (User,),
            OptionType.CHANNEL: (Channel,),
            OptionType.ROLE: (Role,),
            OptionType.MENTIONABLE: (User, Role),
        }
        if kind not in expected:
            raise AssertionError(f"option type {kind} of {name!r} is not supported by the stand-in")
        if not isinstance(value, expected[kind]) or (kind != OptionType.BOOLEAN and value is True):
            raise AssertionError(f"option {name!r} wants {expected[kind]}, got {value!r}")
        choices = [c["value"] for c in option.get("choices") or []]
        if choices and value not in choices:
            raise AssertionError(f"option {name!r} must be one of {choices}, got {value!r}")
        if isinstance(value, User | Channel | Role):
            self._resolve(value, channel, resolved)
            value = str(value.id)
        return {"name": name, "type": kind, "value": value}

    def _resolve(self, value: User | Channel | Role, channel: Channel, resolved: JSON) -> None:
        world = self._world
        key = str(value.id)
        if isinstance(value, User):
            resolved.setdefault("users", {})[key] = user_payload(value)
            guild = world.guilds.get(channel.guild_id or 0)
            if guild is not None and value.id in guild.members:
                member = member_payload(world, guild.members[value.id], with_user=False)
                member["permissions"] = str(world.guild_permissions(guild, value.id))
                resolved.setdefault("members", {})[key] = member
        elif isinstance(value, Role):
            resolved.setdefault("roles", {})[key] = role_payload(value)
        else:
            resolved.setdefault("channels", {})[key] = {
                "id": key,
                "name": value.name,
                "type": value.type,
                "permissions": str(world.guild_permissions(world.guilds[value.guild_id or 0], world.bot.id)),
            }

    async def _dispatch(
        self,
        kind: int,
        user: User,
        channel: Channel,
        data: JSON,
        *,
        component_message: Message | None = None,
    ) -> InteractionHandle:
        world = self._world
        interaction_id = world.ids.next()
        token = f"standin-interaction-token-{interaction_id}"
        payload: JSON = {
            "id": str(interaction_id),
            "application_id": str(world.application_id),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "channel_id": str(channel.id),
            "channel": channel_payload(world, channel),
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if channel.is_dm:
            payload["user"] = user_payload(user)
            payload["context"] = 1
            payload["authorizing_integration_owners"] = {}
            payload["app_permissions"] = str(0)
        else:
            guild = world.guilds[channel.guild_id or 0]
            member = member_payload(world, guild.members[user.id])
            member["permissions"] = str(world.guild_permissions(guild, user.id))
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": "en-US", "features": []},
                guild_locale="en-US",
                member=member,
                context=0,
                authorizing_integration_owners={"0": str(guild.id)},
                app_permissions=str(world.guild_permissions(guild, world.bot.id)),
            )
        if component_message is not None:
            payload["message"] = message_payload(world, component_message)
        stored = StoredInteraction(
            id=interaction_id,
            token=token,
            type=kind,
            user=user,
            channel=channel,
            payload=payload,
            component_message=component_message,
        )
        self._by_id[interaction_id] = stored
        await self._gateway.dispatch("INTERACTION_CREATE", lambda session: payload)
        return InteractionHandle(stored, self._changes)
