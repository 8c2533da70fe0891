"""The argument types commands use: text, numbers and ids, choices, flags, members, dates and
durations, times, quiet hours, zones, lists and skills. Each knows how to read its value, how it
looks in a usage line, and what slash option it is (`core.params.ArgType`)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import time, timedelta

from bot.core import words
from bot.core.dates import NotADate, When, parse_when
from bot.core.errors import TooLong, UsageError
from bot.core.params import ArgType, Completer, Converting, MemberRef, Option, Param, Phrase, member_ref
from bot.core.values import normalise_skill, parse_clock, parse_duration, parse_quiet
from bot.zones import ZONE_ABBREVIATIONS, Quiet, ZoneMatch, find_zone, suggest_zones

# A number may end the sentence it is typed in (`claim 12.`, `need:3!`): the mark is no part of it.
_ID = re.compile(r"^#?([a-z])?(\d{1,9})[.!?]?$", re.IGNORECASE)
_NUMBER = re.compile(r"^(-?\d+)[.!?]?$")
#: A placeholder that names what is typed (`skill`), not one that shows its form (`a,b`).
_WORD = re.compile(r"^[a-z]+(?: [a-z]+)*$", re.IGNORECASE)


def composed(text: str) -> str:
    """`text` in Unicode's composed form (NFC), as it is measured and kept: an `é` typed as `e`
    and a combining accent is one character, as the person sees it, not two (a title of 150 of
    them was refused as 300 characters), and is stored as the `é` other text has. A `Phrase`
    stays one."""
    nfc = unicodedata.normalize("NFC", text)
    return Phrase(nfc) if isinstance(text, Phrase) else nfc


class Text(ArgType[str]):
    """Free text, as typed but composed (`composed`); `max_len` is the documented limit."""

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
        text = composed(text)
        if self.max_len is not None and len(text) > self.max_len:
            raise TooLong(words.too_long(param.name, self.max_len, len(text)))
        return text.lower() if self.lower else text


class Name(Text):
    """Someone's name, as typed (`contact add Sam Ortiz`): a `note:"…"` after it is no part of
    it but a parameter `contact add` lacks, which would otherwise be kept, quotes and all, as
    the name everyone who may see the contact reads."""

    keeps_keys = False


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
    """A whole number from `low` to `high` (0 to 999,999 unless said): the bounds are checked
    here, so `need:-1` and `need:0` get the same answer, and a slash command's option carries them."""

    label = "number"

    def __init__(self, low: int = 0, high: int = 999_999) -> None:
        super().__init__()
        self.low, self.high = low, high

    def option(self, param: Param[int]) -> Option:
        return Option("integer", min_value=self.low, max_value=self.high, autocomplete=self.complete is not None)

    async def parse(self, text: str, param: Param[int], call: Converting) -> int:
        match = _NUMBER.match(text)
        if not match:
            raise call.error(words.NOT_A_NUMBER, name=param.name, what="a whole number", text=text[:40])
        digits = match.group(1)
        if len(digits) > 12 or not self.low <= int(digits) <= self.high:  # (a long one is out of range, unread)
            what = f"a whole number from {self.low} to {self.high:,}"
            raise call.error(words.NOT_A_NUMBER, name=param.name, what=what, text=text[:40])
        return int(digits)


class Id(ArgType[int]):
    """Something's number: `12`, `#12`, or with a letter it takes (`c12`, a claim on ask 12).

    Another letter names something else (`done f2`: follow-up 2), and is refused with what it
    names: read as its number, it would act on ask 2."""

    label = "id"

    def __init__(self, *, complete: Completer | None = None, letters: str = "") -> None:
        super().__init__(complete=complete)
        self.letters = letters.lower()

    def option(self, param: Param[int]) -> Option:
        return Option("integer", min_value=1, max_value=999_999_999, autocomplete=self.complete is not None)

    async def parse(self, text: str, param: Param[int], call: Converting) -> int:
        match = _ID.match(text)
        if not match:
            raise call.error(words.NOT_A_NUMBER, name=param.name, what="an id", text=text[:40])
        letter = (match.group(1) or "").lower()
        if letter and letter not in self.letters:
            if letter not in words.LETTERED:
                raise call.error(words.NOT_A_NUMBER, name=param.name, what="an id", text=text[:40])
            named, how = words.LETTERED[letter]
            said = re.split(r" \(|; ", param.help.rstrip("."))[0]  # "The intro's number (if several…)."
            wanted = said[:1].lower() + said[1:]  # "the intro's number"
            raise call.error(words.OTHER_KIND, text=text, named=named, name=param.name, wanted=wanted, how=how)
        return int(match.group(2))


