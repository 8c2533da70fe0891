"""`help`: generated from the registry, so it always matches what the bot understands."""

from __future__ import annotations

from bot.core.args import Args
from bot.core.commands import Arg, Command, Kind, Registry, Section
from bot.core.context import Context
from bot.core.errors import NotFound
from bot.core.messages import Reply
from bot.core.text import Rich, fmt, lines


def short_form(command: Command) -> str:
    """The name with its required positional holes: `claim <id>`, `ask title:"…"`."""
    holes = [arg.usage() for arg in command.args if arg.required]
    return " ".join([command.name, *holes])


def overview(registry: Registry) -> Rich:
    rows: list[Rich] = []
    for section, commands in registry.sections():
        rows.append(fmt("**{section}**", section=section.value))
        for command in commands:
            rows.append(fmt("`{form}` — {summary}", form=short_form(command), summary=command.summary))
    rows.append(fmt("Next: `help <command>` for details and an example, like `help claim`."))
    return lines(*rows)


def detail(command: Command) -> Rich:
    rows: list[Rich] = [
        fmt("`{usage}`", usage=command.usage()),
        fmt("{summary} Who: {who}.", summary=command.summary, who=command.who_may()),
    ]
    for arg in command.args:
        label = arg.name if arg.kind is Kind.FLAG or arg.positional else f"{arg.name}:"
        rows.append(fmt("· `{label}` {help}", label=label, help=arg.help))
    rows.append(fmt("Example: `{example}`", example=command.example))
    return lines(*rows)


def markdown(registry: Registry) -> str:
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
            for arg in command.args:
                label = arg.name if arg.kind is Kind.FLAG or arg.positional else f"{arg.name}:"
                required = "required" if arg.required else "optional"
                out.append(f"- `{label}` ({arg.kind.value}, {required}): {arg.help}")
            if command.args:
                out.append("")
            out += [f"Example: `{command.example}`", ""]
    return "\n".join(out).rstrip() + "\n"


async def show_help(ctx: Context, args: Args) -> Reply:
    topic = (args.opt_text("command") or "").strip().lstrip("!/").lower()
    if not topic:
        return Reply(overview(ctx.registry))
    found = ctx.registry.lookup(topic.split())
    if found is None:
        guess = ctx.registry.suggest(topic.split()[0])
        hint = f" Did you mean `help {guess}`?" if guess else " `help` lists them all."
        raise NotFound(fmt("There's no command `{topic}`." + hint, topic=topic[:40]))
    _, forms = found
    return Reply(lines(*(detail(command) for command in forms)))


COMMANDS = (
    Command(
        "help",
        Section.HELP,
        "What I can do, or how to use one command.",
        show_help,
        example="help claim",
        args=(
            Arg(
                "command",
                Kind.TEXT,
                "A command name.",
                positional=True,
                rest=True,
                max_len=60,
                placeholder="command",
            ),
        ),
    ),
)
