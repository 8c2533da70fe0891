"""Text → command and arguments.

Three steps, each with friendly errors: `tokenize` splits a line (quotes keep spaces, `key:value`
pairs, smart quotes from phones), `bind` matches tokens to one command's declared arguments, and
`convert` turns the bound strings into typed values (dates in the speaker's zone, members,
durations). Slash commands arrive already split and skip the first step.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.args import Args, MemberRef, Value
from bot.core.commands import Arg, Command, Kind
from bot.core.errors import TooLong, UsageError
from bot.core.messages import Mentioned
from bot.core.text import fmt
from bot.core.values import normalise_skill, parse_clock, parse_duration, parse_quiet, parse_when
from bot.zones import find_zone, suggest_zones

_QUOTES = {'"': '"', "“": "”", "„": "“", "”": "”", "'": "'", "‘": "’"}
_KEY = re.compile(r"([A-Za-z_]+):")
_ID = re.compile(r"^#?[a-z]?(\d{1,9})$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Token:
    """One word or quoted phrase, optionally with its `key:`; `start`/`end` locate it in the line."""

    text: str
    start: int
    end: int
    key: str | None = None
    quoted: bool = False


def tokenize(line: str) -> list[Token]:
    """Split a line into tokens. Never fails: an unclosed quote runs to the end of the line."""
    tokens: list[Token] = []
    pos, size = 0, len(line)
    while pos < size:
        if line[pos].isspace():
            pos += 1
            continue
        start = pos
        key = None
        match = _KEY.match(line, pos)
        if match:
            key = match.group(1).lower()
            pos = match.end()
            lookahead = pos
            while lookahead < size and line[lookahead] in " \t":
                lookahead += 1
            if lookahead > pos and lookahead < size and not line[lookahead].isspace():
                # `key: value` as phones type it: the value is the next word or quoted phrase.
                pos = lookahead
        value, pos, quoted = _value(line, pos)
        tokens.append(Token(value, start, pos, key, quoted))
    return tokens


def _value(line: str, pos: int) -> tuple[str, int, bool]:
    size = len(line)
    if pos < size and line[pos] in _QUOTES:
        opener = line[pos]
        closers = {_QUOTES[opener], opener, '"'} if opener not in "'‘" else {_QUOTES[opener], "'"}
        for end in range(pos + 1, size):
            if line[end] in closers and (opener not in "'‘" or end + 1 == size or line[end + 1].isspace()):
                return line[pos + 1 : end], end + 1, True
        if opener not in "'‘":
            return line[pos + 1 :], size, True
    end = pos
    while end < size and not line[end].isspace():
        end += 1
    return line[pos:end], end, False


@dataclass
class Bound:
    """Arguments matched to a command, still as text."""

    command: Command
    values: dict[str, str | list[str] | bool | MemberRef] = field(default_factory=dict)


def usage_error(command: Command, reason: str, **values: str) -> UsageError:
    """A usage error that also shows how the command is typed, with an example."""
    return UsageError(
        fmt(
            reason + "\nUsage: `{usage}`\nExample: `{example}`",
            usage=command.usage(),
            example=command.example,
            **values,
        )
    )


def bind(
    command: Command,
    tokens: Sequence[Token],
    line: str,
    mentions: Sequence[Mentioned],
    platform: str,
) -> Bound:
    """Match the tokens after the command's name to its arguments.

    People type multi-word values without quotes (`due:next friday`, `region:Upper Midwest`), so
    plain words after a date take part in the date while they look like one, and words after a
    text value that no positional argument wants join that text.
    """
    bound = Bound(command)
    by_key = {arg.name: arg for arg in command.args if arg.kind is not Kind.FLAG}
    rest_text = next((a for a in command.args if a.rest and a.kind is Kind.TEXT), None)
    positional: list[Token] = []
    follows: dict[int, Token] = {}  # positional token index → the unquoted text keyword it follows
    open_key: Token | None = None
    for token in tokens:
        if token.key is not None and token.key in by_key:
            if token.key in bound.values:
                raise usage_error(command, "You gave `{key}` twice.", key=token.key)
            bound.values[token.key] = token.text
            kind = by_key[token.key].kind
            open_key = token if not token.quoted and kind in _MULTIWORD else None
        elif token.key is not None and rest_text is None:
            raise _unknown_key(command, token.key)
        elif (
            open_key is not None
            and not token.quoted
            and token.key is None
            and _continues(by_key[open_key.key or ""], token)
        ):
            bound.values[open_key.key or ""] = _joined(line, open_key, token)
            open_key = Token(open_key.text, open_key.start, token.end, open_key.key)
        else:
            if open_key is not None and by_key[open_key.key or ""].kind is Kind.TEXT and not token.quoted:
                follows[len(positional)] = open_key
            else:
                open_key = None
            positional.append(token)
    flags = {arg.name for arg in command.args if arg.kind is Kind.FLAG}
    remaining: list[tuple[int, Token]] = []
    for index, token in enumerate(positional):
        word = token.text.lower()
        if not token.quoted and token.key is None and word in flags and word not in bound.values:
            bound.values[word] = True
        else:
            remaining.append((index, token))
    slots = [a for a in command.args if a.positional and a.name not in bound.values]
    while remaining and slots:
        arg = slots.pop(0)
        if arg.rest:
            if arg.kind is Kind.TEXT:
                bound.values[arg.name] = _raw_text([t for _, t in remaining], line)
            else:
                bound.values[arg.name] = [t.text for _, t in remaining]
            remaining = []
        else:
            _, token = remaining.pop(0)
            bound.values[arg.name] = _member_or_text(arg, token, mentions, platform)
    leftover = []
    for index, token in remaining:
        key_token = follows.get(index)
        if key_token is not None and key_token.key is not None:
            bound.values[key_token.key] = _joined(line, key_token, token)
            follows[index + 1] = Token(key_token.text, key_token.start, token.end, key_token.key)
        else:
            leftover.append(token)
    if leftover:
        extra = " ".join(t.text for t in leftover)
        raise usage_error(command, "I didn't expect {extra} there.", extra=extra[:80])
    missing = [a for a in command.args if a.required and a.name not in bound.values]
    if missing:
        raise usage_error(
            command,
            "`{name}` needs {what}.",
            name=command.name,
            what=" and ".join(_describe(a) for a in missing),
        )
    return bound


_MULTIWORD = (Kind.DATE, Kind.DURATION, Kind.TEXT)
_DATE_WORD = re.compile(
    r"^(\d+(st|nd|rd|th|am|pm|[smhdw])?|\d{1,2}:\d{2}(am|pm)?|\d{4}-\d{2}-\d{2}|am|pm|at|next"
    r"|days?|weeks?|months?|hours?|minutes?|mins?|hrs?|tomorrow|today|tonight|morning|afternoon"
    r"|evening|noon|midnight|(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?"
    r"|jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?"
    r"|nov(ember)?|dec(ember)?)[.,]?$"
)


def _continues(arg: Arg, token: Token) -> bool:
    """Whether a plain word right after an unquoted date or duration is still part of it."""
    return arg.kind in (Kind.DATE, Kind.DURATION) and bool(_DATE_WORD.match(token.text.lower()))


def _joined(line: str, key_token: Token, token: Token) -> str:
    """A keyword's value extended to the end of a later word, as typed."""
    start = key_token.start + len(key_token.key or "") + 1
    return _SPACE.sub(" ", line[start : token.end]).strip().strip('"“”')