class Choices(ArgType[str]):
    """One of a fixed set of words, case-blind, with a suggestion for a typo."""

    label = "choice"

    def __init__(self, choices: Sequence[str], read: Callable[[str], str | None] | None = None) -> None:
        """`read`: what other words mean one of the choices (`university library` → academic)."""
        super().__init__()
        self.choices = tuple(choices)
        self.read = read

    def usage(self, param: Param[str]) -> str:
        body = "|".join(self.choices) if param.positional else f"{param.name}:{'|'.join(self.choices)}"
        return body if param.required else f"[{body}]"

    def option(self, param: Param[str]) -> Option:
        return Option("string", choices=self.choices)

    async def parse(self, text: str, param: Param[str], call: Converting) -> str:
        lowered = text.lower()
        if lowered in self.choices:
            return lowered
        meant = self.read(lowered) if self.read is not None else None
        if meant is not None and meant in self.choices:
            return meant
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


def _dateish(word: str) -> bool:
    """Whether a word after a date's first takes part in it (`due:next friday 5pm ET`)."""
    return bool(_DATE_WORD.match(word.lower())) or word.lower() in ZONE_ABBREVIATIONS


class Date(ArgType[When]):
    """A date (maybe with a time) in natural language, read in the speaker's zone."""

    label = "date"
    shows_usage = True
    multiword = True
    zoned = True

    def continues(self, word: str, value: str) -> bool:
        return _dateish(word)

    async def parse(self, text: str, param: Param[When], call: Converting) -> When:
        return parse_when(text, call.zone, call.now)


class Duration(ArgType[timedelta]):
    """A length of time: `3d`, `2w`, `1h30m`, `2 weeks`."""

    label = "duration"
    shows_usage = True
    multiword = True

    def continues(self, word: str, value: str) -> bool:
        return bool(_DATE_WORD.match(word.lower()))

    async def parse(self, text: str, param: Param[timedelta], call: Converting) -> timedelta:
        return parse_duration(text)


class Later(ArgType[timedelta | When]):
    """How much later (`3d`, `2w`) or until when (`friday`, `dec 20 9am`), read in the speaker's zone."""

    label = "duration or date"
    shows_usage = True
    multiword = True
    zoned = True

    def continues(self, word: str, value: str) -> bool:
        return _dateish(word)

    async def parse(self, text: str, param: Param[timedelta | When], call: Converting) -> timedelta | When:
        try:
            return parse_duration(text)
        except UsageError:
            pass
        try:
            return parse_when(text, call.zone, call.now)
        except NotADate as unread:  # (a date in the past, or "next monday" on a Sunday, says so itself)
            raise UsageError(words.not_later(text, unread.meant)) from None


class ClockTime(ArgType[time]):
    """A time of day: `10:00`, `9am`."""

    label = "time"
    shows_usage = True

    async def parse(self, text: str, param: Param[time], call: Converting) -> time:
        return parse_clock(text)


class QuietHours(ArgType[Quiet | None]):
    """A daily window in local time: `21:00-08:00`; `default` (None) for the network's own, so
    a window set once can be given back."""

    label = "time range"
    shows_usage = True

    async def parse(self, text: str, param: Param[Quiet | None], call: Converting) -> Quiet | None:
        return None if text.strip().lower() == "default" else parse_quiet(text)


class Zone(ArgType[ZoneMatch]):
    """A timezone: an IANA name, an abbreviation or a city. Unquoted, a city's state or country
    is part of it, after a comma or not: `tz:Columbus, OH`, `tz:Paris France`."""

    label = "timezone"
    multiword = True
    joins_leftovers = True

    def continues(self, word: str, value: str) -> bool:
        return value.rstrip().endswith(",") and not word.endswith(",")  # a city, its state: no more

    async def parse(self, text: str, param: Param[ZoneMatch], call: Converting) -> ZoneMatch:
        text = text.strip().rstrip(",").strip()  # `tz:Columbus, library:public`
        found = await find_zone(text)
        if found is not None:
            return found
        if _OFFSET.match(text.strip()):
            raise UsageError(words.offset_not_zone(text))
        raise UsageError(words.unknown_zone(text, suggest_zones(text)))


