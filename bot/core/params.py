"""Typed command parameters: each argument type owns its parsing, usage text, slash option and
completion, in the spirit of discord.py's `app_commands.Transformer`.

A command declares `Param`s (name, help, where it may appear) whose `type` is an `ArgType`. The
binder (`core.parsing`) only asks a type a few questions — is it a bare flag, may an unquoted
value run over several words, does a word continue it — and the type does the rest: `parse`
turns text into a value, `usage` shows the hole in a usage line, `option` describes the Discord
slash option, and `complete` (when an area gives one) suggests values while someone types.
Handlers read values back through `Args`, typed by the parameter: `args[ASK_ID]` is an `int`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, ClassVar, Generic, TypeVar, cast, overload
from zoneinfo import ZoneInfo

from bot.core import words
from bot.core.errors import UsageError
from bot.core.messages import Mentioned
from bot.core.text import Rich
from bot.storage.db import Tx

T = TypeVar("T")


@dataclass(frozen=True)
class MemberRef:
    """Someone named in a command: a platform mention (with its user id) or typed text.

    Resolving it to a person needs the database, so the people area does that (`resolve`).
    """

    text: str
    platform: str | None = None
    user_id: str | None = None


def member_ref(text: str, mentions: Sequence[Mentioned], platform: str) -> MemberRef:
    """A member from a platform mention if the text is one, else from what was typed."""
    for mention in mentions:
        if mention.raw == text:
            return MemberRef(mention.display_name, platform, mention.user_id)
    return MemberRef(text)


class Phrase(str):
    """Text typed in quotes: one value, whatever spaces it holds. `core.parsing` marks it so a
    type that reads several values from words (skills) keeps it whole: `volunteer "graphic
    design" research` is two skills, as `ask skill:"graphic design"` is one."""

    __slots__ = ()


@dataclass(frozen=True)
class Converting:
    """What parsing a value needs: the speaker's zone and platform, now, the mentions in the
    message, and how the command is typed (for errors that show the usage line)."""

    zone: ZoneInfo
    now: datetime
    platform: str
    command: str
    usage: str
    example: str
    mentions: tuple[Mentioned, ...] = ()

    def error(self, reason: str | Rich, **values: str) -> UsageError:
        """A usage error that also shows how the command is typed, with an example: `reason` a
        template for `values`, or what another error said (`core.parsing` adds the usage so)."""
        return UsageError(words.usage(reason, self.usage, self.example, **values))


@dataclass(frozen=True)
class Choice:
    """A suggested value while someone types: what they see, and what it fills in. `user_id`
    marks a person the platform can show as a mention of its own."""

    name: str
    value: str | int
    user_id: str | None = None


@dataclass(frozen=True)
class Asker:
    """Who is typing, for completions that depend on them (their own intros, their contacts)."""

    platform: str
    user_id: str


Completer = Callable[[Tx, str, Asker], Awaitable[list[Choice]]]


@dataclass(frozen=True)
class Option:
    """A parameter as a platform's typed option (a Discord slash-command option), platform-neutral."""

    kind: str  # "string", "integer" or "boolean"
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    autocomplete: bool = False


class ArgType(Generic[T]):
    """How one kind of argument is read, shown and suggested. Subclasses set the class flags and
    override `parse`; `label` names the kind in the command reference (`docs/commands.md`)."""

    label: ClassVar[str] = "text"
    flag: ClassVar[bool] = False
    zoned: ClassVar[bool] = False  # reading it needs the speaker's timezone
    empty_ok: ClassVar[bool] = False  # `key:""` is a value, not a mistake
    multiword: ClassVar[bool] = False  # an unquoted `key:value` may run over several words
    joins_leftovers: ClassVar[bool] = False  # plain words nobody else wants join an unquoted value
    listed: ClassVar[bool] = False  # as the last positional, takes each remaining word separately
    #: A value it cannot read is answered with the command's usage line and example after the
    #: reason (`due:blorp`, `quiet:25:00-08:00`), as a bad `need:` is: its readers (dates, times)
    #: raise plain usage errors, shared with code that is no command.
    shows_usage: ClassVar[bool] = False
    #: As the rest of a line, an unknown `word:` in it is part of what is said (`update 3 Note: …`);
    #: where it is not (a name), it is a parameter the command does not have, and said so.
    keeps_keys: ClassVar[bool] = True

    def __init__(self, *, complete: Completer | None = None) -> None:
        self.complete = complete

    def continues(self, word: str, value: str) -> bool:
        """Whether a plain word right after an unquoted value of this type (`value`, so far) is
        still part of it."""
        return False

    def usage(self, param: Param[T]) -> str:
        """How the parameter appears in a usage line: `<id>`, `[skill:<skill>]`, `title:"…"`."""
        hole = param.placeholder or param.name
        if param.positional:
            return f"<{hole}>" if param.required else f"[{hole}]"
        body = f"{param.name}:<{hole}>"
        return body if param.required else f"[{body}]"

    def option(self, param: Param[T]) -> Option:
        return Option("string", autocomplete=self.complete is not None)

    async def parse(self, text: str, param: Param[T], call: Converting) -> T:
        raise NotImplementedError

    async def parse_words(self, parts: Sequence[str], param: Param[T], call: Converting) -> T:
        """Several positional words at once (for `listed` types)."""
        return await self.parse(" ".join(parts), param, call)


@dataclass(frozen=True)
class Param(Generic[T]):
    """One argument of a command.

    `positional` arguments may be given without their key (`claim 12`), in declaration order;
    `rest` takes every remaining positional word.
    """

    name: str
    type: ArgType[T]
    help: str
    required: bool = False
    positional: bool = False
    rest: bool = False
    placeholder: str | None = None

    def usage(self) -> str:
        return self.type.usage(self)

    def option(self) -> Option:
        return self.type.option(self)


class Args:
    """The arguments of one call, read back by their parameter (so each value has its type)."""

    def __init__(self, values: dict[str, object]) -> None:
        self._values = MappingProxyType(dict(values))

    def __contains__(self, param: Param[Any]) -> bool:
        return param.name in self._values

    def __getitem__(self, param: Param[T]) -> T:
        if param.name not in self._values:
            raise KeyError(param.name)
        return cast(T, self._values[param.name])

    @overload
    def get(self, param: Param[T]) -> T | None: ...

    @overload
    def get(self, param: Param[T], default: T) -> T: ...

    def get(self, param: Param[T], default: T | None = None) -> T | None:
        """The value if it was given, else `default` (a given 0 or empty text is a value)."""
        return cast(T, self._values[param.name]) if param.name in self._values else default

    def flag(self, param: Param[bool]) -> bool:
        return bool(self._values.get(param.name))

    def given(self) -> list[str]:
        """Names of the arguments that were given, in the order of the declaration."""
        return list(self._values)

    def raw(self, name: str) -> object:
        """The value whatever its type, for code that only describes arguments (the audit log)."""
        return self._values.get(name)


def describe(param: Param[Any]) -> str:
    """How a missing parameter is named in an error: `` `title:` `` or `a <placeholder>`."""
    return f"`{param.name}:`" if not param.positional else words.article(param.placeholder or param.name)
