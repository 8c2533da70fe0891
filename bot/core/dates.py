"""Dates people type: read in the speaker's own zone, or in the zone they end with.

`thursday 19:00 ET`, `2026-12-03 18:00 UTC`: a Chicago lead's "7pm ET" is 18:00 in Chicago. A date
without a time of day ("friday", "in 2 weeks", "2026-12-01") stays a *date*; each feature decides
what time on that date means (a due date lasts until the end of the day, a follow-up is due in the
morning). The forms people type most are read here; dateparser reads the rest (`_natural`).
"""

from __future__ import annotations

import calendar
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import WEEKDAYS
from bot.core import words
from bot.core.date_slips import respelt
from bot.core.errors import UsageError
from bot.core.text import Rich
from bot.core.values import parse_clock, parse_duration
from bot.zones import localize, zone_after

_HAS_TIME = re.compile(r"\d:\d\d|\d\s*(am|pm)\b|\b(noon|midnight|morning|afternoon|evening|tonight)\b")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEKDAYS = {day[:3]: number for number, day in enumerate(WEEKDAYS)}  # `fri` → 4, as `date.weekday()`
_DAY_NAMES = r"monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun"
_DAY = rf"(?P<day>{_DAY_NAMES})"
_AT = r"(?:at\s+)?(?:noon|\d{1,2}(?::\d{2})?\s*(?:am|pm)?)"
_NEXT_DAY = re.compile(rf"(?:(?P<before>{_AT})\s+)?(?:on\s+)?next\s+{_DAY}\b(?:\s*,?\s*(?P<after>{_AT}))?")
_DAY_NEXT_WEEK = re.compile(
    rf"(?:(?P<before>{_AT})\s+)?(?:on\s+)?{_DAY}\s+(?:of\s+)?next\s+week(?:\s*,?\s*(?P<after>{_AT}))?"
)
_THIS_DAY = re.compile(
    rf"(?:(?P<before>{_AT})\s+)?(?:on\s+)?(?P<this>this|coming|this coming)\s+{_DAY}\b(?:\s*,?\s*(?P<after>{_AT}))?"
)
_CLEAR_AT = r"(?:at\s+)?(?:noon|\d{1,2}:\d{2}\s*(?:am|pm)?|\d{1,2}\s*(?:am|pm))"  # a time nobody could misread
_PART = r"(?:in\s+the\s+)?(?P<part>morning|afternoon|evening|night)"
#: `friday`, `tomorrow 9am`, `tonight`, `this evening`, `friday evening 7pm`: a day, then a part of
#: it, a time, or both.
_PLAIN_DAY = re.compile(
    rf"(?:on\s+)?(?:{_DAY}|(?P<near>today|tomorrow|tonight|this))(?:\s*,?\s*{_PART})?(?:\s*,?\s*(?P<after>{_CLEAR_AT}))?"
)
#: What "morning" means (`friday morning`), and when something named by a day alone comes: a
#: follow-up due on a date, an announcement for a day, a claim's reminders snoozed to one.
MORNING = time(9)
#: Parts of a day as dateparser reads them; "friday night" is a day.
_PARTS = {"morning": MORNING, "afternoon": time(15), "evening": time(18), "tonight": time(20), "night": None}
#: A part of today without a time (`tonight`, `this afternoon`): once it has begun, and until it
#: ends (its hour), it is today, not a moment past.
_PART_OF_TODAY = re.compile(rf"(?:today|tonight|this)(?:\s*,?\s*{_PART})?")
_PART_ENDS = {"morning": 12, "afternoon": 18, "evening": 24, "tonight": 24, "night": 24}
_TIME_ALONE = re.compile(_CLEAR_AT)  # `5pm`, `at 17:30`, `noon`: the next such time
_NEXT_SPAN = re.compile(r"next\s+(?P<span>week|month)")
#: A weekday before a date (`friday, dec 20`, `fri 12/20`): checked against the date.
_ON_WEEKDAY = rf"(?:on\s+)?(?:(?P<weekday>{_DAY_NAMES})\.?\s*,?\s+)?"
_NTH_ALONE = re.compile(
    rf"{_ON_WEEKDAY}(?:on\s+)?(?:the\s+)?(?P<nth>\d{{1,2}})(?:st|nd|rd|th)(?:\s*,?\s*(?P<after>{_CLEAR_AT}))?"
)
#: `12/20`, `12/20/2026`, `12/20/26 5pm`: month first, as dateparser reads English; day first
#: when the first number cannot be a month (`20/12`).
_SLASHED = re.compile(
    rf"{_ON_WEEKDAY}(?:on\s+)?(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})(?:/(?P<year>\d{{4}}|\d{{2}}))?(?:\s*,?\s*(?P<after>{_CLEAR_AT}))?"
)
#: `2026-11-30 18:00`, `2026-11-30T18:00`, `2026-11-30 6pm`: how a date and time are written for
#: an event, read here (dateparser takes 1 ms a parse, and 130 ms for its first in a process).
_ISO_DATE_TIME = re.compile(rf"(?P<day>\d{{4}}-\d{{2}}-\d{{2}})(?:t|\s+)(?P<at>{_CLEAR_AT})")
_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")  # fmt: skip
_MONTHS = {name: number for number, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                                      "sep", "oct", "nov", "dec"), start=1)}  # fmt: skip
_NTH = r"(?P<nth>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_AT = rf"(?:,?\s+(?P<year>\d{{4}}))?(?:\s*,?\s*(?P<after>{_CLEAR_AT}))?"
_MONTH_DAY = re.compile(
    rf"{_ON_WEEKDAY}(?:on\s+)?{_MONTH}\s+{_NTH}{_YEAR_AT}"
)  # `dec 20`, `december 20th, 2026 at 5pm`
_MONTH_ALONE = re.compile(rf"(?:in\s+|this\s+|next\s+)?{_MONTH}(?:\s+(?P<year>\d{{4}}))?")  # `december`: which day?
_DAY_MONTH = re.compile(
    rf"{_ON_WEEKDAY}(?:on\s+)?(?:the\s+)?{_NTH}\s+(?:of\s+)?{_MONTH}{_YEAR_AT}"
)  # `20 dec`, `the 20th of december`
#: A month and day without a year that passed less than this long ago is refused as past (with the
#: year to add), not read as next year's: `dec 4` said on 6 December is a slip, not December 2027;
#: `sept 3` said then is next September's.
RECENTLY = timedelta(days=90)
#: The furthest a date may be: nothing a network plans lies further, and `9999-12-31` (whose end
#: of day no calendar holds) is a slip, refused as one, not an apology.
HORIZON_YEARS = 10


