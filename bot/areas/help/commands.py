"""`help`: generated from the registry, so it always matches what the bot understands."""

from __future__ import annotations

from bot.areas.help import words
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.errors import NotFound
from bot.core.kinds import Text
from bot.core.messages import Reply
from bot.core.params import Args, Param
from bot.core.text import lines

help_commands = CommandSet[Context](Section.HELP)

TOPIC = Param("command", Text(60), "A command name.", positional=True, rest=True, placeholder="command")


@help_commands.command("help", "What I can do, or how to use one command.", example="help claim", params=(TOPIC,))
async def show_help(ctx: Context, args: Args) -> Reply:
    topic = (args.get(TOPIC) or "").strip().lstrip("!/").lower()
    if not topic:
        return Reply(words.overview(ctx.registry))
    found = ctx.registry.lookup(topic.split())
    if found is None:
        raise NotFound(words.no_such_command(topic, ctx.registry.suggest(topic.split()[0])))
    _, forms = found
    return Reply(lines(*(words.detail(command) for command in forms)))
