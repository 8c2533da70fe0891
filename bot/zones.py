"""Timezones: finding one from what people type, and local-time arithmetic.

Everything is stored in UTC; these helpers turn a person's zone and local wall-clock rules
(quiet hours, "Monday 10:00", "Friday") into UTC moments, DST included.
"""

from __future__ import annotations

import asyncio
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.errors import UsageError
from bot.core.names import fold
from bot.core.words import GMT_AS_UTC, took_place, which_zone
from bot.places import find_cities, place_suggestions, place_zone, region_of

# What people call their zone, to the region's IANA zone, which follows daylight saving time: a
# Chicagoan who says CST in July means Chicago time, not UTC-6 (IANA's own EST and MST are fixed
# offsets, and EST5EDT-style names are legacy); a summer form (CEST, NZDT) names the same zone as
# its winter one, whose clocks change by themselves. Checked before IANA's names, and before any
# place: the city list knows airports' codes too (JST is Johnstown's, KST Kosti's, HKT Phuket's),
# and a member who types JST means Tokyo. A name several regions use means the one our members
# most likely mean (CST Chicago, not China; BST London, not Dhaka; AST Halifax, not Riyadh), and
# a zone several countries share is the city IANA itself names it after (CET: Europe/Brussels).
_ALIASES = {
    "utc": "UTC", "gmt": "UTC", "z": "UTC", "zulu": "UTC", "universal": "UTC", "greenwich mean": "UTC",
    # North America and the Pacific
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
    "brt": "America/Sao_Paulo", "brasilia": "America/Sao_Paulo",
    "art": "America/Argentina/Buenos_Aires", "argentina": "America/Argentina/Buenos_Aires",
    # Europe, Africa and the Middle East
    "bst": "Europe/London", "uk": "Europe/London", "british": "Europe/London",
    "irish": "Europe/Dublin", "ireland": "Europe/Dublin",
    "wet": "Europe/Lisbon", "western european": "Europe/Lisbon",
    "cet": "Europe/Brussels", "cest": "Europe/Brussels", "central european": "Europe/Brussels",
    "eet": "Europe/Athens", "eest": "Europe/Athens", "eastern european": "Europe/Athens",
    "msk": "Europe/Moscow",
    "wat": "Africa/Lagos", "west africa": "Africa/Lagos",
    "cat": "Africa/Maputo", "central africa": "Africa/Maputo",
    "eat": "Africa/Nairobi", "east africa": "Africa/Nairobi",
    "sast": "Africa/Johannesburg", "south africa": "Africa/Johannesburg", "south african": "Africa/Johannesburg",
    "idt": "Asia/Jerusalem", "israeli": "Asia/Jerusalem",
    "gst": "Asia/Dubai",
    # Asia and Oceania
    "pkt": "Asia/Karachi", "pakistan": "Asia/Karachi",
    "india": "Asia/Kolkata", "indian": "Asia/Kolkata",
    "npt": "Asia/Kathmandu", "nepal": "Asia/Kathmandu",
    "ict": "Asia/Bangkok", "indochina": "Asia/Bangkok",
    "wib": "Asia/Jakarta", "western indonesia": "Asia/Jakarta", "western indonesian": "Asia/Jakarta",
    "wita": "Asia/Makassar", "wit": "Asia/Jayapura",
    "sgt": "Asia/Singapore", "myt": "Asia/Kuala_Lumpur", "malaysia": "Asia/Kuala_Lumpur",
    "pht": "Asia/Manila", "philippine": "Asia/Manila", "philippines": "Asia/Manila",
    "hkt": "Asia/Hong_Kong", "china": "Asia/Shanghai",
    "kst": "Asia/Seoul", "korea": "Asia/Seoul", "korean": "Asia/Seoul",
    "jst": "Asia/Tokyo", "japanese": "Asia/Tokyo",
    "awst": "Australia/Perth", "australian western": "Australia/Perth",
    "acst": "Australia/Adelaide", "acdt": "Australia/Adelaide", "australian central": "Australia/Adelaide",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "australian eastern": "Australia/Sydney",
    "aus eastern": "Australia/Sydney",
    "nzst": "Pacific/Auckland", "nzdt": "Pacific/Auckland", "nzt": "Pacific/Auckland",
    "new zealand": "Pacific/Auckland",
}  # fmt: skip
# Names that several regions use about as often, each with the zones it can mean: asked back,
# never guessed, as a wrong guess puts every nudge hours off (IANA itself writes IST for India,
# for Ireland's summer and for Israel's winter).
_AMBIGUOUS = {
    "ist": (("India", "Asia/Kolkata"), ("Ireland", "Europe/Dublin"), ("Israel", "Asia/Jerusalem")),
    "sst": (("American Samoa", "Pacific/Pago_Pago"), ("Singapore", "Asia/Singapore")),
}
_NOTES = {"gmt": GMT_AS_UTC, "greenwich mean": GMT_AS_UTC}
_ALIAS_WORDS = (
    "time", "standard time", "daylight time", "summer time", "daylight saving time", "daylight savings time",
    "time zone", "timezone", "standard", "daylight",
)  # fmt: skip
# Abbreviations that are also English words, so never taken as part of an unquoted date
# (`due:friday wet paint`); quoted, or after `tz:`, they are zones all the same.
_WORDS_TOO = frozenset({"art", "cat", "eat", "wat", "wet", "wit"})
# Old IANA names kept for compatibility (US/Eastern, Canada/Pacific, Japan): shown as today's name.
_LEGACY_PREFIXES = ("US/", "Canada/", "Mexico/", "Brazil/", "Chile/")