@dataclass(frozen=True)
class When:
    """A moment someone named: a local date, and the time of day if they gave one."""

    day: date
    at: time | None
    zone: ZoneInfo

    @property
    def has_time(self) -> bool:
        return self.at is not None

    def moment(self, default_time: time) -> datetime:
        """The UTC moment, using `default_time` when only a date was given."""
        return localize(self.day, self.at or default_time, self.zone)

    def end_of_day(self) -> datetime:
        """The exact moment if a time was given, else the last second of that local day."""
        if self.at is not None:
            return localize(self.day, self.at, self.zone)
        return localize(self.day + timedelta(days=1), time(0), self.zone) - timedelta(seconds=1)


#: Words people put before a date they type as they would say it: `pause until friday`, `by monday`,
#: `pause for 3 days`, and as a key the command lacks: `snooze f1 until:monday`.
_LEADING = re.compile(r"^(?:until|till|by|for)(?:\s+|\s*:\s*)(?=\S)", re.IGNORECASE)


def parse_when(text: str, tz: ZoneInfo, now: datetime) -> When:
    """A date in natural language, read in `tz` unless it names its own zone; refuses the past.
    Unread because of a slip of the keyboard (`thursdya 7pm`), it says what was meant."""
    try:
        return _when(text, tz, now)
    except NotADate as unread:
        meant = respelt(text)
        if meant is None or not _reads(meant, tz, now):
            raise unread from None
        raise NotADate(words.bad_date(text, meant), meant=meant) from None


