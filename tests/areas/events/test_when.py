"""The time rules of events: occurrences by wall time, the day-before moment outside quiet hours,
and a time of day shown even at midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.areas.events.records import Event
from bot.areas.events.when import DAY, HOUR, day_before, occurrence_day, occurrence_start, reminders_to_come
from bot.clock import from_ts
from bot.core.text import Moment
from bot.core.timing import Reader, moment_text
from bot.ids import EventId
from bot.zones import Quiet, minutes_of

CHICAGO = ZoneInfo("America/Chicago")
NIGHTS = Quiet(21 * 60, 9 * 60)


def _weekly(anchor: str, minute: int, every: str = "week") -> Event:
    return Event(EventId(1), "Committee", None, 3600, every, "America/Chicago", anchor, minute, 0, None, None, None,
                 None, "on", 0)  # fmt: skip


def test_a_weekly_meeting_keeps_its_wall_time_across_the_change_of_clocks() -> None:
    event = _weekly("2027-03-04", 19 * 60)
    starts = [from_ts(occurrence_start(event, n)) for n in range(3)]
    assert [s.astimezone(CHICAGO).strftime("%a %d %H:%M") for s in starts] == ["Thu 04 19:00", "Thu 11 19:00",
                                                                               "Thu 18 19:00"]  # fmt: skip
    assert [s.hour for s in starts] == [1, 1, 0]  # in UTC: an hour earlier once daylight saving time starts


def test_a_monthly_event_on_the_31st_falls_on_the_last_day_of_shorter_months() -> None:
    days = [occurrence_day(date(2027, 1, 31), "month", n) for n in range(4)]
    assert days == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert occurrence_day(date(2027, 12, 15), "2weeks", 2) == date(2028, 1, 12)


def test_the_day_before_is_24_hours_before_or_the_last_waking_hour_before_the_quiet_hours() -> None:
    evening = int(datetime(2026, 11, 27, 1, 0, tzinfo=UTC).timestamp())  # Thu 19:00 in Chicago
    assert day_before(evening, CHICAGO, NIGHTS) == evening - DAY
    morning = int(datetime(2026, 11, 26, 14, 0, tzinfo=UTC).timestamp())  # Thu 08:00 in Chicago
    moment = from_ts(day_before(morning, CHICAGO, NIGHTS)).astimezone(CHICAGO)
    assert (moment.day, moment.hour) == (24, 20)  # Tuesday 20:00: the hour before Tuesday night's quiet


@given(
    start=st.integers(min_value=1_800_000_000, max_value=1_900_000_000),
    quiet_start=st.integers(0, 1439),
    quiet_length=st.integers(0, 16 * 60),
    zone=st.sampled_from(["America/Chicago", "Asia/Tokyo", "UTC", "Europe/London", "Australia/Lord_Howe"]),
)
def test_the_day_before_reminder_is_never_inside_quiet_hours_nor_later_than_a_day_before(
    start: int, quiet_start: int, quiet_length: int, zone: str
) -> None:
    window, tz = Quiet(quiet_start, (quiet_start + quiet_length) % 1440), ZoneInfo(zone)
    moment = day_before(start, tz, window)
    assert start - 2 * DAY <= moment <= start - DAY
    assert not window.contains(minutes_of(from_ts(moment), tz))


def test_an_answer_is_promised_the_reminders_still_to_come() -> None:
    evening = int(datetime(2026, 11, 27, 1, 0, tzinfo=UTC).timestamp())  # Thu 19:00 in Chicago
    for before, coming in ((2 * DAY, ("day", "hour")), (DAY + 1, ("day", "hour")), (DAY, ("hour",)),
                           (HOUR + 1, ("hour",)), (HOUR, ()), (60, ())):  # fmt: skip
        assert reminders_to_come(evening, evening - before, CHICAGO, NIGHTS) == coming, before
    morning = int(datetime(2026, 11, 26, 14, 0, tzinfo=UTC).timestamp())  # Thu 08:00: reminded Tue 20:00
    assert reminders_to_come(morning, morning - DAY - 2 * HOUR, CHICAGO, NIGHTS) == ("hour",)  # Wed 06:00: too late


def test_a_time_at_midnight_still_shows_its_time_of_day() -> None:
    midnight = int(datetime(2027, 3, 19, 0, 0, tzinfo=UTC).timestamp())
    now = datetime(2027, 3, 1, tzinfo=UTC)
    assert moment_text(Moment(midnight), Reader(ZoneInfo("UTC"), True), now) == "Fri 19 Mar 00:00"
    assert moment_text(Moment(midnight), Reader(CHICAGO, False), now) == "Thu 18 Mar 19:00 (Chicago time)"