class AmbiguousZone(UsageError):
    """A zone name several regions use (`IST`): the reply lists each one's zone to give instead."""

    def __init__(self, typed: str, readings: tuple[tuple[str, str], ...]) -> None:
        super().__init__(which_zone(typed, readings))


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


def _stems(key: str) -> Iterator[str]:
    """`central standard time`, then `central`: a zone's name with and without the `time` words
    people write after it."""
    yield key
    for words in sorted(_ALIAS_WORDS, key=len, reverse=True):
        if key.endswith(" " + words):
            yield key[: -len(words) - 1]


def _alias(typed: str) -> ZoneMatch | None:
    """`EST`, `Eastern`, `Eastern Time`, `Central European Summer Time`, `JST` → the region's
    zone; a name several regions use (`IST`) raises `AmbiguousZone` instead of guessing."""
    key = " ".join(typed.replace("_", " ").split()).lower()
    for stem in _stems(key):
        if stem in _AMBIGUOUS:
            raise AmbiguousZone(typed.strip(), _AMBIGUOUS[stem])
        if stem in _ALIASES:
            return ZoneMatch(_ALIASES[stem], _NOTES.get(stem))
    return None


def _zone_time(key: str) -> str | None:
    """`Tokyo time`, `Japan Standard Time`, `Europe/Paris time`: a zone's own name or city
    followed by `time` words (alone, a city is a place, looked up as one). The index of zones is
    built only for such words: every date's last words are asked, and it holds 0.5 MB."""
    stems = list(_stems(key))[1:]
    if not stems:
        return None
    by_name, by_city = _zone_index()
    for stem in stems:
        found = by_name.get(stem.replace(" ", "_")) or by_city.get(stem)
        if found:
            return _current(found)
    return None


#: Abbreviations a date may end with, unquoted (`due:friday 5pm ET`): read as part of the date.
ZONE_ABBREVIATIONS = frozenset(
    key for key in (*_ALIASES, *_AMBIGUOUS) if key.isalpha() and len(key) <= 4 and key not in _WORDS_TOO
)
#: The most words a zone's name takes (`central european daylight saving time`).
_LONGEST = max(len(key.split()) for key in _ALIASES) + max(len(words.split()) for words in _ALIAS_WORDS)