def _describe(arg: Arg) -> str:
    return f"`{arg.name}:`" if not arg.positional else f"a {arg.placeholder or arg.name}"


def _unknown_key(command: Command, key: str) -> UsageError:
    names = [a.name for a in command.args if a.kind is not Kind.FLAG]
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return usage_error(
            command,
            "`{name}` has no `{key}:`. Did you mean `{close}:`?",
            name=command.name,
            key=key,
            close=close[0],
        )
    known = ", ".join(f"{n}:" for n in names) or "none"
    return usage_error(
        command,
        "`{name}` has no `{key}:` (it takes {known}).",
        name=command.name,
        key=key,
        known=known,
    )


def _raw_text(tokens: Sequence[Token], line: str) -> str:
    """The words as typed (quotes and spacing kept), unless it is one quoted phrase."""
    if len(tokens) == 1 and tokens[0].quoted and tokens[0].key is None:
        return tokens[0].text
    pieces = [line[t.start : t.end] for t in tokens]
    return _SPACE.sub(" ", " ".join(pieces)).strip()


def _member_or_text(arg: Arg, token: Token, mentions: Sequence[Mentioned], platform: str) -> str | MemberRef:
    if arg.kind is not Kind.MEMBER:
        return token.text
    return member_ref(token.text, mentions, platform)


def member_ref(text: str, mentions: Sequence[Mentioned], platform: str) -> MemberRef:
    """A member from a platform mention if the text is one, else from what was typed."""
    for mention in mentions:
        if mention.raw == text:
            return MemberRef(mention.display_name, platform, mention.user_id)
    return MemberRef(text)


@dataclass(frozen=True)
class Converting:
    """What conversion needs to know: the speaker's zone and platform, and now."""

    zone: ZoneInfo
    now: datetime
    platform: str
    mentions: tuple[Mentioned, ...] = ()