#: `+0200`, `UTC+2`, `GMT-05:00`: an offset, which daylight saving moves where the person lives.
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*[+\-−]\s*\d{1,2}(?::?\d{2})?$", re.IGNORECASE)


class Items(ArgType[tuple[str, ...]]):
    """A comma-separated list (`interests:a,b`), each item trimmed and composed (`composed`: an
    item's limit counts what a person sees, and `é` typed either way is one item); duplicates
    dropped. Unquoted, a word after a comma is still the list's, and so are words no other
    parameter wants (`interests:bargaining, pay equity, zines`)."""

    label = "list"
    multiword = True
    joins_leftovers = True

    def __init__(
        self, *, max_len: int | None = None, max_items: int | None = None, complete: Completer | None = None
    ) -> None:
        super().__init__(complete=complete)
        self.max_len = max_len
        self.max_items = max_items

    def continues(self, word: str, value: str) -> bool:
        return value.rstrip().endswith(",")

    def pieces(self, parts: Sequence[str]) -> list[str]:
        """The items in the words given (each word or quoted text a part), before checks."""
        return [" ".join(piece.split()) for part in parts for piece in part.split(",")]

    def option(self, param: Param[tuple[str, ...]]) -> Option:
        length = None if self.max_len is None else (self.max_len + 1) * (self.max_items or 1) - 1
        return Option("string", max_length=length, autocomplete=self.complete is not None)

    async def parse(self, text: str, param: Param[tuple[str, ...]], call: Converting) -> tuple[str, ...]:
        return await self.parse_words([text], param, call)

    def item(self, param: Param[tuple[str, ...]]) -> str:
        """What one item is called in an error (`Each interest can be…`, `That is 21 tags`): the
        placeholder when it is a word (`<skill>`), else one of what the parameter names
        (`interests:` → `interest`), for a placeholder like `a,b` only shows how a list is typed."""
        if param.placeholder and _WORD.match(param.placeholder):
            return param.placeholder
        return words.singular(param.name)

    async def parse_words(
        self, parts: Sequence[str], param: Param[tuple[str, ...]], call: Converting
    ) -> tuple[str, ...]:
        items: list[str] = []
        for cleaned in self.pieces([composed(part) for part in parts]):
            if cleaned and cleaned not in items:
                items.append(cleaned)
        name = self.item(param)
        if self.max_len is not None and any(len(item) > self.max_len for item in items):
            raise TooLong(words.item_too_long(name, self.max_len))
        if self.max_items is not None and len(items) > self.max_items:
            raise TooLong(words.too_many(len(items), name, self.max_items))
        if not items and param.required:
            raise call.error(words.NEEDS_ONE, name=call.command, what=name)
        return tuple(items)


class Skills(Items):
    """Skills, normalised (`Social Media` → `social-media`). Several are separated by commas when
    the text has any (`research, graphic design`), else by spaces (`research writing`); one
    (`skill:social media`, `unvolunteer social media`) is all its words, and so is one typed in
    quotes anywhere (`volunteer "graphic design" research`).

    People list skills of several words with commas; split at every space, "graphic design,
    social media" became four skills, and "unvolunteer social media" could not take one back."""

    label = "skills"
    listed = True
    joins_leftovers = False  # `ask skill:research urgent` is a mistake to show, not a skill `research-urgent`

    def pieces(self, parts: Sequence[str]) -> list[str]:
        """A part typed in quotes (a `Phrase`) is one skill, or several only at its commas; the
        words around it are read as above. Joined with them, `volunteer "graphic design"` was
        two skills where `ask skill:"graphic design"` was one."""
        separator = "," if self.max_items == 1 or any("," in part for part in parts) else None
        found: list[str] = []
        loose: list[str] = []  # unquoted words since the last phrase
        for part in parts:
            if isinstance(part, Phrase):
                found += " ".join(loose).split(separator) + part.split(",")
                loose = []
            else:
                loose.append(part)
        found += " ".join(loose).split(separator)
        return [normalise_skill(piece) for piece in found]

    def usage(self, param: Param[tuple[str, ...]]) -> str:
        hole = param.placeholder or param.name
        if param.positional and param.rest and self.max_items != 1:  # `unvolunteer <skill>` takes one
            return f"<{hole}> [{hole}…]" if param.required else f"[{hole}…]"
        return ArgType.usage(self, param)