def zone_after(text: str) -> tuple[str, str] | None:
    """`friday 7pm ET` → (`friday 7pm`, America/New_York): the zone a date and time end with, by a
    common name or abbreviation (`ET`, `JST`, `Central European Time`, `UTC`), a zone's name with
    `time` (`Tokyo time`) or an IANA name (`Europe/Paris`); the same names `profile tz:` takes,
    from the same table. None when they end with none. Cities alone are left out: `7pm Reading`
    is no zone. A name several regions use (`IST`) raises `AmbiguousZone`."""
    words = text.split()
    for count in range(_LONGEST, 0, -1):
        if len(words) > count:
            typed = " ".join(words[-count:])
            alias = _alias(typed)
            found = alias.name if alias is not None else _zone_time(typed.lower())
            if found is None and "/" in typed:
                known = lookup_known(typed)
                found = known.name if known is not None else None
            if found is not None:
                return " ".join(words[:-count]), found
    return None


def lookup_known(text: str) -> ZoneMatch | None:
    """A zone from a common name or abbreviation, an IANA name or a zone's own city, without
    the city list. A name several regions use (`IST`) raises `AmbiguousZone`."""
    key = " ".join(text.strip().replace("_", " ").split()).lower()
    alias = _alias(text)
    if alias is not None:
        return alias
    by_name, by_city = _zone_index()
    slashed = key.replace(" ", "/", 1).replace(" ", "_")  # `US Eastern`, `America New York`: a slash left out
    exact = by_name.get(text.strip().lower()) or by_name.get(key.replace(" ", "_")) or by_name.get(slashed)
    if exact:
        return ZoneMatch(_current(exact))
    if key in by_city:
        return ZoneMatch(_current(by_city[key]))
    named = _zone_time(key)
    return ZoneMatch(named) if named else None


async def find_zone(text: str) -> ZoneMatch | None:
    """A zone for a common name, an IANA name, or a place (`Boston`, `Portland, OR`,
    `Paris, France`): the most populous namesake wins unless a state or country is given.
    Zones' names come first, so an airport's code (JST is Johnstown's) never passes for one."""
    known = lookup_known(text)
    if known or not text.strip() or len(text) > 100:
        return known
    return await asyncio.to_thread(_place, text)


def _place(text: str) -> ZoneMatch | None:
    """A place's zone. One found by a code the city list keeps for it (an airport's: `LAX`,
    `YVR`) says which place it took, so an abbreviation missing from the table above cannot
    pass unseen for a city on another continent."""
    found = place_zone(text)
    if found is None:
        return None
    name, note = found
    word = text.strip()
    if note is None and word.isalpha() and (len(word) <= 3 or word.isupper()):
        cities = find_cities(word)
        if cities and fold(cities[0].name) != fold(word):
            place = f"{cities[0].name}, {region_of(cities[0])}"
            note = took_place(word, place)
    return ZoneMatch(name, note)


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
    # The names people call zones first, so a tie goes to them: `Eastren` is Eastern time, not
    # Easter Island's; `Estern Time` is compared without its `time`.
    stems = list(_stems(" ".join(key.replace("_", " ").split())))
    scored = [(max(_similarity(stem, alias) for stem in stems), zone) for alias, zone in _ALIASES.items()]
    scored += [(_similarity(key.replace(" ", "_"), name), by_name[name]) for name in candidates]
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


def later_by(moment: datetime, by: timedelta, tz: ZoneInfo) -> datetime:
    """`moment` moved `by` later as a person counts: whole days move the local date and keep the
    clock time (`snooze 1d` on the night the clocks change is the same time tomorrow, not an hour
    off it); the rest (`1h30m`) is time that passes."""
    days = timedelta(days=by.days)
    local = moment.astimezone(tz)
    return localize(local.date() + days, local.time(), tz) + (by - days)


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
        on = day + timedelta(days=ahead)
        # On a fall-back night the end may come twice (01:30, then 01:30 again an hour later):
        # from inside the repeated hour, the second is still ahead, not tomorrow's.
        again = datetime.combine(on, end).replace(tzinfo=tz, fold=1).astimezone(UTC)
        for candidate in (wall_instant(on, end, tz), again):
            if candidate >= moment and not quiet.contains(minutes_of(candidate, tz)):
                return candidate
    # Only a window that leaves no waking minute on several days in a row gets here.
    candidate = moment
    while quiet.contains(minutes_of(candidate, tz)):
        candidate += timedelta(minutes=1)
    return candidate
