"""Application command sync: ``PUT /applications/{app}[/guilds/{guild}]/commands``.

A bulk overwrite replaces the whole list for one scope (a guild, or global). A command that keeps
its name and type keeps its id, as on Discord, and its version changes only when its body does.
The stand-in refuses the payloads Discord refuses (names, lengths, option order, duplicates) with
the same 50035 error shape, so a command tree generated from the registry fails here, not in
production.
"""

from __future__ import annotations

import re
from typing import Any

from .standin_errors import JSON, ApiError, field_error
from .standin_model import SyncedCommand, World

MAX_COMMANDS = 100
MAX_OPTIONS = 25
MAX_DESCRIPTION = 100
CHAT_INPUT = 1
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
NAME = re.compile(r"^[-_'\w]{1,32}$")


def overwrite_commands(world: World, guild_id: int | None, body: Any) -> list[SyncedCommand]:
    """Validate ``body`` and make it the scope's command list; return the stored commands."""
    if not isinstance(body, list):
        raise ApiError.invalid_form({"_errors": [{"code": "BASE_TYPE_ARRAY", "message": "Not a list"}]})
    errors = command_list_errors(body)
    if errors:
        raise ApiError.invalid_form(errors)
    previous = {(c.name, c.type): c for c in world.commands.get(guild_id, [])}
    stored = []
    for item in body:
        old = previous.get((item["name"], int(item.get("type", CHAT_INPUT))))
        unchanged = old is not None and old.body == item
        stored.append(
            SyncedCommand(
                id=old.id if old is not None else world.ids.next(),
                application_id=world.application_id,
                guild_id=guild_id,
                version=old.version if old is not None and unchanged else world.ids.next(),
                body=item,
            )
        )
    world.commands[guild_id] = stored
    return stored


def command_list_errors(commands: list[JSON]) -> JSON:
    """Discord-shaped field errors for a bulk overwrite; empty when it is acceptable."""
    errors: JSON = {}
    if len(commands) > MAX_COMMANDS:
        return field_error("BASE_TYPE_MAX_LENGTH", f"Must be {MAX_COMMANDS} or fewer in length.")
    seen: set[tuple[str, int]] = set()
    for index, command in enumerate(commands):
        kind = int(command.get("type", CHAT_INPUT))
        problems = _named_errors(command, needs_description=kind == CHAT_INPUT)
        problems.update(_options_errors(command.get("options") or []))
        key = (str(command.get("name")), kind)
        if key in seen:
            problems["name"] = field_error(
                "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique"
            )
        seen.add(key)
        if problems:
            errors[str(index)] = problems
    return errors


def _named_errors(item: JSON, *, needs_description: bool) -> JSON:
    problems: JSON = {}
    name = item.get("name")
    if not isinstance(name, str) or not NAME.match(name) or name != name.lower():
        problems["name"] = field_error("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    description = item.get("description") or ""
    if needs_description and not 1 <= len(description) <= MAX_DESCRIPTION:
        problems["description"] = field_error(
            "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {MAX_DESCRIPTION} in length."
        )
    return problems


def _options_errors(options: list[JSON]) -> JSON:
    if len(options) > MAX_OPTIONS:
        return {"options": field_error("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")}
    problems: JSON = {}
    names = [o.get("name") for o in options]
    if len(set(names)) != len(names):
        problems["_errors"] = field_error(
            "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS", "Option names must be unique"
        )["_errors"]
    seen_optional = False
    for index, option in enumerate(options):
        option_problems = _named_errors(option, needs_description=True)
        option_problems.update(_options_errors(option.get("options") or []))
        is_subcommand = option.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP)
        if not is_subcommand and option.get("required") and seen_optional:
            option_problems["required"] = field_error(
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            )
        seen_optional = seen_optional or (not is_subcommand and not option.get("required"))
        if len(option.get("choices") or []) > MAX_OPTIONS:
            option_problems["choices"] = field_error("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        if option_problems:
            problems[str(index)] = option_problems
    return {"options": problems} if problems else {}