def _reads(text: str, tz: ZoneInfo, now: datetime) -> bool:
    try:
        _when(text, tz, now)
    except UsageError:  # (no date, or one in the past: not worth suggesting)
        return False
    return True


def _when(text: str, tz: ZoneInfo, now: datetime) -> When:
    cleaned = _LEADING.sub("", " ".join(text.strip().split()))
    if not cleaned or len(cleaned) > 60:
        raise _bad_date(text)
    said, named = cleaned, zone_after(cleaned)
    if named is not None:  # (dateparser would drop `EST` and read the rest in `tz`)
        cleaned, tz = named[0], ZoneInfo(named[1])
    local_now = now.astimezone(tz)
    lowered = cleaned.lower()
    when: When | None = None
    dated = _ISO_DATE_TIME.fullmatch(lowered)
    if _ISO_DATE.match(lowered) or dated:
        day = dated["day"] if dated else lowered
        try:
            when = When(date.fromisoformat(day), _time_of_day(dated and dated["at"]), tz)
        except ValueError:
            raise _no_such_day(text, int(day[:4]), int(day[5:7]), int(day[8:10])) from None
    else:
        try:
            span = parse_duration(lowered)
        except UsageError:
            span = None
        if span is not None:
            moment = local_now + span
            exact = span % timedelta(days=1) != timedelta()
            when = When(moment.date(), moment.timetz().replace(tzinfo=None) if exact else None, tz)
    if when is None:
        when = (_weekday(lowered, tz, local_now.date()) or _month_day(lowered, tz, local_now.date())
                or _numbered(lowered, tz, local_now) or _natural(cleaned, tz, local_now))  # fmt: skip
    if when.day.year - local_now.year > HORIZON_YEARS:
        raise UsageError(words.too_far_ahead(said, HORIZON_YEARS))
    part = _PART_OF_TODAY.fullmatch(lowered) if when.at is not None and when.moment(time(0)) < now else None
    if part is not None and local_now.hour < _PART_ENDS[part["part"] or "tonight"]:  # `tonight` at 21:30: today
        when = When(when.day, None, tz)
    if when.day < local_now.date() or (when.at is not None and when.moment(time(0)) < now):
        raise UsageError(words.in_the_past(said))
    return when


def _weekday(text: str, tz: ZoneInfo, today: date) -> When | None:
    """`friday`, `tomorrow 9am`, `next tuesday`, `tuesday next week`, `this friday`, each with an optional time of day.

    "This tuesday" is the coming one (today included). "Next tuesday" is the Tuesday of next
    week, as most English speakers mean it: said on a Monday, 8 days ahead (dateparser reads
    it as tomorrow); said on a Thursday, 5 days ahead. Whether a Sunday starts the week or ends
    it decides which week is "next" on a weekend ("next monday" said on a Sunday): then the
    answer is a question back, never a guess.
    """
    plain = _PLAIN_DAY.fullmatch(text)
    if plain is not None:
        return _plain_day(plain, tz, today)
    match = _NEXT_DAY.fullmatch(text) or _DAY_NEXT_WEEK.fullmatch(text) or _THIS_DAY.fullmatch(text)
    if match is None:
        if _NEXT_DAY.search(text) or _DAY_NEXT_WEEK.search(text):
            raise UsageError(words.bad_next_day(text))
        return None
    parts = match.groupdict()
    target = _WEEKDAYS[parts["day"][:3]]
    ahead = (target - today.weekday()) % 7
    this = parts.get("this") is not None
    day = today + timedelta(days=ahead) if this else _day_of_next_week(target, today)
    at = _time_of_day(parts.get("before") or parts.get("after"))
    return When(day, at, tz)


