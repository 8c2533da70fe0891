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

import difflib
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from types import MappingProxyType
from typing import Any, ClassVar, Generic, TypeVar, cast
from zoneinfo import ZoneInfo

from bot.core import words
from bot.core.errors import TooLong, UsageError
from bot.core.messages import Mentioned
from bot.core.values import When, normalise_skill, parse_clock, parse_duration, parse_quiet, parse_when
from bot.storage.db import Tx
from bot.zones import Quiet, ZoneMatch, find_zone, suggest_zones

T = TypeVar("T")

_ID = re.compile(r"^#?[a-z]?(\d{1,9})$", re.IGNORECASE)
_NUMBER = re.compile(r"^\d{1,6}$")


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

    def error(self, reason: str, **values: str) -> UsageError:
        """A usage error that also shows how the command is typed, with an example."""
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

    def __init__(self, *, complete: Completer | None = None) -> None:
        self.complete = complete

    def continues(self, word: str) -> bool:
        """Whether a plain word right after an unquoted value of this type is still part of it."""
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


class Text(ArgType[str]):
    """Free text, as typed; `max_len` is the documented limit."""

    label = "text"
    multiword = True
    joins_leftovers = True
    empty_ok = True

    def __init__(self, max_len: int | None = None, *, lower: bool = False, complete: Completer | None = None) -> None:
        super().__init__(complete=complete)
        self.max_len = max_len
        self.lower = lower

    def usage(self, param: Param[str]) -> str:
        if param.positional:
            return ArgType.usage(self, param)
        body = f'{param.name}:"…"'
        return body if param.required else f"[{body}]"

    def option(self, param: Param[str]) -> Option:
        return Option("string", max_length=self.max_len, autocomplete=self.complete is not None)

    async def parse(self, text: str, param: Param[str], call: Converting) -> str:
        if self.max_len is not None and len(text) > self.max_len:
            raise TooLong(words.too_long(param.name, self.max_len, len(text)))
        return text.lower() if self.lower else text


class Word(Text):
    """One word, lower-cased (`snooze f7 3d`)."""

    label = "word"
    multiword = False
    joins_leftovers = False
    empty_ok = False

    def __init__(self, max_len: int | None = None) -> None:
        super().__init__(max_len, lower=True)

    def usage(self, param: Param[str]) -> str:
        return ArgType.usage(self, param)


class Number(ArgType[int]):
    """A whole number from 0 to 999,999."""

    label = "number"

    def option(self, param: Param[int]) -> Option:
        return Option("integer", min_value=0, max_value=999_999, autocomplete=self.complete is not None)

    async def parse(self, text: str, param: Param[int], call: Converting) -> int:
        if not _NUMBER.match(text):
            raise call.error(words.NOT_A_NUMBER, name=param.name, what="a whole number", text=text[:40])
        return int(text)


class Id(ArgType[int]):
    """Something's number: `12`, `#12`, or with its kind's letter (`f7`)."""

    label = "id"

    def option(self, param: Param[int]) -> Option:
        return Option("integer", min_value=1, max_value=999_999_999, autocomplete=self.complete is not None)

    async def parse(self, text: str, param: Param[int], call: Converting) -> int:
        match = _ID.match(text)
        if not match:
            raise call.error(words.NOT_A_NUMBER, name=param.name, what="an id", text=text[:40])
        return int(match.group(1))


class Choices(ArgType[str]):
    """One of a fixed set of words, case-blind, with a suggestion for a typo."""

    label = "choice"

    def __init__(self, choices: Sequence[str]) -> None:
        super().__init__()
        self.choices = tuple(choices)

    def usage(self, param: Param[str]) -> str:
        body = "|".join(self.choices) if param.positional else f"{param.name}:{'|'.join(self.choices)}"
        return body if param.required else f"[{body}]"

    def option(self, param: Param[str]) -> Option:
        return Option("string", choices=self.choices)

    async def parse(self, text: str, param: Param[str], call: Converting) -> str:
        lowered = text.lower()
        if lowered in self.choices:
            return lowered
        close = difflib.get_close_matches(lowered, self.choices, n=1, cutoff=0.6)
        hint = f" Did you mean `{close[0]}`?" if close else ""
        raise call.error(words.NOT_A_CHOICE + hint, name=param.name, choices=", ".join(self.choices), text=text[:40])


class Flag(ArgType[bool]):
    """A bare word that switches something on (`asks mine`, `forget me confirm`)."""

    label = "flag"
    flag = True

    def usage(self, param: Param[bool]) -> str:
        return f"[{param.name}]"

    def option(self, param: Param[bool]) -> Option:
        return Option("boolean")

    async def parse(self, text: str, param: Param[bool], call: Converting) -> bool:
        return True


