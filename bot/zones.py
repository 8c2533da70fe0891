"""Timezones: finding one from what people type, and local-time arithmetic.

Everything is stored in UTC; these helpers turn a person's zone and local wall-clock rules
(quiet hours, "Monday 10:00", "Friday") into UTC moments, DST included.
"""

from __future__ import annotations

import asyncio
import difflib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.places import place_suggestions, place_zone

# What people call their zone, to the region's IANA zone, which follows daylight saving time: a
# Chicagoan who says CST in July means Chicago time, not UTC-6 (IANA's own EST and MST are fixed
# offsets, and EST5EDT-style names are legacy). Checked before IANA's names for that reason.
_ALIASES = {
    "utc": "UTC", "gmt": "UTC", "z": "UTC", "zulu": "UTC", "universal": "UTC",
    "eastern": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "et": "America/New_York", "est5edt": "America/New_York",
    "central": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago",
    "ct": "America/Chicago", "cst6cdt": "America/Chicago",
    "mountain": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "mt": "America/Denver", "mst7mdt": "America/Denver",
    "arizona": "America/Phoenix",
    "pacific": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles", "pst8pdt": "America/Los_Angeles",
    "alaska": "America/Anchorage", "akst": "America/Anchorage", "akdt": "America/Anchorage",
    "hawaii": "Pacific/Honolulu", "hst": "Pacific/Honolulu",
    "atlantic": "America/Halifax", "ast": "America/Halifax", "adt": "America/Halifax",
    "newfoundland": "America/St_Johns", "nst": "America/St_Johns", "ndt": "America/St_Johns",
    "bst": "Europe/London", "uk": "Europe/London",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney",
}  # fmt: skip
_ALIAS_WORDS = ("time", "standard time", "daylight time", "time zone", "timezone")
# Old IANA names kept for compatibility (US/Eastern, Canada/Pacific, Japan): shown as today's name.
_LEGACY_PREFIXES = ("US/", "Canada/", "Mexico/", "Brazil/", "Chile/")


@dataclass(frozen=True)
class ZoneMatch:
    """The zone found for what someone typed, and a note when a guess was made."""

    name: str
    note: str | None = None


@cache
def _links() -> dict[str, str]:
    """IANA's links (old name → current zone), from the tzdata package's `tzdata.zi`."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "tzdata.zi").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    links = {}
    for line in text.splitlines():
        if line.startswith("L "):
            _, target, name = line.split()
            links[name] = target
    return links


def _current(name: str) -> str:
    """`US/Eastern` → America/New_York; a city's own zone (Europe/Amsterdam) stays as it is,
    even where IANA now links it to a neighbour's."""
    if "/" not in name or name.startswith(_LEGACY_PREFIXES):
        return _links().get(name, name)
    return name


@cache
def _zone_index() -> tuple[dict[str, str], dict[str, str]]:
    """Zone names by lower-cased name, and by their city part (`new york` → America/New_York)."""
    by_name: dict[str, str] = {}
    by_city: dict[str, str] = {}
    links = _links()
    for name in sorted(available_timezones()):
        if name.startswith(("Etc/", "SystemV/")) or name in {"localtime", "Factory"}:
            continue
        by_name[name.lower()] = name
        if "/" in name and not name.startswith(_LEGACY_PREFIXES) and name not in links:
            city = name.rsplit("/", 1)[1].replace("_", " ").lower()
            by_city.setdefault(city, name)
    for name, target in links.items():  # Calcutta, Kiev, Saigon: old city names still find their zone
        if "/" in name and not name.startswith(_LEGACY_PREFIXES) and target in by_name.values():
            by_city.setdefault(name.rsplit("/", 1)[1].replace("_", " ").lower(), name)
    return by_name, by_city