def _plain_day(match: re.Match[str], tz: ZoneInfo, today: date) -> When | None:
    """`friday`, `fri 15:00`, `tomorrow 9am`: the forms people type most, read here rather than by
    dateparser (about 1 ms a parse, the dearest step of a command that takes one). A bare weekday
    is the next one after today, a week ahead when it is today, as dateparser reads it too
    (`tests/unit/test_values.py` compares the two on every day of a week)."""
    near, part = match.group("near"), match.group("part")
    if (near == "this" and part is None) or (near == "tonight" and part is not None):
        return None  # `this` alone, `tonight evening`: dateparser's to read or refuse
    if near is not None:
        day = today + timedelta(days=1 if near == "tomorrow" else 0)
    else:
        day = _after_today(_WEEKDAYS[match.group("day")[:3]], today)
    at = _time_of_day(match.group("after"))
    return When(day, at if at is not None else _PARTS.get(part or near or ""), tz)


def _month_day(text: str, tz: ZoneInfo, today: date) -> When | None:
    """`dec 20`, `20 december 2026`, `december 20th at 5pm`: read here, not by dateparser, which
    read a day that had passed this year as next year's (`dec 6` said on 6 December was a year
    away) and costs 1 ms a parse and 9 MB once. Without a year it is the coming one, unless it
    passed lately (`RECENTLY`): then it is refused, with the year to add."""
    match = _MONTH_DAY.fullmatch(text) or _DAY_MONTH.fullmatch(text)
    if match is None:
        alone = _MONTH_ALONE.fullmatch(text)
        if alone is not None:  # (dateparser: today's day of that month, next year)
            named = date(2000, _MONTHS[alone["month"][:3]], 1)
            example = " ".join(filter(None, (f"{named:%b}".lower(), "20", alone["year"])))
            raise UsageError(words.which_day_in(f"{named:%B}", example))
        return None
    month, nth = _MONTHS[match["month"][:3]], int(match["nth"])
    day = _in_year(month, nth, match["year"], text, today, lambda year: f"{match['month']} {nth} {year}")
    return When(_on_its_weekday(day, match), _time_of_day(match["after"]), tz)


def _on_its_weekday(day: date, match: re.Match[str]) -> date:
    """The day, if the weekday said before it (`friday, dec 20`) is its own; else a question."""
    said = _WEEKDAYS[match["weekday"][:3]] if match["weekday"] else None
    if said is None or said == day.weekday():
        return day
    raise UsageError(words.not_that_weekday(_short(day), f"{day:%A}", WEEKDAYS[said], day.isoformat()))


def _in_year(month: int, nth: int, year: str | None, text: str, today: date, again: Callable[[int], str]) -> date:
    """That day of that month: of `year` when given (`26` is 2026), else the coming one, unless it
    passed lately (`RECENTLY`), when it is refused with the year to add, written as `again` writes it."""
    given = int(year) + (2000 if len(year) == 2 else 0) if year is not None else None
    years: Iterable[int] = [given] if given is not None else range(today.year - 1, today.year + 5)  # (a 29 February)
    days = [day for day in (_valid(number, month, nth) for number in years) if day is not None]
    if not days:
        raise _no_such_day(text, given, month, nth)
    passed = max((day for day in days if day < today), default=None)
    if year is None and passed is not None and today - passed < RECENTLY:
        raise UsageError(words.past_add_the_year(text, again(passed.year + 1)))
    return days[0] if year is not None else min(day for day in days if day >= today)


