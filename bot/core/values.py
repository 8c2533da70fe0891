"""Typed values from text: durations, clock times, quiet hours, skills, regions (dates:
`bot/core/dates.py`)."""

from __future__ import annotations

import re
from datetime import time, timedelta

from bot.core import words
from bot.core.errors import UsageError
from bot.core.names import fold
from bot.places import find_regions
from bot.zones import Quiet

MAX_DURATION = timedelta(days=366)

_UNITS = {
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "wk": 604800, "wks": 604800, "week": 604800, "weeks": 604800,
    "mo": 2592000, "month": 2592000, "months": 2592000,
}  # fmt: skip
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12}  # fmt: skip
_DURATION_PART = re.compile(r"(\d+|[a-z]+)\s*([a-z]+)")
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")


def parse_duration(text: str) -> timedelta:
    """`3d`, `2w`, `1h30m`, `2 weeks`, `in 3 days`, `a week`."""
    cleaned = text.strip().lower()
    cleaned = cleaned.removeprefix("in ").replace(",", " ").replace(" and ", " ")
    total = 0
    pos = 0
    compact = cleaned.replace(" ", "")
    # Accept both "1h30m" and "1 h 30 m": parse on the compacted form when it is all digits+units.
    source = compact if re.fullmatch(r"(\d+[a-z]+)+", compact) else cleaned
    for match in _DURATION_PART.finditer(source):
        if source[pos : match.start()].strip():
            raise _bad_duration(text)
        amount_text, unit = match.groups()
        amount = int(amount_text) if amount_text.isdigit() else _WORD_NUMBERS.get(amount_text)
        seconds = _UNITS.get(unit)
        if amount is None or seconds is None:
            raise _bad_duration(text)
        total += amount * seconds
        pos = match.end()
    if pos == 0 or source[pos:].strip() or total <= 0:
        raise _bad_duration(text)
    if total > MAX_DURATION.total_seconds():
        raise UsageError(words.too_far())
    return timedelta(seconds=total)


def _bad_duration(text: str) -> UsageError:
    return UsageError(words.bad_duration(text))


def parse_clock(text: str) -> time:
    """`10:00`, `9`, `9am`, `5:30pm` → a time of day."""
    match = _CLOCK.match(text.strip().lower())
    if match:
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        valid = 1 <= hour <= 12 if half else hour < 24
        if half:
            hour = hour % 12 + (12 if half == "pm" else 0)
        if valid and minute < 60:
            return time(hour, minute)
    raise UsageError(words.bad_clock(text))


def parse_quiet(text: str) -> Quiet:
    """`21:00-08:00` → a quiet window."""
    parts = re.split(r"\s*(?:-|–|to)\s*", text.strip().lower())
    if len(parts) != 2:
        raise UsageError(words.bad_quiet())
    start, end = (parse_clock(part) for part in parts)
    return Quiet(start.hour * 60 + start.minute, end.hour * 60 + end.minute)


_SKILL_CLEAN = re.compile(r"[^\w+#.-]+")


def normalise_skill(text: str) -> str:
    """Skills compare case-blind with dashes for spaces: `Social Media` → `social-media`."""
    cleaned = _SKILL_CLEAN.sub("-", text.strip().lower()).strip("-.")
    return re.sub(r"-{2,}", "-", cleaned)


def normalise_region(text: str) -> tuple[str, str]:
    """Free-text region → (display form, grouping key): ` upper  midwest` → `Upper Midwest`.

    A state, province or nation named by its code or name (`OH`, `ohio`, `Québec`, `NSW`) is
    shown and grouped by its name (`Ohio`): a signatures sheet mixing `OH` and `Ohio` must not
    split a state in two in `coverage`. Only a code naming one such region is read so (`WA` is
    Washington and Western Australia, `NT` two territories: they stay as typed); a country's
    code is not (`CA` is California, not Canada, as people give a region within the network).
    A name typed with accents the list lacks is shown as typed (`Québec`).

    Any other text: a word typed with capitals of its own (`Île-de-France`, `DuPage`, `NYC`) is
    kept as typed; `capitalize()` made them `Île-de-france` and `Dupage`. Only a shouted long
    word is tamed. A full stop or comma typed after it, and a country or `State` after a region
    that names one without them (`Ohio.`, `Ohio, USA`, `New York State`), are left out, and
    hyphens group as spaces (`upper-midwest` with `Upper Midwest`)."""
    words = _without_qualifiers(text).split()
    display = " ".join(_region_word(word) for word in words)
    found = find_regions(display) if words else ()
    named = [region for region in found if region.admin1]
    if len(named) == 1:
        label = named[0].label
        accented = fold(display) == fold(label) and display.casefold() != label.casefold()
        return (display if accented else label), label.casefold()
    if found and len(display) <= 3:
        display = display.upper()  # a code: `wa` is WA
    return display, " ".join(" ".join(words).replace("-", " ").split()).casefold()


# Typed after a region's name: a full stop (not an initial's: `D.C.`), a comma; a country, a `State`.
_TRAILING = re.compile(r"(?:(?<=[^\W\d_]{2})\.|[,;:])+$")
_QUALIFIERS = re.compile(
    r"(?:,?\s+(?:usa|u\.s\.a\.?|us|u\.s\.?|united states(?: of america)?|canada|australia|uk|united kingdom)"
    r"|\s+state)$",
    re.IGNORECASE,
)


def _without_qualifiers(text: str) -> str:
    """`text` without what people type after a region's name, as far as what is left names one."""
    cleaned = _TRAILING.sub("", text.strip()).strip()
    shorter = _TRAILING.sub("", _QUALIFIERS.sub("", cleaned)).strip()
    if shorter != cleaned and any(region.admin1 for region in find_regions(" ".join(shorter.split()))):
        return shorter
    return cleaned


def region_zone(text: str) -> str | None:
    """The time zone of the state, province or nation `text` names (`OH`, `Ohio`), if it has one
    zone; None for any other text, and for a region that spans zones (`Texas`)."""
    named = [region for region in find_regions(" ".join(text.split())) if region.admin1]
    return named[0].zones[0] if len(named) == 1 and len(named[0].zones) == 1 else None


def _region_word(word: str) -> str:
    if word.islower() or (word.isupper() and sum(ch.isalpha() for ch in word) > 3):  # (`D.C.` is no shout)
        return word.capitalize()
    return word
