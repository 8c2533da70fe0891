"""`help`: generated from the registry, so it always matches what the bot understands."""

from __future__ import annotations

from bot.areas.help import words
from bot.core.commands import Command, CommandSet, Registry, Section
from bot.core.context import Context
from bot.core.errors import NotFound
from bot.core.kinds import Text
from bot.core.messages import Reply
from bot.core.params import Args, Param
from bot.core.text import lines

help_commands = CommandSet[Context](Section.HELP)

# A command as typed, arguments and all, may be asked about: only its first words are read.
TOPIC = Param("command", Text(2000), "A command name.", positional=True, rest=True, placeholder="command")


@help_commands.command(
    "help",
    "What I can do, or how to use one command.",
    example="help claim",
    params=(TOPIC,),
    reads=True,
    meant_by=("commands", "menu", "start"),
)
async def show_help(ctx: Context, args: Args) -> Reply:
    topic = (args.get(TOPIC) or "").strip().strip("`").lstrip("!/").lower()
    if not topic:
        return Reply(words.overview(ctx.registry))
    found = ctx.registry.lookup(topic.split())
    family = ctx.registry.family(topic.split()[0])
    if found is None and not family:
        if (section := _section(ctx.registry, topic)) is not None:  # `help leads`: what leads can do
            return Reply(words.section(*section))
        guess = ctx.registry.suggest(topic)
        if guess is None:  # `help me`, `help please`: they want help, not only a lesson in command names
            return Reply(lines(words.no_such_command(topic, None), words.overview(ctx.registry)))
        raise NotFound(words.no_such_command(topic, guess))
    if found is None:  # `help forget`: the first word of longer commands (`forget me`)
        forms = [form for name in family for form in ctx.registry.forms(name)]
        return Reply(lines(*(words.detail(command) for command in forms)))
    name, forms = found
    guess = ctx.registry.suggest(topic) if " " in topic and " " not in name else None
    if guess is not None and " " in guess:  # `help contact addd`: not `contact <id>`, but `contact add`
        raise NotFound(words.no_such_command(topic, guess))
    others = [other for other in family if other != name] if " " not in name else []
    return Reply(lines(*(words.detail(command) for command in forms), words.see_also(others)))


def _section(registry: Registry[Context], topic: str) -> tuple[Section, list[Command[Context]]] | None:
    """The help section a topic names by a word of its title: `leads`, `profiles`, `checkins`."""
    wanted = topic.split()[0].replace("-", "")
    for section, commands in registry.sections():
        if wanted in set(section.value.lower().replace("-", "").split()) - {"and", "the"}:
            return section, commands
    return None