def _numbered(text: str, tz: ZoneInfo, local_now: datetime) -> When | None:
    """`5pm` (the next 17:00), `next week`, `next month`, `the 20th`, `12/20`: read here, where
    dateparser read `the 3rd` as 20 March, `12/20/26` as 2126, and `12/20` said on 20 December as
    December next year."""
    today = local_now.date()
    if (alone := _TIME_ALONE.fullmatch(text)) is not None:
        at = _time_of_day(alone.group())
        assert at is not None
        return When(today if localize(today, at, tz) > local_now else today + timedelta(days=1), at, tz)
    if (span := _NEXT_SPAN.fullmatch(text)) is not None:
        if span["span"] == "week":
            return When(today + timedelta(days=7), None, tz)
        year, month = divmod(today.month, 12)  # (December's next month is January, a year on)
        last = calendar.monthrange(today.year + year, month + 1)[1]
        return When(date(today.year + year, month + 1, min(today.day, last)), None, tz)
    if (ordinal := _NTH_ALONE.fullmatch(text)) is not None:
        number = int(ordinal["nth"])
        months = (date(today.year + (today.month + k - 1) // 12, (today.month + k - 1) % 12 + 1, 1) for k in range(13))
        days = [day for day in (_valid(m.year, m.month, number) for m in months) if day is not None and day >= today]
        if not days:
            raise _bad_date(text)
        return When(_on_its_weekday(days[0], ordinal), _time_of_day(ordinal["after"]), tz)
    if (slashed := _SLASHED.fullmatch(text)) is not None:
        a, b = int(slashed["a"]), int(slashed["b"])
        month, nth = (b, a) if a > 12 else (a, b)
        typed = f"{slashed['a']}/{slashed['b']}"
        day = _in_year(month, nth, slashed["year"], text, today, lambda year: f"{typed}/{year}")
        return When(_on_its_weekday(day, slashed), _time_of_day(slashed["after"]), tz)
    return None


def _valid(year: int, month: int, nth: int) -> date | None:
    try:
        return date(year, month, nth)
    except ValueError:  # 30 February; 29 February in most years
        return None


def _after_today(target: int, today: date) -> date:
    """The first `target` weekday after today (a week ahead when today is one)."""
    return today + timedelta(days=(target - today.weekday()) % 7 or 7)


def _day_of_next_week(target: int, today: date) -> date:
    """The `target` weekday of next week; refused when the week's first day decides it."""
    coming = _after_today(target, today)
    ahead = (coming - today).days
    same_week_from_monday = today.weekday() + ahead <= 6
    same_week_from_sunday = (today.weekday() + 1) % 7 + ahead <= 6
    if same_week_from_monday and same_week_from_sunday:
        return coming + timedelta(days=7)
    if not same_week_from_monday and not same_week_from_sunday:
        return coming
    later = coming + timedelta(days=7)
    raise UsageError(words.which_next(f"{coming:%A}", _short(coming), _short(later), later.isoformat()))


def _short(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _time_of_day(text: str | None) -> time | None:
    if not text:
        return None
    cleaned = text.strip().removeprefix("at ").strip()
    if cleaned == "noon":
        return time(12)
    return parse_clock(cleaned)


def _natural(text: str, tz: ZoneInfo, local_now: datetime) -> When:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import dateparser

        try:
            found = dateparser.parse(
                text,
                languages=["en"],
                settings={
                    "PREFER_DATES_FROM": "future",
                    "RELATIVE_BASE": local_now.replace(tzinfo=None),
                    "RETURN_AS_TIMEZONE_AWARE": False,
                },
            )
        except (ValueError, OverflowError, TypeError, AttributeError, KeyError):
            raise _bad_date(text) from None
    if found is None:
        raise _bad_date(text)
    has_time = bool(_HAS_TIME.search(text.lower()))
    return When(found.date(), found.time().replace(microsecond=0) if has_time else None, tz)


class NotADate(UsageError):
    """Text that reads as no date at all (not one in the past, or one to say more of); `meant`,
    the same with a slip put right, when that reads as one."""

    def __init__(self, message: Rich, meant: str | None = None) -> None:
        super().__init__(message)
        self.meant = meant


def _bad_date(text: str) -> UsageError:
    return NotADate(words.bad_date(text))


def _no_such_day(text: str, year: int | None, month: int, day: int) -> UsageError:
    """`2026-02-30`, `feb 30`: a day past its month's end is named as such (the format was right);
    anything else that is no date (`2026-13-01`, year 0) is unreadable."""
    if not 1 <= month <= 12 or (year is not None and year < 1):
        return _bad_date(text)
    longest = calendar.monthrange(2000 if year is None else year, month)[1]  # (2000: a leap year)
    if day <= longest:  # the day is there: what is wrong is something else
        return _bad_date(text)
    name = f"{date(2000, month, 1):%B}"
    if year is None:  # `feb 30`: no year has it
        return NotADate(words.no_such_day(text, name, longest, at_most=month == 2))
    return NotADate(words.no_such_day(text, f"{name} {year}", longest))
