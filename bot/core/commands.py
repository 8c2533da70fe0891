"""The one declarative command registry.

Each command is one frozen declaration: its name, section, summary, arguments (with kinds and
help), the role it needs, whether its replies carry private data, an example, and its handler.
Help text, `docs/commands.md`, the `!` parser and the Discord slash-command tree are all
generated from here, so they cannot drift apart.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.messages import Reply, Role

if TYPE_CHECKING:
    from bot.core.args import Args
    from bot.core.context import Context


class Kind(enum.Enum):
    """What an argument holds; decides how it is parsed and shown."""

    TEXT = "text"
    WORD = "word"
    NUMBER = "number"
    ID = "id"
    MEMBER = "member"
    DATE = "date"
    DURATION = "duration"
    CHOICE = "choice"
    SKILLS = "skills"
    FLAG = "flag"
    TIMEZONE = "timezone"
    TIME = "time"
    TIME_RANGE = "time range"
    LIST = "list"


@dataclass(frozen=True)
class Arg:
    """One argument of a command.

    `positional` arguments may be given without their key (`claim 12`), in declaration order;
    `rest` takes every remaining positional word. A `FLAG` is a bare word (`asks mine`).
    """

    name: str
    kind: Kind
    help: str
    required: bool = False
    positional: bool = False
    rest: bool = False
    choices: tuple[str, ...] = ()
    max_len: int | None = None
    max_items: int | None = None
    placeholder: str | None = None
    complete: str | None = None

    def usage(self) -> str:
        """How this argument appears in a usage line: `<id>`, `[skill:<skill>]`, `title:"…"`."""
        hole = self.placeholder or self.name
        if self.kind is Kind.FLAG:
            return f"[{self.name}]"
        if self.positional:
            if self.rest and self.kind is Kind.SKILLS:
                return f"<{hole}> [{hole}…]" if self.required else f"[{hole}…]"
            if self.kind is Kind.CHOICE:
                body = "|".join(self.choices)
                return body if self.required else f"[{body}]"
            return f"<{hole}>" if self.required else f"[{hole}]"
        if self.kind is Kind.TEXT:
            body = f'{self.name}:"…"'
        elif self.kind is Kind.CHOICE:
            body = f"{self.name}:{'|'.join(self.choices)}"
        else:
            body = f"{self.name}:<{hole}>"
        return body if self.required else f"[{body}]"


class Section(enum.Enum):
    """Help groups, in the order of the spec."""

    VOLUNTEERS = "Volunteers and profiles"
    ASKS = "Asks"
    NETWORK = "Introductions and the network"
    CONTACTS = "Contacts and follow-ups"
    CHECKINS = "Check-ins"
    LEADS = "Leads"
    HELP = "Help"


Handler = Callable[["Context", "Args"], Awaitable[Reply | Sequence[Reply]]]


@dataclass(frozen=True)
class Command:
    """One command (or one form of a command that has several, like `ask <id>` and `ask title:…`).

    `sensitive` marks commands whose replies carry private data: the dispatcher then sends them
    privately whatever the handler says. `who` overrides the help's "who may" wording when a
    feature adds an ownership rule on top of `role` ("lead or the poster").
    """

    name: str
    section: Section
    summary: str
    handler: Handler
    example: str
    args: tuple[Arg, ...] = ()
    role: Role = Role.MEMBER
    sensitive: bool = False
    who: str | None = None
    form: str | None = None

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.name.split())

    @property
    def key(self) -> str:
        """A unique id for this form: `ask`, `ask.show`, `contact.add`."""
        base = self.name.replace(" ", ".")
        return f"{base}.{self.form}" if self.form else base

    def usage(self) -> str:
        return " ".join([self.name, *(arg.usage() for arg in self.args)])

    def who_may(self) -> str:
        if self.who:
            return self.who
        return {Role.MEMBER: "anyone", Role.LEAD: "leads", Role.ADMIN: "admins"}[self.role]

    def arg(self, name: str) -> Arg | None:
        for arg in self.args:
            if arg.name == name:
                return arg
        return None


class Registry:
    """All commands, looked up by their words; several forms may share a name."""

    def __init__(self, commands: Iterable[Command]) -> None:
        self._commands = tuple(commands)
        self._by_name: dict[str, list[Command]] = {}
        seen: set[str] = set()
        for command in self._commands:
            if command.key in seen:
                raise ValueError(f"two commands share the key {command.key!r}")
            seen.add(command.key)
            self._by_name.setdefault(command.name, []).append(command)

    @property
    def commands(self) -> tuple[Command, ...]:
        return self._commands

    def names(self) -> list[str]:
        return list(self._by_name)

    def forms(self, name: str) -> list[Command]:
        return list(self._by_name.get(name, []))

    def by_key(self, key: str) -> Command | None:
        for command in self._commands:
            if command.key == key:
                return command
        return None

    def lookup(self, words: Sequence[str]) -> tuple[str, list[Command]] | None:
        """The longest command name the words start with, and its forms."""
        lowered = [word.lower() for word in words[:2]]
        for size in (2, 1):
            if len(lowered) >= size:
                name = " ".join(lowered[:size])
                if name in self._by_name:
                    return name, self._by_name[name]
        return None

    def suggest(self, word: str) -> str | None:
        """The command a typo most likely meant."""
        heads = sorted({name.split()[0] for name in self._by_name})
        found = difflib.get_close_matches(word.lower(), heads, n=1, cutoff=0.6)
        return found[0] if found else None

    def sections(self) -> list[tuple[Section, list[Command]]]:
        """Commands grouped for help, in spec order."""
        return [
            (section, [c for c in self._commands if c.section is section])
            for section in Section
            if any(c.section is section for c in self._commands)
        ]