def zone(name: str | None, default: str) -> ZoneInfo:
    """The zone called `name`, or the organisation's default when unknown or unset."""
    for candidate in (name, default, "UTC"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def _alias(key: str) -> str | None:
    """`EST`, `Eastern`, `Eastern Time`, `Central Standard Time`, `CT` → the region's zone."""
    if key in _ALIASES:
        return _ALIASES[key]
    for words in sorted(_ALIAS_WORDS, key=len, reverse=True):
        if key.endswith(" " + words) and key[: -len(words) - 1] in _ALIASES:
            return _ALIASES[key[: -len(words) - 1]]
    return None


#: Abbreviations a date may end with, unquoted (`due:friday 5pm ET`): read as part of the date.
ZONE_ABBREVIATIONS = frozenset(key for key in _ALIASES if key.isalpha() and len(key) <= 4)


def zone_after(text: str) -> tuple[str, str] | None:
    """`friday 7pm ET` → (`friday 7pm`, America/New_York): the zone a date and time end with, by a
    common name or abbreviation (`ET`, `Central Time`, `UTC`) or an IANA name (`Europe/Paris`);
    None when they end with none. Cities are left out: `7pm Reading` is no zone."""
    words = text.split()
    for count in (3, 2, 1):
        if len(words) > count:
            tail = " ".join(words[-count:]).lower()
            found = _alias(tail)
            if found is None and "/" in tail:
                known = lookup_known(tail)
                found = known.name if known is not None else None
            if found is not None:
                return " ".join(words[:-count]), found
    return None


def lookup_known(text: str) -> ZoneMatch | None:
    """A zone from a common name or abbreviation, an IANA name or a zone's own city, without
    the city list."""
    key = " ".join(text.strip().replace("_", " ").split()).lower()
    alias = _alias(key)
    if alias:
        note = "I took GMT as UTC, with no summer time; in the UK, use Europe/London." if key == "gmt" else None
        return ZoneMatch(alias, note)
    by_name, by_city = _zone_index()
    exact = by_name.get(text.strip().lower()) or by_name.get(key.replace(" ", "_"))
    if exact:
        return ZoneMatch(_current(exact))
    if key in by_city:
        return ZoneMatch(_current(by_city[key]))
    return None


async def find_zone(text: str) -> ZoneMatch | None:
    """A zone for a common name, an IANA name, or a place (`Boston`, `Portland, OR`,
    `Paris, France`): the most populous namesake wins unless a state or country is given."""
    known = lookup_known(text)
    if known or not text.strip() or len(text) > 100:
        return known
    found = await asyncio.to_thread(place_zone, text)
    return ZoneMatch(*found) if found else None


def suggest_zones(text: str) -> list[str]:
    """Zone names close to a misspelt one (the closest first, only those nearly as close), or
    the zones of a region that has several (`Hood River, Indiana`)."""
    place = place_suggestions(text)
    if place:
        return place
    by_name, by_city = _zone_index()
    links = _links()
    key = text.strip().lower()
    candidates = [name for name in by_name if by_name[name] not in links]
    scored = [(_similarity(key.replace(" ", "_"), name), by_name[name]) for name in candidates]
    scored += [(_similarity(key, city), by_city[city]) for city in by_city]
    scored = [(score, name) for score, name in scored if score >= 0.7]
    if not scored:
        return []
    best = max(score for score, _ in scored)
    close = sorted((s for s in scored if s[0] >= best - 0.05), key=lambda s: -s[0])
    return list(dict.fromkeys(_current(name) for _, name in close))[:3]


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def localize(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC moment of a local wall-clock time.

    A time that does not exist (skipped by a spring-forward) moves later by the gap, as a
    person's watch would; an ambiguous one (repeated by a fall-back) takes the first.
    """
    # PEP 495: with fold=0 a skipped time is read with the offset from before the change, which
    # lands the gap's length later; a repeated time is read as its first occurrence.
    return datetime.combine(day, at).replace(tzinfo=tz, fold=0).astimezone(UTC)


def minutes_of(moment: datetime, tz: ZoneInfo) -> int:
    local = moment.astimezone(tz)
    return local.hour * 60 + local.minute


@dataclass(frozen=True)
class Quiet:
    """A daily quiet window in local minutes; `start > end` means it spans midnight."""

    start: int
    end: int

    def contains(self, minute: int) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end

    def describe(self) -> str:
        return f"{self.start // 60:02d}:{self.start % 60:02d}-{self.end // 60:02d}:{self.end % 60:02d}"


def wall_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The earliest moment at which the local clock shows `at` or later on `day`.

    Usually that is simply `localize`; for a time skipped by a spring-forward it is the moment
    of the jump itself (the clock goes from before `at` straight to after it).
    """
    wanted = datetime.combine(day, at)
    later = wanted.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if later.astimezone(tz).replace(tzinfo=None) == wanted:
        return later
    low = wanted.replace(tzinfo=tz, fold=1).astimezone(UTC)  # before the jump, by the gap's length
    while later - low > timedelta(seconds=1):
        middle = low + (later - low) / 2
        if middle.astimezone(tz).replace(tzinfo=None) < wanted:
            low = middle
        else:
            later = middle
    return later.replace(microsecond=0) + (timedelta(seconds=1) if later.microsecond else timedelta())


def next_allowed(moment: datetime, tz: ZoneInfo, quiet: Quiet) -> datetime:
    """The first moment at or after `moment` outside the person's quiet hours, DST included."""
    if not quiet.contains(minutes_of(moment, tz)):
        return moment
    local = moment.astimezone(tz)
    end = time(quiet.end // 60, quiet.end % 60)
    day = local.date()
    if quiet.start > quiet.end and minutes_of(moment, tz) >= quiet.start:
        day += timedelta(days=1)
    for ahead in range(3):
        candidate = wall_instant(day + timedelta(days=ahead), end, tz)
        if candidate >= moment and not quiet.contains(minutes_of(candidate, tz)):
            return candidate
    # Only a window that leaves no waking minute on several days in a row gets here.
    candidate = moment
    while quiet.contains(minutes_of(candidate, tz)):
        candidate += timedelta(minutes=1)
    return candidate
