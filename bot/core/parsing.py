"""Text → command and arguments.

Three steps, each with friendly errors: `tokenize` splits a line (quotes keep spaces, `key:value`
pairs, smart quotes from phones), `bind` matches tokens to one command's declared parameters,
and `convert` asks each parameter's type to turn its text into a typed value (dates in the
speaker's zone, members, durations). Slash commands arrive already split and skip the first step.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from bot.core import words
from bot.core.commands import Command, typo_of
from bot.core.errors import TooLong, UsageError
from bot.core.params import Args, Converting, Param, Phrase, describe

_QUOTES = {'"': '"', "“": "”", "„": "“", "”": "”", "'": "'", "‘": "’"}
_KEY = re.compile(r"([A-Za-z_]+):(?!//)")  # `https://…` is a link, never a `https:` key
_SPACE = re.compile(r"\s+")  # `\s` is exactly `str.isspace()`
_WORD = re.compile(r"\S+")
#: A whole token of a line without quotes: `key:` (its value may follow spaces or tabs, as phones
#: type it), the word, and the spaces after it. Must split exactly as the loop in `tokenize`.
_PLAIN_TOKEN = re.compile(r"(?=\S)(?:([A-Za-z_]+):(?!//)(?:[ \t]+(?=\S))?)?(\S*)\s*")
_ANY_QUOTE = re.compile("[" + "".join(_QUOTES) + "]")


class Token(NamedTuple):
    """One word or quoted phrase, optionally with its `key:`; `start`/`end` locate it in the line.
    (A named tuple: every line typed makes a few, and a frozen dataclass took twice as long.)"""

    text: str
    start: int
    end: int
    key: str | None = None
    quoted: bool = False


def tokenize(line: str) -> list[Token]:
    """Split a line into tokens. Never fails: an unclosed quote runs to the end of the line. A
    word of nothing but zero-width characters (a paste's leftovers) is no token."""
    tokens = _tokens(line)
    if any(mark in line for mark in _ZERO_WIDTH):
        return [t for t in tokens if t.quoted or t.key is not None or t.text.strip(_ZERO_WIDTH)]
    return tokens


def _tokens(line: str) -> list[Token]:
    if not _ANY_QUOTE.search(line):  # most lines: one regex, not a step per token
        return [
            Token(match[2], match.start(), match.end(2), match[1].lower() if match[1] else None)
            for match in _PLAIN_TOKEN.finditer(line)
        ]
    tokens: list[Token] = []
    pos, size = _after_spaces(line, 0), len(line)
    while pos < size:
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
        pos = _after_spaces(line, pos)
    return tokens


def command_words(tokens: Sequence[Token]) -> list[str]:
    """The command's name as typed: the line's first one or two plain words. A `key:value` or a
    quoted phrase ends it, so `!alice: done three` is not taken for a command named `three`."""
    heads: list[str] = []
    for token in tokens[:2]:
        if token.key is not None or token.quoted:
            break
        heads.append(token.text.strip(_ZERO_WIDTH))
    return heads


def _after_spaces(line: str, pos: int) -> int:
    """Where the next non-space is (a regex: a loop over characters was most of a long line's cost)."""
    spaces = _SPACE.match(line, pos)
    return spaces.end() if spaces else pos


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
    word = _WORD.match(line, pos)
    end = word.end() if word else pos
    return line[pos:end], end, False


@dataclass
class Bound:
    """Arguments matched to a command, still as text (a list for a `listed` rest parameter);
    what was typed in quotes is a `Phrase`."""

    command: Command[Any]
    values: dict[str, str | list[str] | bool] = field(default_factory=dict)


def usage_error(command: Command[Any], reason: str, **values: str) -> UsageError:
    """A usage error that also shows how the command is typed, with an example."""
    return UsageError(words.usage(reason, command.usage(), command.example, **values))


def bind(command: Command[Any], tokens: Sequence[Token], line: str) -> Bound:
    """Match the tokens after the command's name to its parameters.

    People type multi-word values without quotes (`due:next friday`, `region:Upper Midwest`), so
    plain words after a date take part in the date while they look like one, and words after a
    text value that no positional parameter wants join that text.
    """
    bound = Bound(command)
    by_key, rest_text = command.keyed, command.rest_text
    if rest_text is None:
        tokens = _keys_said_as_words(tokens, command.named_keys)
    keys_are_text = rest_text is not None and rest_text.type.keeps_keys
    positional: list[Token] = []
    follows: dict[int, Token] = {}  # positional token index → the unquoted text keyword it follows
    open_key: Token | None = None
    for token in tokens:
        if token.key is not None and token.key in by_key:
            if token.key in bound.values:
                raise usage_error(command, words.GAVE_TWICE, key=token.key)
            bound.values[token.key] = Phrase(token.text) if token.quoted else token.text
            open_key = token if not token.quoted and by_key[token.key].type.multiword else None
        elif token.key is not None and not keys_are_text:
            raise _unknown_key(command, token.key)
        elif token.key is not None and (close := typo_of(token.key.lower(), list(command.named_keys))) is not None:
            # In free text an unknown `word:` stays text ("Note: …"), but one slip from a key is
            # the key mistyped: `announce Meeting tonight regoin:Ohio` must not go to everyone
            # in the channel, nor `contact note 3 … folow:friday` lose its follow-up.
            raise usage_error(command, words.NO_SUCH_KEY_CLOSE, name=command.name, key=token.key, close=close)
        elif (
            open_key is not None
            and not token.quoted
            and token.key is None
            and by_key[open_key.key or ""].type.continues(token.text, str(bound.values[open_key.key or ""]))
        ):
            bound.values[open_key.key or ""] = _joined(line, open_key, token)
            open_key = Token(open_key.text, open_key.start, token.end, open_key.key)
        else:
            if open_key is not None and by_key[open_key.key or ""].type.joins_leftovers and not token.quoted:
                follows[len(positional)] = open_key
            else:
                open_key = None
            positional.append(token)
    flags = command.flags
    remaining: list[tuple[int, Token]] = []
    for index, token in enumerate(positional):
        word = token.text.lower()
        if not token.quoted and token.key is None and word in flags and word not in bound.values:
            bound.values[word] = True
        else:
            remaining.append((index, token))
    slots = [p for p in command.params if p.positional and p.name not in bound.values]
    while remaining and slots:
        param = slots.pop(0)
        if param.rest:
            # The words up to the next that follows an unquoted text value stay together, and
            # that one and the words after it go back to the value: `contact add Sam Ortiz
            # org:State Library` is Sam Ortiz of the State Library, not "Sam Ortiz Library".
            cut = next(
                (
                    n
                    for n, (index, _) in enumerate(remaining)
                    if n and index in follows and remaining[n - 1][0] not in follows
                ),
                len(remaining),
            )
            taken, remaining = remaining[:cut], remaining[cut:]
            if param.type.listed:
                bound.values[param.name] = [Phrase(t.text) if t.quoted else t.text for _, t in taken]
            else:
                bound.values[param.name] = _raw_text([t for _, t in taken], line)
        else:
            _, token = remaining.pop(0)
            bound.values[param.name] = token.text
    leftover = []
    for index, token in remaining:
        key_token = follows.get(index)
        if key_token is not None and key_token.key is not None:
            bound.values[key_token.key] = _joined(line, key_token, token)
            follows[index + 1] = Token(key_token.text, key_token.start, token.end, key_token.key)
        else:
            leftover.append(token)
    if leftover:
        extra = " ".join(line[t.start : t.end] if line else t.text for t in leftover)  # `""` as typed
        given = [key for key in bound.values if key in by_key and by_key[key].positional]
        keyed = next((t.key for t in tokens if t.key in given), None)
        if keyed is not None:  # the words were for the parameter given as a key too
            raise usage_error(command, words.UNEXPECTED_BESIDE_KEY, extra=extra[:80], key=keyed)
        raise usage_error(command, words.UNEXPECTED, extra=extra[:80])
    missing = [p for p in command.params if p.required and p.name not in bound.values]
    if missing:
        what = words.series([describe(p) for p in missing])  # "a member, a member or contact and `why:`"
        raise usage_error(command, words.NEEDS, name=command.name, what=what)
    return bound


#: Characters that show nothing, which pastes bring to a word's ends (`claim 1\u200b`). Joiners
#: (U+200C, U+200D) are left alone: they belong inside emoji and scripts.
_ZERO_WIDTH = "\u200b\u2060\ufeff"


def _keys_said_as_words(tokens: Sequence[Token], named: Mapping[str, Param[Any]]) -> list[Token]:
    """`checkin at 9am`, `profile region Ohio`, `event cancel 3 on friday`: a key's name as a
    word of its own, then a plain word or a quoted phrase, is that key and its value, as people
    say it. Only where no parameter takes free text (there `announce Meeting at 7pm` must stay
    words, not schedule the announcement)."""
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        name = token.text.lower()
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.key is None and not token.quoted and name in named and after is not None and after.key is None:
            out.append(Token(after.text, token.start, after.end, name, after.quoted))
            index += 2
            continue
        out.append(token)
        index += 1
    return out


def _joined(line: str, key_token: Token, token: Token) -> str:
    """A keyword's value extended to the end of a later word, as typed."""
    start = key_token.start + len(key_token.key or "") + 1
    return _SPACE.sub(" ", line[start : token.end]).strip().strip('"“”')


def _unknown_key(command: Command[Any], key: str) -> UsageError:
    names = [p.name for p in command.params if not p.type.flag]
    if any(p.name == key and p.type.flag for p in command.params):  # `audit all:yes`
        return usage_error(command, words.FLAG_NOT_KEY, name=command.name, key=key)
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return usage_error(command, words.NO_SUCH_KEY_CLOSE, name=command.name, key=key, close=close[0])
    if not names:
        return usage_error(command, words.NO_KEYS, name=command.name, key=key)
    known = ", ".join(f"{n}:" for n in names)
    return usage_error(command, words.NO_SUCH_KEY, name=command.name, key=key, known=known)


def _raw_text(tokens: Sequence[Token], line: str) -> str:
    """The words as typed (quotes and spacing kept), unless it is one quoted phrase."""
    if len(tokens) == 1 and tokens[0].quoted and tokens[0].key is None:
        return tokens[0].text
    pieces = [line[t.start : t.end] for t in tokens]
    return _SPACE.sub(" ", " ".join(pieces)).strip()


async def convert(bound: Bound, call: Converting) -> Args:
    """Typed values for each bound argument, or a usage error naming the bad one."""
    values: dict[str, object] = {}
    for param in bound.command.params:
        if param.name in bound.values:
            values[param.name] = await _convert_one(param, bound.values[param.name], call)
    return Args(values)


async def _convert_one(param: Param[Any], raw: str | list[str] | bool, call: Converting) -> object:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, list):
        return await param.type.parse_words(raw, param, call)
    text = raw.strip().strip(_ZERO_WIDTH).strip()
    if not text and not param.type.empty_ok:
        raise call.error(words.EMPTY, name=param.name)
    try:
        if param.type.listed and isinstance(raw, Phrase):  # `skill:"graphic design"`: one, kept so
            return await param.type.parse_words([Phrase(text)], param, call)
        return await param.type.parse(text, param, call)
    except TooLong:
        raise  # it says the limit: how the command is typed is no help
    except UsageError as error:
        if not param.type.shows_usage:
            raise
        raise call.error(error.message) from None
