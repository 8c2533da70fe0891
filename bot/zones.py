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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.places import find_cities

_ALIASES = {
    "utc": "UTC",
    "gmt": "UTC",
    "z": "UTC",
    "eastern": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "central": "America/Chicago",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "mountain": "America/Denver",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mt": "America/Denver",
    "arizona": "America/Phoenix",
    "pacific": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "alaska": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
}


@dataclass(frozen=True)
class ZoneMatch:
    """The zone found for what someone typed, and a note when a guess was made."""

    name: str
    note: str | None = None


@cache
def _zone_index() -> tuple[dict[str, str], dict[str, str]]:
    """Zone names by lower-cased name, and by their city part (`new york` → America/New_York)."""
    by_name: dict[str, str] = {}
    by_city: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if name.startswith(("Etc/", "SystemV/")) or name in {"localtime", "Factory"}:
            continue
        by_name[name.lower()] = name
        if "/" in name:
            city = name.rsplit("/", 1)[1].replace("_", " ").lower()
            by_city.setdefault(city, name)
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


def lookup_known(text: str) -> ZoneMatch | None:
    """A zone from an IANA name, a common alias or a zone's own city, without the city list."""
    key = " ".join(text.strip().replace("_", " ").split()).lower()
    by_name, by_city = _zone_index()
    exact = by_name.get(text.strip().lower()) or by_name.get(key.replace(" ", "_"))
    if exact:
        return ZoneMatch(exact)
    if key in _ALIASES:
        return ZoneMatch(_ALIASES[key])
    if key in by_city:
        return ZoneMatch(by_city[key])
    return None


async def find_zone(text: str) -> ZoneMatch | None:
    """A zone for an IANA name, an alias, or a city anywhere (most populous namesake wins)."""
    known = lookup_known(text)
    if known or not text.strip() or len(text) > 100:
        return known
    cities = await asyncio.to_thread(find_cities, text)
    if not cities:
        return None
    best = cities[0]
    others = sorted({c.timezone for c in cities[1:4] if c.timezone != best.timezone})
    note = None
    if others:
        where = ", ".join(part for part in (best.admin1, best.country) if part)
        note = f"I took {best.name} ({where}). Another place with that name? Use one of: " + ", ".join(others)
    return ZoneMatch(best.timezone, note)


def suggest_zones(text: str) -> list[str]:
    """Zone names close to a misspelt one."""
    by_name, by_city = _zone_index()
    key = text.strip().lower()
    names = difflib.get_close_matches(key.replace(" ", "_"), list(by_name), n=3, cutoff=0.6)
    cities = difflib.get_close_matches(key, list(by_city), n=3, cutoff=0.7)
    found = [by_name[n] for n in names] + [by_city[c] for c in cities]
    return list(dict.fromkeys(found))[:3]


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