async def convert(bound: Bound, ctx: Converting) -> Args:
    """Typed values for each bound argument, or a usage error naming the bad one."""
    values: dict[str, Value] = {}
    for arg in bound.command.args:
        if arg.name not in bound.values:
            continue
        raw = bound.values[arg.name]
        values[arg.name] = await _convert_one(bound.command, arg, raw, ctx)
    return Args(values)


async def _convert_one(command: Command, arg: Arg, raw: str | list[str] | bool | MemberRef, ctx: Converting) -> Value:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, MemberRef):
        return raw
    if isinstance(raw, list):
        return _items(command, arg, raw)
    text = raw.strip()
    if not text and arg.kind is not Kind.TEXT:
        raise usage_error(command, "`{name}:` is empty.", name=arg.name)
    kind = arg.kind
    if kind is Kind.TEXT:
        return _text(arg, text)
    if kind is Kind.WORD:
        return _text(arg, text).lower()
    if kind in (Kind.NUMBER, Kind.ID):
        return _number(command, arg, text)
    if kind is Kind.MEMBER:
        return member_ref(text, ctx.mentions, ctx.platform)
    if kind is Kind.DATE:
        return parse_when(text, ctx.zone, ctx.now)
    if kind is Kind.DURATION:
        return parse_duration(text)
    if kind is Kind.CHOICE:
        return _choice(command, arg, text)
    if kind is Kind.TIME:
        return parse_clock(text)
    if kind is Kind.TIME_RANGE:
        return parse_quiet(text)
    if kind is Kind.TIMEZONE:
        return await _zone(text)
    if kind in (Kind.SKILLS, Kind.LIST):
        return _items(command, arg, [text])
    raise UsageError(fmt("I can't read `{name}:`.", name=arg.name))


def _text(arg: Arg, text: str) -> str:
    if arg.max_len is not None and len(text) > arg.max_len:
        raise TooLong(
            fmt(
                "`{name}` can be at most {limit} characters (yours has {size}). Shorten it and try again.",
                name=arg.name,
                limit=str(arg.max_len),
                size=str(len(text)),
            )
        )
    return text


def _number(command: Command, arg: Arg, text: str) -> int:
    match = _ID.match(text) if arg.kind is Kind.ID else re.match(r"^\d{1,6}$", text)
    if not match:
        what = "an id" if arg.kind is Kind.ID else "a whole number"
        raise usage_error(
            command,
            "`{name}` should be {what}, not {text}.",
            name=arg.name,
            what=what,
            text=text[:40],
        )
    return int(match.group(1) if arg.kind is Kind.ID else match.group(0))


def _choice(command: Command, arg: Arg, text: str) -> str:
    lowered = text.lower()
    if lowered in arg.choices:
        return lowered
    close = difflib.get_close_matches(lowered, arg.choices, n=1, cutoff=0.6)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    raise usage_error(
        command,
        "`{name}` is one of {choices}, not {text}." + hint,
        name=arg.name,
        choices=", ".join(arg.choices),
        text=text[:40],
    )


def _items(command: Command, arg: Arg, parts: list[str]) -> tuple[str, ...]:
    items: list[str] = []
    for part in parts:
        pieces = part.replace(",", " ").split() if arg.kind is Kind.SKILLS else part.split(",")
        for piece in pieces:
            cleaned = normalise_skill(piece) if arg.kind is Kind.SKILLS else " ".join(piece.split())
            if cleaned and cleaned not in items:
                items.append(cleaned)
    if arg.max_len is not None:
        for item in items:
            if len(item) > arg.max_len:
                raise TooLong(
                    fmt(
                        "Each {name} can be at most {limit} characters. Shorten it and try again.",
                        name=arg.placeholder or arg.name,
                        limit=str(arg.max_len),
                    )
                )
    if arg.max_items is not None and len(items) > arg.max_items:
        raise TooLong(
            fmt(
                "That is {count} {name}s; the limit is {limit}.",
                count=str(len(items)),
                name=arg.placeholder or arg.name,
                limit=str(arg.max_items),
            )
        )
    if not items and arg.required:
        raise usage_error(
            command,
            "`{name}` needs at least one {what}.",
            name=command.name,
            what=arg.placeholder or arg.name,
        )
    return tuple(items)


async def _zone(text: str) -> Value:
    found = await find_zone(text)
    if found is not None:
        return found
    close = suggest_zones(text)
    hint = " Did you mean " + " or ".join(f"`{z}`" for z in close) + "?" if close else ""
    raise UsageError(
        fmt(
            "I don't know the timezone {text}." + hint + " Use a name like `America/Chicago`, or your city.",
            text=text[:60],
        )
    )