class Member(ArgType[MemberRef]):
    """A member: a platform mention, a Matrix id, a name, or `me` where the command allows."""

    label = "member"

    async def parse(self, text: str, param: Param[MemberRef], call: Converting) -> MemberRef:
        return member_ref(text, call.mentions, call.platform)


_DATE_WORD = re.compile(
    r"^(\d+(st|nd|rd|th|am|pm|[smhdw])?|\d{1,2}:\d{2}(am|pm)?|\d{4}-\d{2}-\d{2}|am|pm|at|next"
    r"|days?|weeks?|months?|hours?|minutes?|mins?|hrs?|tomorrow|today|tonight|morning|afternoon"
    r"|evening|noon|midnight|(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?"
    r"|jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?"
    r"|nov(ember)?|dec(ember)?)[.,]?$"
)


class Date(ArgType[When]):
    """A date (maybe with a time) in natural language, read in the speaker's zone."""

    label = "date"
    multiword = True
    zoned = True

    def continues(self, word: str) -> bool:
        return bool(_DATE_WORD.match(word.lower()))

    async def parse(self, text: str, param: Param[When], call: Converting) -> When:
        return parse_when(text, call.zone, call.now)


class Duration(ArgType[timedelta]):
    """A length of time: `3d`, `2w`, `1h30m`, `2 weeks`."""

    label = "duration"
    multiword = True

    def continues(self, word: str) -> bool:
        return bool(_DATE_WORD.match(word.lower()))

    async def parse(self, text: str, param: Param[timedelta], call: Converting) -> timedelta:
        return parse_duration(text)


class ClockTime(ArgType[time]):
    """A time of day: `10:00`, `9am`."""

    label = "time"

    async def parse(self, text: str, param: Param[time], call: Converting) -> time:
        return parse_clock(text)


class QuietHours(ArgType[Quiet]):
    """A daily window in local time: `21:00-08:00`."""

    label = "time range"

    async def parse(self, text: str, param: Param[Quiet], call: Converting) -> Quiet:
        return parse_quiet(text)


class Zone(ArgType[ZoneMatch]):
    """A timezone: an IANA name, an abbreviation or a city."""

    label = "timezone"

    async def parse(self, text: str, param: Param[ZoneMatch], call: Converting) -> ZoneMatch:
        found = await find_zone(text)
        if found is not None:
            return found
        raise UsageError(words.unknown_zone(text, suggest_zones(text)))


class Items(ArgType[tuple[str, ...]]):
    """A comma-separated list (`interests:a,b`), each item trimmed; duplicates dropped."""

    label = "list"

    def __init__(
        self, *, max_len: int | None = None, max_items: int | None = None, complete: Completer | None = None
    ) -> None:
        super().__init__(complete=complete)
        self.max_len = max_len
        self.max_items = max_items

    def split(self, part: str) -> list[str]:
        return [" ".join(piece.split()) for piece in part.split(",")]

    def option(self, param: Param[tuple[str, ...]]) -> Option:
        length = None if self.max_len is None else (self.max_len + 1) * (self.max_items or 1) - 1
        return Option("string", max_length=length, autocomplete=self.complete is not None)

    async def parse(self, text: str, param: Param[tuple[str, ...]], call: Converting) -> tuple[str, ...]:
        return await self.parse_words([text], param, call)

    async def parse_words(
        self, parts: Sequence[str], param: Param[tuple[str, ...]], call: Converting
    ) -> tuple[str, ...]:
        items: list[str] = []
        for part in parts:
            for cleaned in self.split(part):
                if cleaned and cleaned not in items:
                    items.append(cleaned)
        name = param.placeholder or param.name
        if self.max_len is not None and any(len(item) > self.max_len for item in items):
            raise TooLong(words.item_too_long(name, self.max_len))
        if self.max_items is not None and len(items) > self.max_items:
            raise TooLong(words.too_many(len(items), name, self.max_items))
        if not items and param.required:
            raise call.error(words.NEEDS_ONE, name=call.command, what=name)
        return tuple(items)


class Skills(Items):
    """Skills, separated by spaces or commas, normalised (`Social Media` → `social-media`)."""

    label = "skills"
    listed = True

    def split(self, part: str) -> list[str]:
        return [normalise_skill(piece) for piece in part.replace(",", " ").split()]

    def usage(self, param: Param[tuple[str, ...]]) -> str:
        hole = param.placeholder or param.name
        if param.positional and param.rest:
            return f"<{hole}> [{hole}…]" if param.required else f"[{hole}…]"
        return ArgType.usage(self, param)


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

    def get(self, param: Param[T]) -> T | None:
        return cast(T | None, self._values.get(param.name))

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
    return f"`{param.name}:`" if not param.positional else f"a {param.placeholder or param.name}"
