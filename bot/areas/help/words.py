"""Everything the help area says: the overview, one command's usage, and the command reference
(`docs/commands.md`), all generated from the registry so they always match what the bot understands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.commands import Command, Registry, Section
from bot.core.params import Param
from bot.core.text import Rich, fmt, lines
from bot.ids import Role


def _label(param: Param[Any]) -> str:
    return param.name if param.type.flag or param.positional else f"{param.name}:"


def short_form(command: Command[Any]) -> str:
    """The name with its required positional holes: `claim <id>`, `ask title:"…"`."""
    holes = [param.usage() for param in command.params if param.required]
    return " ".join([command.name, *holes])


def overview(registry: Registry[Any]) -> Rich:
    rows: list[Rich] = []
    for section, commands in registry.sections():
        rows.extend(_listed(section, commands))
    rows.append(fmt("Next: `help <command>` for details and an example, like `help claim`."))
    return lines(*rows)


def section(section: Section, commands: Sequence[Command[Any]]) -> Rich:
    """One section of the overview (`help leads`), with the next step from its first command."""
    next_step = fmt("Next: `help <command>` for details, like `help {first}`.", first=commands[0].name)
    return lines(*_listed(section, commands), next_step)


def _listed(section: Section, commands: Sequence[Command[Any]]) -> list[Rich]:
    return [fmt("**{section}**", section=section.value), *(_line(command) for command in commands)]


def _line(command: Command[Any]) -> Rich:
    """One command in the overview; one only some may use says who (`ask` is for leads), so a
    member learns it there and not from "Only leads can use `ask`" after trying."""
    if command.role is Role.MEMBER:
        return fmt("`{form}` — {summary}", form=short_form(command), summary=command.summary)
    who = command.who_may()
    return fmt("`{form}` — {summary} ({who} only)", form=short_form(command), summary=command.summary, who=who)


def detail(command: Command[Any]) -> Rich:
    rows: list[Rich] = [
        fmt("`{usage}`", usage=command.usage()),
        fmt("{summary} Who: {who}.", summary=command.summary, who=command.who_may()),
    ]
    for param in command.params:
        rows.append(fmt("· `{label}` {help}", label=_label(param), help=param.help))
    rows.append(fmt("Example: `{example}`", example=command.example))
    return lines(*rows)


def markdown(registry: Registry[Any]) -> str:
    """`docs/commands.md`: every command, generated here so the docs cannot drift from help."""
    out = [
        "# Commands",
        "",
        "Generated from the command registry by `python -m bot docs`; a test fails if this file",
        "and the registry disagree. Prefix each command with `!` (Matrix, console, Discord messages)",
        "or use it as a `/` slash command on Discord.",
        "",
    ]
    for section, commands in registry.sections():
        out += [f"## {section.value}", ""]
        for command in commands:
            out += [f"### `{command.usage()}`", "", f"{command.summary} Who: {command.who_may()}.", ""]
            if command.sensitive:
                out += ["Replies carry private data, so they are always sent privately.", ""]
            for param in command.params:
                required = "required" if param.required else "optional"
                out.append(f"- `{_label(param)}` ({param.type.label}, {required}): {param.help}")
            if command.params:
                out.append("")
            out += [f"Example: `{command.example}`", ""]
    return "\n".join(out).rstrip() + "\n"


def no_such_command(topic: str, guess: str | None) -> Rich:
    """A help topic that is no command: its likely meaning, or (None) the overview follows."""
    hint = f" Did you mean `help {guess}`?" if guess else " Here's everything I can do:"
    return fmt("There's no command `{topic}`." + hint, topic=topic[:40])


def see_also(names: Sequence[str]) -> Rich:
    """Under `help contact`: the other commands that begin with the same word."""
    if not names:
        return ()
    return fmt("Also: {names}.", names=fmt(", ".join(f"`{name}`" for name in names)))
