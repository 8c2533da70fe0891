"""A command line read as a call: which command it names, which of its forms fits, and the
arguments as values, or the reason it is none (a word that is no command, a typo, no form that fits).

A step of its own between `core.parsing`, which reads one command's arguments, and `core.dispatch`,
which decides whether a message is for the bot and runs what it calls: here the registry answers
which command a line names (a `help: claim` colon, a slash command's options, a choice between
forms). Plain functions, called by the dispatcher once per command, as its own methods were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Config
from bot.core import words
from bot.core.commands import Command, Registry
from bot.core.context import Context
from bot.core.errors import UsageError, UserError
from bot.core.messages import Incoming
from bot.core.params import Args, Converting
from bot.core.parsing import Bound, Token, bind, command_words, convert, tokenize
from bot.core.text import lines
from bot.core.timing import person_zone
from bot.storage.persons import Person


@dataclass(frozen=True)
class Parsed:
    """A message understood as a call of one command, or the reason it could not be."""

    command: Command[Context] | None
    args: Args | None
    error: UserError | None
    # A command with dates, bound but not converted yet: what "friday" means depends on the
    # speaker's zone, read with them where the command runs (`Dispatcher._invoke`), not in a trip before.
    bound: Bound | None = None


async def parse(incoming: Incoming, line: str, registry: Registry[Context], config: Config, clock: Clock) -> Parsed:
    if len(incoming.text) > config.limits.message_chars:
        error = UsageError(words.message_too_long(len(incoming.text), config.limits.message_chars))
        return Parsed(None, None, error)
    if incoming.invocation is not None:
        return await _parse_invocation(incoming, registry, config, clock)
    tokens = tokenize(line)
    key = tokens[0].key if tokens else None
    if key is not None and key in registry.heads():  # `help: claim`, `claim: 12`
        colon = tokens[0].start + len(key)
        line = f"{line[:colon]} {line[colon + 1 :]}"
        tokens = tokenize(line)
    heads = command_words(tokens)
    if not heads:
        if key is not None:  # `!alice: done three`: `alice` is no command
            return Parsed(None, None, _unknown(registry, [key]))
        return Parsed(None, None, UsageError(words.which_command()))
    found = registry.lookup(heads)
    if found is None:
        return Parsed(None, None, _unknown(registry, heads))
    name, forms = found
    rest = tokens[len(name.split()) :]
    parsed = await _bind_forms(incoming, forms, rest, line, config, clock)
    if parsed.error is not None and (slip := _slipped(registry, name, rest)) is not None:
        return Parsed(None, None, slip)
    return parsed


def _slipped(registry: Registry[Context], name: str, rest: Sequence[Token]) -> UsageError | None:
    """A line no form of `name` takes whose next word is a slip of a longer command's (`contact ad
    name:x` for `contact add`): "Did you mean", not `contact`'s complaint about `name:`."""
    if not rest or rest[0].key is not None or rest[0].quoted:
        return None
    typed = f"{name} {rest[0].text}"
    meant = registry.suggest(typed)
    if meant is None or meant == name or not meant.startswith(f"{name} "):
        return None
    return UsageError(words.unknown_command(typed, meant))


def _unknown(registry: Registry[Context], heads: Sequence[str]) -> UsageError:
    """A word that is no command, or the first word of longer ones (`export` for `export me`)."""
    family = registry.family(heads[0])
    if family:
        return UsageError(words.finish_command(heads[0], family))
    return UsageError(words.unknown_command(registry.phrase(heads), registry.suggest(" ".join(heads))))


async def _bind_forms(
    incoming: Incoming,
    forms: Sequence[Command[Context]],
    rest: Sequence[Token],
    line: str,
    config: Config,
    clock: Clock,
) -> Parsed:
    errors: list[tuple[int, Command[Context], UserError]] = []
    for command in forms:
        try:
            bound = bind(command, rest, line)
        except UserError as error:
            declared = {param.name for param in command.params}
            errors.append((sum(1 for t in rest if t.key in declared), command, error))
            continue
        if command.zoned:
            return Parsed(command, None, None, bound)
        parsed = await converted(incoming, command, bound, None, config, clock)
        if parsed.error is None or len(forms) == 1:
            return parsed
        others = words.or_else([other.usage() for other in forms if other is not command])  # `ask "Flyer"`
        return Parsed(command, None, UsageError(lines(parsed.error.message, others)))
    best_score, best, best_error = max(errors, key=lambda item: item[0])
    if len(forms) == 1 or best_score > 0:
        return Parsed(best, None, best_error)
    usages = "\n".join(f"`{c.usage()}`" for c in forms)
    examples = " or ".join(f"`{c.example}`" for c in forms)
    return Parsed(None, None, UsageError(words.no_matching_form(forms[0].name, usages, examples)))


async def _parse_invocation(incoming: Incoming, registry: Registry[Context], config: Config, clock: Clock) -> Parsed:
    assert incoming.invocation is not None
    command = registry.by_key(incoming.invocation.name)
    if command is None:
        return Parsed(None, None, _unknown(registry, [incoming.invocation.name]))
    # An option's text is read as words typed without quotes (`skill: research writing` is two
    # skills, as `volunteer research writing` is); the flags come first, so no word follows a value.
    flags = {param.name for param in command.params if param.type.flag}
    options = incoming.invocation.options
    tokens = [Token(key, 0, 0) for key, value in options if key in flags and value.lower() in {"true", "yes", "1", key}]
    tokens += [Token(value, 0, 0, key=key) for key, value in options if key not in flags]
    return await _bind_forms(incoming, [command], tokens, "", config, clock)


async def converted(
    incoming: Incoming, command: Command[Context], bound: Bound, person: Person | None, config: Config, clock: Clock
) -> Parsed:
    """The bound arguments as values, dates in `person`'s zone (the default without one)."""
    zone, now, usage = person_zone(person, config), clock.now(), command.usage()
    call = Converting(zone, now, incoming.platform, command.name, usage, command.example, incoming.mentions)
    try:
        return Parsed(command, await convert(bound, call), None)
    except UserError as error:
        return Parsed(command, None, error)
