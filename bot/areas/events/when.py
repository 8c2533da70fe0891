"""When things happen for an event: its occurrences, by wall time in its own zone (a weekly 19:00
meeting in Chicago stays 19:00 when daylight saving time starts), and the moment each reminder
is for, in the reader's own zone and waking hours."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.areas.events.records import Event
from bot.clock import from_ts, to_ts
from bot.zones import Quiet, localize, minutes_of, wall_instant

HOUR = 3600
DAY = 86400
#: "Who did you meet?" is asked this long after an occurrence ends (at a waking hour).
MET_AFTER = 2 * HOUR
#: Answers to occurrences that ended this long ago are no longer asked about, nor weighed for pairing.
RECENT = 7 * DAY


def occurrence_day(anchor: date, every: str | None, steps: int) -> date:
    """The local date `steps` occurrences after `anchor`; a monthly event on the 31st falls on
    the last day of shorter months."""
    if every == "week":
        return anchor + timedelta(weeks=steps)
    if every == "2weeks":
        return anchor + timedelta(weeks=2 * steps)
    if every == "month":
        years, month = divmod(anchor.month - 1 + steps, 12)
        year = anchor.year + years
        return date(year, month + 1, min(anchor.day, calendar.monthrange(year, month + 1)[1]))
    return anchor


def occurrence_start(event: Event, seq: int) -> int:
    """When occurrence `seq` of an event starts (epoch seconds), by wall time in the event's zone."""
    day = occurrence_day(date.fromisoformat(event.anchor), event.every, seq - event.anchor_seq)
    return to_ts(localize(day, time(event.at_minute // 60, event.at_minute % 60), ZoneInfo(event.tz)))


def day_before(starts_at: int, zone: ZoneInfo, quiet: Quiet) -> int:
    """When the day-before reminder goes: 24 hours before, or, when that falls inside the reader's
    quiet hours, at the start of the last waking hour before those quiet hours began."""
    target = from_ts(starts_at - DAY)
    if not quiet.contains(minutes_of(target, zone)):
        return to_ts(target)
    began = _quiet_began(target, zone, quiet)
    return to_ts(began) - HOUR


def day_reminder_goes(starts_at: int, answered_at: int, send_at: int, at: int) -> bool:
    """Whether the day-before reminder, for `send_at` and sent `at`, goes to an answer given at
    `answered_at`: not to one given since it was due, nor with an hour or less to go (the hour
    before's is next)."""
    return answered_at < send_at and starts_at - at > HOUR


def hour_reminder_goes(starts_at: int, answered_at: int) -> bool:
    """Whether the hour-before reminder goes to an answer given at `answered_at`: not to one given
    within the hour."""
    return answered_at < starts_at - HOUR


def reminders_to_come(starts_at: int, answered_at: int, zone: ZoneInfo, quiet: Quiet) -> tuple[str, ...]:
    """The reminders (`day`, `hour`) an answer given now will get, by the rules above, for the one
    who answered to be told no more than will come."""
    send_at = day_before(starts_at, zone, quiet)
    day = ("day",) if day_reminder_goes(starts_at, answered_at, send_at, send_at) else ()
    return day + (("hour",) if hour_reminder_goes(starts_at, answered_at) else ())


def _quiet_began(inside: datetime, zone: ZoneInfo, quiet: Quiet) -> datetime:
    """The moment the quiet stretch holding `inside` began."""
    start = time(quiet.start // 60, quiet.start % 60)
    local = inside.astimezone(zone).date()
    began = wall_instant(local, start, zone)
    return began if began <= inside else wall_instant(local - timedelta(days=1), start, zone)
