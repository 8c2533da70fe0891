"""The command registry as Discord slash commands, and slash-command interactions back as calls.

Generated, never written by hand, so `/` and `!` cannot drift apart:

- Registry commands are grouped by their first word. A word with one form becomes a top-level
  command (`/claim id:12`); a word with several forms (`ask` post/show, `checkin`, `checkin
  off`, `checkin reply`) becomes a command with one subcommand per form, named by the form's
  second word or its `form` (`/ask post`, `/checkin off`). A form that has neither (plain
  `checkin`) is the subcommand `BASE_FORM` (`/checkin set`).
- Descriptions come from the command's summary and each parameter's help (Discord allows 100
  characters). Option types are what each parameter's type says (`Param.option()`): numbers and
  ids are integers, flags booleans, choices fixed string choices; everything else is a string
  limited to its length. Parameters whose type can complete get autocomplete from the database.
- Members are strings with autocomplete, not Discord's user picker: the picker offers only
  people in the server, while a member argument also takes what `!` takes — a name, a Matrix
  member, `me`, or (for `intro`) a contact number. A suggested Discord member is filled in as a
  mention (`<@id>`) and passed to the dispatcher as one.
- Discord wants required options first; the order of options does not matter to the parser,
  since slash options always arrive by name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import discord
from discord import AppCommandOptionType, app_commands

from bot.core.commands import Command, Registry
from bot.core.kinds import Member
from bot.core.messages import Invocation, Mentioned
from bot.core.params import Choice, Param

MAX_DESCRIPTION = 100
MAX_CHOICES = 25
MAX_CHOICE_TEXT = 100
MAX_STRING = 6000
BASE_FORM = "set"
_MENTION = re.compile(r"<@!?(\d+)>")
_SUBCOMMAND = AppCommandOptionType.subcommand.value
_ATTACHMENT = AppCommandOptionType.attachment.value
FILE = "file"  # the option a command that reads a file gets (`Command.file`)

JSON = dict[str, Any]


def describe(text: str) -> str:
    """A Discord description: no markdown (it is shown raw), at most 100 characters."""
    plain = " ".join(text.replace("`", "").split())
    return plain if len(plain) <= MAX_DESCRIPTION else plain[: MAX_DESCRIPTION - 1].rstrip() + "…"


_KINDS = {
    "string": AppCommandOptionType.string.value,
    "integer": AppCommandOptionType.integer.value,
    "boolean": AppCommandOptionType.boolean.value,
}


def option(param: Param[Any]) -> JSON:
    """One parameter as a Discord option."""
    spec = param.option()
    body: JSON = {
        "name": param.name,
        "description": describe(param.help),
        "required": param.required,
        "type": _KINDS[spec.kind],
    }
    if spec.min_value is not None:
        body["min_value"] = spec.min_value
    if spec.max_value is not None:
        body["max_value"] = spec.max_value
    if spec.choices:
        body["choices"] = [{"name": choice, "value": choice} for choice in spec.choices]
    if spec.max_length is not None:
        body["max_length"] = min(MAX_STRING, spec.max_length)
    if spec.autocomplete:
        body["autocomplete"] = True
    return body


def _options(command: Command[Any]) -> list[JSON]:
    options = [option(param) for param in sorted(command.params, key=lambda p: not p.required)]
    if command.file is not None:  # a file it reads (`signatures import`): Discord's upload option
        options.append({"name": FILE, "description": describe(command.file), "required": False, "type": _ATTACHMENT})
    return options


@dataclass(frozen=True)
class Slash:
    """Where a registry command lives in the slash tree: `/top` or `/top sub`."""

    top: str
    sub: str | None
    command: Command[Any]

    @property
    def label(self) -> str:
        return f"/{self.top}" + (f" {self.sub}" if self.sub else "")


@dataclass(frozen=True)
class Called:
    """A slash interaction understood: the command, the call for the dispatcher, and (while the
    user is still typing) the option being completed and its text so far."""

    command: Command[Any]
    invocation: Invocation
    mentions: tuple[Mentioned, ...]
    text: str
    focused: tuple[Param[Any], str] | None = None
    files: tuple[Mapping[str, Any], ...] = ()  # attached with the command (`data.resolved.attachments`)


class SlashCommands:
    """The slash-command tree of one registry."""

    def __init__(self, registry: Registry[Any]) -> None:
        groups: dict[str, list[Command[Any]]] = {}
        for command in registry.commands:
            groups.setdefault(command.words[0], []).append(command)
        self._groups = groups
        self._slashes: dict[tuple[str, str | None], Slash] = {}
        for top, forms in groups.items():
            for command in forms:
                sub = _sub_name(command) if len(forms) > 1 else None
                if (top, sub) in self._slashes:
                    raise ValueError(f"two commands would both be {Slash(top, sub, command).label}")
                self._slashes[(top, sub)] = Slash(top, sub, command)

    @property
    def slashes(self) -> list[Slash]:
        return list(self._slashes.values())

    def of(self, command: Command[Any]) -> Slash:
        """Where `command` is in the tree."""
        return next(s for s in self._slashes.values() if s.command.key == command.key)

    def payload(self) -> list[JSON]:
        """The bulk-overwrite body for `PUT …/commands`."""
        out: list[JSON] = []
        for top, forms in self._groups.items():
            body: JSON = {"name": top, "type": 1}
            if len(forms) == 1:
                body["description"] = describe(forms[0].summary)
                body["options"] = _options(forms[0])
            else:
                body["description"] = describe(" / ".join(form.summary.rstrip(".") for form in forms))
                body["options"] = [
                    {
                        "name": _sub_name(form),
                        "description": describe(form.summary),
                        "type": _SUBCOMMAND,
                        "options": _options(form),
                    }
                    for form in forms
                ]
            out.append(body)
        return out

    async def push(self, client: discord.Client, guild_ids: Sequence[int]) -> list[str]:
        """Overwrite the slash commands Discord has with these: in each of `guild_ids`, or
        globally (every server and DMs with the bot) when there are none. Returns where."""
        application_id = client.application_id
        if application_id is None:
            raise RuntimeError("log in before pushing commands")
        payload = self.payload()
        if not guild_ids:
            await client.http.bulk_upsert_global_commands(application_id, payload)
            return ["every server (global commands)"]
        for guild_id in guild_ids:
            await client.http.bulk_upsert_guild_commands(application_id, guild_id, payload)
        return [f"server {guild_id}" for guild_id in guild_ids]

    def read(self, data: Mapping[str, Any]) -> Called | None:
        """The call in an application-command (or autocomplete) interaction's `data`; None for
        a command this registry does not have (synced by an older version of the bot)."""
        options: Sequence[Mapping[str, Any]] = data.get("options") or []
        sub = None
        if options and options[0].get("type") == _SUBCOMMAND:
            sub = str(options[0]["name"])
            options = options[0].get("options") or []
        slash = self._slashes.get((str(data.get("name")), sub))
        if slash is None:
            return None
        values: list[tuple[str, str]] = []
        mentions: list[Mentioned] = []
        focused: tuple[Param[Any], str] | None = None
        files: list[Mapping[str, Any]] = []
        for given in options:
            name, value = str(given["name"]), given.get("value")
            if given.get("type") == _ATTACHMENT:
                found = ((data.get("resolved") or {}).get("attachments") or {}).get(str(value))
                files += [found] if isinstance(found, Mapping) else []
                continue
            param = slash.command.param(name)
            if param is None:
                continue
            if given.get("focused"):
                focused = (param, str(value or ""))
                continue
            mention = _MENTION.fullmatch(str(value).strip()) if isinstance(param.type, Member) else None
            if mention is not None:
                # The dispatcher finds people by id; the name would only show if nobody had it
                # (the adapter names them then: `DiscordPeople.named`).
                mentions.append(Mentioned(mention.group(0), mention.group(1), f"user {mention[1]}"))
                values.append((name, mention.group(0)))
            elif isinstance(value, bool):
                values.append((name, "true" if value else "false"))
            else:
                values.append((name, str(value)))
        text = " ".join([slash.label, *(f"{k}:{v}" for k, v in values)])
        invocation = Invocation(slash.command.key, tuple(values))
        return Called(slash.command, invocation, tuple(mentions), text, focused, tuple(files))


def _sub_name(command: Command[Any]) -> str:
    """`ask.post` → `post`, `checkin.off` → `off`, plain `checkin` → `BASE_FORM`."""
    rest = command.key.split(".")[1:]
    return "-".join(rest) if rest else BASE_FORM


def choices(found: list[Choice]) -> list[app_commands.Choice[Any]]:
    """Completions as Discord shows them (25 at most, names clipped to 100 characters); a person
    with an account here is filled in as their mention."""
    out = []
    for choice in found[:MAX_CHOICES]:
        value = f"<@{choice.user_id}>" if choice.user_id else choice.value
        out.append(_choice(choice.name, value if not isinstance(value, str) else value[:MAX_CHOICE_TEXT]))
    return out


def _choice(name: str, value: str | int) -> app_commands.Choice[Any]:
    return app_commands.Choice(name=_clip(name), value=value)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_CHOICE_TEXT else text[: MAX_CHOICE_TEXT - 1] + "…"
