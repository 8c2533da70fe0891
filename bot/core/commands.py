"""Commands declared on their handlers, and the one registry they are gathered in.

An area makes a `CommandSet` for its help section and decorates each handler:

    asks = CommandSet[Context](Section.ASKS)

    @asks.command("claim", "Claim a slot on an ask.", example="claim 12", params=(ASK_ID,))
    async def claim(ctx: Context, args: Args) -> Reply: ...

The declaration sits on the handler it describes. Help text, `docs/commands.md`, the `!` parser
and the Discord slash-command tree are all generated from the `Registry`, so they cannot drift
apart. `Command` is generic in the handler's context type so that this module needs nothing from
`core.context` (which needs the registry for `help`).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.messages import Reply
from bot.core.params import Args, Param
from bot.ids import Role

C = TypeVar("C")


class Section(enum.Enum):
    """Help groups, in the order of the spec."""

    VOLUNTEERS = "Volunteers and profiles"
    ASKS = "Asks"
    NETWORK = "Introductions and the network"
    CONTACTS = "Contacts and follow-ups"
    CHECKINS = "Check-ins"
    LEADS = "Leads"
    SIGNATURES = "Signatories and onboarding"
    SHARING = "Announcements and resources"
    EVENTS = "Events and meetings"
    HELP = "Help"


Handler = Callable[[C, Args], Awaitable[Reply | Sequence[Reply]]]


@dataclass(frozen=True)
class Command(Generic[C]):
    """One command (or one form of a command that has several, like `ask <id>` and `ask title:…`).

    `sensitive` marks commands whose replies carry private data: the dispatcher then sends them
    privately whatever the handler says. `who` overrides the help's "who may" wording when an
    area adds an ownership rule on top of `role` ("leads or the poster"). `reads` marks commands
    that only look: the dispatcher runs them on a read-only connection beside the writer, so they
    never wait for a write (a 2,000-message ask post, a sweep) and never hold up one; a write
    from one fails there (`tests/conversations/test_read_only.py` runs every one of them).
    `meant_by` holds words people type for it that are no command (`join`, `sign up` for
    `volunteer`; `stop` for `pause`): they are answered "Did you mean", like a typo, never run.
    `file` says what file it reads when one comes with it (`signatures import`: "The CSV…"): a
    platform whose commands have typed options offers one for it (Discord's slash commands).
    """

    name: str
    section: Section
    summary: str
    handler: Handler[C]
    example: str
    params: tuple[Param[Any], ...] = ()
    role: Role = Role.MEMBER
    sensitive: bool = False
    who: str | None = None
    form: str | None = None
    reads: bool = False
    meant_by: tuple[str, ...] = ()
    file: str | None = None

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.name.split())

    @property
    def key(self) -> str:
        """A unique id for this form: `ask`, `ask.show`, `contact.add`."""
        base = self.name.replace(" ", ".")
        return f"{base}.{self.form}" if self.form else base

    def usage(self) -> str:
        return self._usage

    # Made once per command, not for every line typed (the dispatcher and `bind` ask each time).
    @functools.cached_property
    def _usage(self) -> str:
        return " ".join([self.name, *(param.usage() for param in self.params)])

    @functools.cached_property
    def keyed(self) -> Mapping[str, Param[Any]]:
        """The parameters that may be typed as `key:value` (all but flags), by name."""
        return {param.name: param for param in self.params if not param.type.flag}

    @functools.cached_property
    def named_keys(self) -> Mapping[str, Param[Any]]:
        """The parameters only ever typed with their key, never as a bare value: a word `bind`
        reads as the key said aloud (`at 9am`), or a mistyped one (`regoin:`)."""
        return {name: param for name, param in self.keyed.items() if not param.positional}

    @functools.cached_property
    def zoned(self) -> bool:
        """Whether a parameter is read in the speaker's zone (a date), so it converts once they are known."""
        return any(param.type.zoned for param in self.params)

    @functools.cached_property
    def flags(self) -> frozenset[str]:
        """The names of the parameters typed as a bare word (`all`, `mine`)."""
        return frozenset(param.name for param in self.params if param.type.flag)

    @functools.cached_property
    def rest_text(self) -> Param[Any] | None:
        """The parameter that takes the rest of the line as text, if any."""
        return next((p for p in self.params if p.rest and not p.type.listed), None)

    def who_may(self) -> str:
        if self.who:
            return self.who
        return {Role.MEMBER: "anyone", Role.LEAD: "leads", Role.ADMIN: "admins"}[self.role]

    def param(self, name: str) -> Param[Any] | None:
        for param in self.params:
            if param.name == name:
                return param
        return None


class CommandSet(Generic[C]):
    """An area's commands in one help section, declared with `@set.command(...)` on each handler."""

    def __init__(self, section: Section) -> None:
        self.section = section
        self._commands: list[Command[C]] = []

    def command(
        self,
        name: str,
        summary: str,
        *,
        example: str,
        params: Sequence[Param[Any]] = (),
        role: Role = Role.MEMBER,
        sensitive: bool = False,
        who: str | None = None,
        form: str | None = None,
        reads: bool = False,
        meant_by: Sequence[str] = (),
        file: str | None = None,
    ) -> Callable[[Handler[C]], Handler[C]]:
        """Declare the decorated handler as the command `name`; the handler itself is unchanged."""

        def declare(handler: Handler[C]) -> Handler[C]:
            self._commands.append(
                Command(
                    name,
                    self.section,
                    summary,
                    handler,
                    example,
                    params=tuple(params),
                    role=role,
                    sensitive=sensitive,
                    who=who,
                    form=form,
                    reads=reads,
                    meant_by=tuple(meant_by),
                    file=file,
                )
            )
            return handler

        return declare

    @property
    def commands(self) -> tuple[Command[C], ...]:
        return tuple(self._commands)


def bare(text: str) -> str:
    """Words as a command's name would read: lower case, single spaces, without the mark that
    ends a sentence (`Mine!`, `help?`, `Checkin off.`)."""
    return " ".join(text.lower().split()).rstrip(".!?").rstrip()


class Registry(Generic[C]):
    """All commands, looked up by their words; several forms may share a name."""

    def __init__(self, commands: Iterable[Command[C]]) -> None:
        self._commands = tuple(commands)
        self._by_name: dict[str, list[Command[C]]] = {}
        self._by_key: dict[str, Command[C]] = {}
        self._meant: dict[str, str] = {}  # a word people type for a command → its name
        for command in self._commands:
            if command.key in self._by_key:
                raise ValueError(f"two commands share the key {command.key!r}")
            self._by_key[command.key] = command
            self._by_name.setdefault(command.name, []).append(command)
            for phrase in command.meant_by:
                if self._meant.setdefault(phrase, command.name) != command.name:
                    raise ValueError(f"{phrase!r} is meant for two commands")
        # The first word of every command (`contact` for `contact add`), asked for every private message.
        self._heads = frozenset(name.split()[0] for name in self._by_name)
        taken = {phrase for phrase in self._meant if phrase.split()[0] in self._heads}
        if taken:  # it would be run as that command, never reach "Did you mean"
            raise ValueError(f"words meant for a command begin a command: {sorted(taken)}")

    @property
    def commands(self) -> tuple[Command[C], ...]:
        return self._commands

    def names(self) -> list[str]:
        return list(self._by_name)

    def heads(self) -> frozenset[str]:
        """The first word of every command (`contact` for `contact add`)."""
        return self._heads

    def name_alone(self, text: str) -> str | None:
        """The command whose name `text` is, alone but for a sentence's end mark (`Mine!`)."""
        name = bare(text)
        return name if name in self._by_name else None

    def forms(self, name: str) -> list[Command[C]]:
        return list(self._by_name.get(name, []))

    def by_key(self, key: str) -> Command[C] | None:
        return self._by_key.get(key)

    def lookup(self, words: Sequence[str]) -> tuple[str, list[Command[C]]] | None:
        """The longest command name the words start with, and its forms."""
        lowered = [word.lower() for word in words[:2]]
        for size in (2, 1):
            if len(lowered) >= size:
                name = " ".join(lowered[:size])
                if name in self._by_name:
                    return name, self._by_name[name]
        return None

    def family(self, head: str) -> list[str]:
        """Every command name that starts with the word `head` (`contact`, `contact add`, …)."""
        return [name for name in self._by_name if name.split()[0] == head.lower()]

    def phrase(self, words: Sequence[str]) -> str:
        """What an unknown command's reply names: a two-word phrase meant for a command (`sign
        up`, `delete me`) whole, else the first word."""
        two = " ".join(words[:2])
        return two if " " in two and two.lower() in self._meant else words[0]

    def suggest(self, typed: str) -> str | None:
        """The whole command someone most likely meant: `export me` for `exprot` or `export`,
        `contact add` for `contct add`, `volunteer` for `join` (`meant_by`); None when nothing
        is close."""
        words = typed.lower().split()[:2]
        if not words:
            return None
        for size in (2, 1):
            if len(words) >= size and (meant := self._meant.get(" ".join(words[:size]))) is not None:
                return meant
        if len(words) == 2 and (found := typo_of(" ".join(words), [n for n in self._by_name if " " in n])):
            return found
        head = typo_of(words[0], sorted(self.heads()))
        if head is None:
            return None
        return head if head in self._by_name else self.family(head)[0]

    def sections(self) -> list[tuple[Section, list[Command[C]]]]:
        """Commands grouped for help, in spec order."""
        return [
            (section, [c for c in self._commands if c.section is section])
            for section in Section
            if any(c.section is section for c in self._commands)
        ]


def typo_of(word: str, names: Sequence[str]) -> str | None:
    """The name `word` is a typo of: one slip (a letter wrong, missing, extra, or two swapped)
    away, or two in a word of eight letters or more; none for words under three letters.

    Counted in edits (`OSA`: the Damerau–Levenshtein distance without overlapping edits), not
    difflib's similarity ratio, which called `please` a typo of `release` and `me` one of `met`:
    a person typing plain English was told to release an ask. rapidfuzz is the maintained,
    compiled library for exactly this."""
    if len(word) < 3:
        return None
    found = process.extractOne(word, names, scorer=OSA.distance, score_cutoff=1 if len(word) < 8 else 2)
    return None if found is None else str(found[0])
