"""Weekly moments at a configured local time: when the leads' digest and the pairing round run.

Each runs once per ISO week at its weekday and time in a zone (a lead's own, or the
organisation's). If the bot was down at that moment, the work runs once when it is back, in the
same week.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import WEEKDAYS, WeeklyAt
from bot.zones import localize


def week_moment(setting: WeeklyAt, zone: ZoneInfo, around: datetime) -> tuple[datetime, str]:
    """This ISO week's moment for a weekly setting in a zone, and the week's label (2026-W48)."""
    local = around.astimezone(zone).date()
    monday = local - timedelta(days=local.weekday())
    day: date = monday + timedelta(days=WEEKDAYS.index(setting.day.lower()))
    moment = localize(day, time.fromisoformat(setting.time), zone)
    return moment, iso_week(day)


def next_week_moment(setting: WeeklyAt, zone: ZoneInfo, after: datetime) -> datetime:
    moment, _ = week_moment(setting, zone, after)
    if moment > after:
        return moment
    return week_moment(setting, zone, after + timedelta(days=7))[0]


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
