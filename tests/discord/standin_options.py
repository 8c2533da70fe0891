"""What a person fills in when running a slash command, checked as Discord's own client checks it.

Discord only delivers what its client lets a person do: the command was synced to this guild (or
globally), is offered in this kind of channel, the person holds ``default_member_permissions``,
and the options match the synced schema. Values the test gives as stand-in objects (users, roles,
channels) become ids plus ``data.resolved``. Anything else fails the test at once.
"""

from __future__ import annotations

from typing import Any

from .standin_commands import CHAT_INPUT
from .standin_errors import JSON
from .standin_messages import UploadedFile
from .standin_model import Attachment, Channel, Role, SyncedCommand, User, World
from .standin_payloads import attachment_payload, member_payload, role_payload, user_payload


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
    ATTACHMENT = 11


SUBCOMMANDS = (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP)


class CommandInput:
    """Checks a person's slash command against the synced commands and builds its ``data``."""

    def __init__(self, world: World) -> None:
        self.world = world

    def offered_command(self, user: User, channel: Channel, name: str) -> SyncedCommand:
        world = self.world
        self.check_presence(user, channel)
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

    def check_presence(self, user: User, channel: Channel) -> None:
        if channel.is_dm:
            if channel.recipient_id != user.id:
                raise AssertionError(f"{user.username} is not in DM channel {channel.id}")
        elif user.id not in self.world.guilds[channel.guild_id or 0].members:
            raise AssertionError(f"{user.username} is not a member of guild {channel.guild_id}")

    def options(
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
            OptionType.ATTACHMENT: (UploadedFile,),
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
        elif isinstance(value, UploadedFile):  # uploaded first, then resolved like Discord's client
            upload = Attachment(self.world.ids.next(), value.filename, value.data, value.content_type)
            self.world.uploads[upload.id] = upload
            resolved.setdefault("attachments", {})[str(upload.id)] = attachment_payload(upload, self.world.cdn)
            value = str(upload.id)
        return {"name": name, "type": kind, "value": value}

    def _resolve(self, value: User | Channel | Role, channel: Channel, resolved: JSON) -> None:
        world = self.world
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
