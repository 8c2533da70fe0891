"""Dates, durations and clock times, in the speaker's zone, across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.dates import (
    _DAY_MONTH,
    _ISO_DATE_TIME,
    _MONTH_DAY,
    NotADate,
    When,
    _natural,
    _numbered,
    _weekday,
    parse_when,
)
from bot.core.errors import UsageError
from bot.core.values import normalise_region, normalise_skill, parse_clock, parse_duration, parse_quiet
from bot.zones import localize

CHICAGO = ZoneInfo("America/Chicago")
MONDAY = datetime(2026, 11, 23, 16, tzinfo=UTC)  # 10:00 in Chicago


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3d", timedelta(days=3)), ("2w", timedelta(weeks=2)), ("1h30m", timedelta(minutes=90)),
     ("2 weeks", timedelta(weeks=2)), ("in 3 days", timedelta(days=3)), ("a week", timedelta(weeks=1)),
     ("45 minutes", timedelta(minutes=45)), ("1 day, 2 hours", timedelta(hours=26))],
)  # fmt: skip
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "3x", "-2d", "d3", "99999w", "2 2"])
def test_bad_durations_are_refused_kindly(text: str) -> None:
    with pytest.raises(UsageError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "day", "at"),
    [("friday", date(2026, 11, 27), None), ("in 2 weeks", date(2026, 12, 7), None),
     ("2026-12-01", date(2026, 12, 1), None), ("3d", date(2026, 11, 26), None),
     ("tomorrow", date(2026, 11, 24), None), ("dec 4", date(2026, 12, 4), None),
     ("friday 5pm", date(2026, 11, 27), time(17)), ("tomorrow at 09:30", date(2026, 11, 24), time(9, 30)),
     ("2h", date(2026, 11, 23), time(12)),
     # As said (`pause for 3 days`, `by friday`), or as a key the command lacks (`snooze f1 until:monday`):
     ("for 3 days", date(2026, 11, 26), None), ("until:monday", date(2026, 11, 30), None),
     ("by: friday", date(2026, 11, 27), None)],
)  # fmt: skip
def test_dates_are_read_in_the_speakers_zone(text: str, day: date, at: time | None) -> None:
    when = parse_when(text, CHICAGO, MONDAY)
    assert (when.day, when.at) == (day, at)


def test_the_date_depends_on_the_speakers_zone() -> None:
    late = datetime(2026, 11, 24, 3, tzinfo=UTC)  # Monday 21:00 in Chicago, Tuesday already in Berlin
    assert parse_when("tomorrow", CHICAGO, late).day == date(2026, 11, 24)
    assert parse_when("tomorrow", ZoneInfo("Europe/Berlin"), late).day == date(2026, 11, 25)


@pytest.mark.parametrize("text", ["2026-01-01", "yesterday", "last week", "2020-02-02"])
def test_past_dates_are_refused(text: str) -> None:
    with pytest.raises(UsageError, match="in the past"):
        parse_when(text, CHICAGO, MONDAY)


@pytest.mark.parametrize(
    ("text", "meant"),
    [("tomorow", "tomorrow"), ("thursdya 7pm", "thursday 7pm"), ("Fridya", "friday"), ("nxet week", "next week"),
     ("decmber 20", "december 20"), ("in 3 dyas", "in 3 days")],
)  # fmt: skip
def test_a_slip_of_the_keyboard_is_told_what_was_meant(text: str, meant: str) -> None:
    with pytest.raises(NotADate) as unread:
        parse_when(text, CHICAGO, MONDAY)
    assert unread.value.meant == meant
    assert str(unread.value) == f"I can't read {text} as a date. Did you mean {meant}?"  # (`meant` in code)


@pytest.mark.parametrize("text", ["blah", "fri 7pmm", "yesterdya", "febuary 30"])
def test_nothing_is_suggested_that_would_not_read_or_is_past(text: str) -> None:
    with pytest.raises(NotADate) as unread:
        parse_when(text, CHICAGO, MONDAY)
    assert unread.value.meant is None


def test_today_is_not_the_past() -> None:
    assert parse_when("2026-11-23", CHICAGO, MONDAY).day == date(2026, 11, 23)


def test_a_due_date_lasts_to_the_end_of_the_local_day() -> None:
    when = parse_when("2026-12-01", CHICAGO, MONDAY)
    assert when.end_of_day() == datetime(2026, 12, 2, 5, 59, 59, tzinfo=UTC)


def test_a_time_that_spring_forward_skips_moves_later() -> None:
    # 2027-03-14: Chicago jumps from 02:00 to 03:00; 02:30 does not exist.
    moment = localize(date(2027, 3, 14), time(2, 30), CHICAGO)
    assert moment.astimezone(CHICAGO).replace(tzinfo=None) == datetime(2027, 3, 14, 3, 30)


def test_a_time_that_fall_back_repeats_takes_the_first() -> None:
    moment = localize(date(2026, 11, 1), time(1, 30), CHICAGO)
    assert moment == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 CDT, not CST


def test_end_of_day_on_a_dst_day_is_still_the_last_second() -> None:
    when = parse_when("2027-03-14", CHICAGO, MONDAY)
    assert when.end_of_day().astimezone(CHICAGO).replace(tzinfo=None) == datetime(2027, 3, 14, 23, 59, 59)


@pytest.mark.parametrize(("text", "expected"), [("10:00", time(10)), ("9", time(9)), ("9am", time(9)),
                                                ("5:30pm", time(17, 30)), ("12am", time(0))])  # fmt: skip
def test_clock_times(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["25:00", "10:61", "13pm", "noonish"])
def test_bad_clock_times(text: str) -> None:
    with pytest.raises(UsageError):
        parse_clock(text)


def test_quiet_ranges() -> None:
    quiet = parse_quiet("22:00-07:30")
    assert (quiet.start, quiet.end) == (22 * 60, 7 * 60 + 30)
    with pytest.raises(UsageError):
        parse_quiet("22:00")


def test_skills_and_regions_are_normalised() -> None:
    assert normalise_skill("  Social Media! ") == "social-media"
    assert normalise_skill("C++") == "c++"
    assert normalise_region("  upper   midwest ") == ("Upper Midwest", "upper midwest")
    assert normalise_region("NYC metro")[0] == "NYC Metro"
    assert normalise_region("Île-de-France")[0] == "Île-de-France"  # not Île-de-france
    assert normalise_region("DuPage county") == ("DuPage County", "dupage county")
    assert normalise_region("NORTHERN OHIO")[0] == "Northern Ohio"


@pytest.mark.parametrize(
    ("typed", "shown", "key"),
    [
        ("Ohio.", "Ohio", "ohio"),
        ("Ohio, USA", "Ohio", "ohio"),
        ("ohio usa", "Ohio", "ohio"),
        ("New York State", "New York", "new york"),
        ("Ontario, Canada", "Ontario", "ontario"),
        ("Texas;", "Texas", "texas"),
        ("upper-midwest", "Upper-midwest", "upper midwest"),  # grouped with Upper Midwest
        ("Bay Area.", "Bay Area", "bay area"),
        ("Washington, D.C.", "Washington, D.C.", "washington, d.c."),  # an initial's full stop stays
        ("St. Louis", "St. Louis", "st. louis"),
        ("Upper Midwest, USA", "Upper Midwest, USA", "upper midwest, usa"),  # no region left to name
    ],
)
def test_what_people_type_after_a_regions_name_groups_it_with_the_name(typed: str, shown: str, key: str) -> None:
    """`coverage` showed `Ohio.` and `Ohio, USA` as regions of their own beside Ohio."""
    assert normalise_region(typed) == (shown, key)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.sampled_from(["America/Chicago", "Europe/Berlin", "Asia/Kolkata", "UTC"]))
def test_any_text_is_a_date_or_a_usage_error(text: str, zone: str) -> None:
    try:
        when = parse_when(text, ZoneInfo(zone), MONDAY)
    except UsageError:
        return
    assert when.day >= MONDAY.astimezone(ZoneInfo(zone)).date()


# 2026-11-23 is a Monday; the clock is 10:00 in Chicago.
@pytest.mark.parametrize(
    ("text", "day", "at"),
    [
        ("next tuesday 3pm", date(2026, 12, 1), time(15)),  # the Tuesday of next week, not tomorrow
        ("next tuesday", date(2026, 12, 1), None),
        ("next Tuesday at 9:30am", date(2026, 12, 1), time(9, 30)),
        ("3pm next tue", date(2026, 12, 1), time(15)),
        ("tuesday next week", date(2026, 12, 1), None),
        ("next monday", date(2026, 11, 30), None),  # a week from today
        ("next friday, noon", date(2026, 12, 4), time(12)),
        ("tuesday", date(2026, 11, 24), None),  # plain and "this": the coming one, tomorrow
        ("this tuesday", date(2026, 11, 24), None),
        ("this tuesday 3pm", date(2026, 11, 24), time(15)),
        ("this monday 5pm", date(2026, 11, 23), time(17)),  # today, later
    ],
)
def test_next_weekday_means_that_day_of_next_week(text: str, day: date, at: time | None) -> None:
    when = parse_when(text, CHICAGO, MONDAY)
    assert (when.day, when.at) == (day, at)


def test_next_weekday_later_in_the_week_is_the_coming_one_when_that_is_already_next_week() -> None:
    thursday = MONDAY + timedelta(days=3)
    assert parse_when("next tuesday", CHICAGO, thursday).day == date(2026, 12, 1)  # 5 days: no doubt
    assert parse_when("next wednesday", CHICAGO, MONDAY + timedelta(days=2)).day == date(2026, 12, 2)


@pytest.mark.parametrize(
    ("said_on", "text", "message"),
    [
        # On a Sunday it depends on whether the week starts on Sunday or Monday: ask, don't guess.
        (
            date(2026, 11, 29),
            "next tuesday",
            "“Next Tuesday” could be Tue 1 Dec or Tue 8 Dec. Say `tuesday` for Tue 1 Dec",
        ),
        (date(2026, 11, 29), "next monday 9am", "“Next Monday” could be Mon 30 Nov or Mon 7 Dec."),
        (date(2026, 11, 23), "next sunday", "“Next Sunday” could be Sun 29 Nov or Sun 6 Dec."),
        (date(2026, 11, 28), "next sunday", "“Next Sunday” could be Sun 29 Nov or Sun 6 Dec."),
    ],
)
def test_next_weekday_is_refused_with_both_dates_when_the_start_of_the_week_decides(
    said_on: date, text: str, message: str
) -> None:
    now = datetime.combine(said_on, time(16), tzinfo=UTC)
    with pytest.raises(UsageError) as caught:
        parse_when(text, CHICAGO, now)
    assert message.replace("`", "") in str(caught.value).replace("`", "")


def test_next_weekday_with_words_it_cannot_place_is_refused_not_guessed() -> None:
    with pytest.raises(UsageError, match="next tuesday afternoon"):
        parse_when("next tuesday afternoon", CHICAGO, MONDAY)


@pytest.mark.parametrize(
    "text",
    ["friday", "Fri", "monday", "sun", "tues", "today", "tomorrow", "friday 3pm", "fri 15:00",
     "friday at 3pm", "tomorrow 9am", "today 17:00", "friday noon", "on friday", "saturday, 10:30"],
)  # fmt: skip
def test_the_common_forms_read_without_dateparser_as_dateparser_reads_them(text: str) -> None:
    for days in range(7):  # said on each day of a week, at 06:00 in Chicago
        now = datetime(2026, 11, 23, 12, tzinfo=UTC) + timedelta(days=days)
        local = now.astimezone(CHICAGO)
        fast = _weekday(" ".join(text.lower().split()), CHICAGO, local.date())
        assert fast is not None
        slow = _natural(text, CHICAGO, local)
        assert (fast.day, fast.at) == (slow.day, slow.at), (text, f"{local:%A}")


@pytest.mark.parametrize("text", ["2026-11-30 18:00", "2026-11-30T18:00", "2026-12-01 6pm", "2026-12-01 at 9:30am"])
def test_a_date_with_a_time_reads_without_dateparser_as_dateparser_reads_it(text: str) -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    fast = parse_when(text, CHICAGO, now)
    slow = _natural(text, CHICAGO, now.astimezone(CHICAGO))
    assert (fast.day, fast.at) == (slow.day, slow.at)
    assert _ISO_DATE_TIME.fullmatch(text.lower()), "read by the fast path"


@pytest.mark.parametrize(
    ("text", "zone", "moment"),
    [("friday 7pm ET", "America/New_York", datetime(2026, 11, 28, 0, tzinfo=UTC)),
     ("dec 20 5pm EST", "America/New_York", datetime(2026, 12, 20, 22, tzinfo=UTC)),
     ("2026-12-10 18:00 UTC", "UTC", datetime(2026, 12, 10, 18, tzinfo=UTC)),
     ("tomorrow 9am Europe/Paris", "Europe/Paris", datetime(2026, 11, 24, 8, tzinfo=UTC)),
     ("dec 20 7pm eastern time", "America/New_York", datetime(2026, 12, 21, 0, tzinfo=UTC)),
     ("friday 5pm pt", "America/Los_Angeles", datetime(2026, 11, 28, 1, tzinfo=UTC)),
     ("friday 7pm central time", "America/Chicago", datetime(2026, 11, 28, 1, tzinfo=UTC))],
)  # fmt: skip
def test_a_time_that_names_its_zone_is_read_there_not_in_the_speakers(text: str, zone: str, moment: datetime) -> None:
    """dateparser dropped `EST` and read the rest in the speaker's zone: a Chicago lead's "7pm ET"
    was 19:00 in Chicago, an hour late for everyone."""
    when = parse_when(text, CHICAGO, MONDAY)
    assert when.zone.key == zone and when.moment(time(0)) == moment


def test_a_day_in_a_named_zone_is_that_days_end_there_and_the_past_is_judged_there() -> None:
    assert parse_when("dec 20 ET", CHICAGO, MONDAY).end_of_day() == datetime(2026, 12, 21, 4, 59, 59, tzinfo=UTC)
    with pytest.raises(UsageError, match="today 9:00 ET is in the past"):  # 10:00 in Chicago is 11:00 in New York
        parse_when("today 9:00 ET", CHICAGO, MONDAY)
    assert parse_when("today 11:30 ET", CHICAGO, MONDAY).moment(time(0)) == datetime(2026, 11, 23, 16, 30, tzinfo=UTC)
    with pytest.raises(UsageError, match="can't read ET as a date"):
        parse_when("ET", CHICAGO, MONDAY)


@pytest.mark.parametrize(
    "text",
    ["dec 20", "december 20th", "20 dec", "the 20th of december", "Dec. 20", "december 20 at 5 pm",
     "dec 20, 5:30pm", "on dec 20 at noon", "20 december 2026", "Dec 20, 2026 18:00", "Sunday, December 20",
     "sun dec 20 at 5pm"],
)  # fmt: skip
def test_a_month_and_day_read_without_dateparser_as_dateparser_reads_a_coming_one(text: str) -> None:
    for days in range(0, 27, 3):  # said from Monday 23 November to 19 December, at 10:00 in Chicago
        now = MONDAY + timedelta(days=days)
        fast = parse_when(text, CHICAGO, now)
        slow = _natural(text, CHICAGO, now.astimezone(CHICAGO))
        assert (fast.day, fast.at) == (slow.day, slow.at), (text, f"{now:%d %b}")
        assert _MONTH_DAY.fullmatch(text.lower()) or _DAY_MONTH.fullmatch(text.lower()), "read by the fast path"


@pytest.mark.parametrize("text", ["9999-12-31", "dec 31 9999", "12/31/9999", "2037-01-01"])
def test_a_date_beyond_the_horizon_is_refused_as_a_slip_not_an_apology(text: str) -> None:
    """`ask … due:9999-12-31` raised OverflowError at the end of its day (no calendar holds
    10000-01-01) and got the apology; `pause until:` took it. Ten years ahead is the limit."""
    with pytest.raises(UsageError, match=f"{text} is more than 10 years ahead"):
        parse_when(text, CHICAGO, MONDAY)
    assert parse_when("2036-12-31", CHICAGO, MONDAY).end_of_day().year == 2037  # (in UTC)


def test_a_month_and_day_that_passed_lately_is_refused_with_the_year_to_add_not_read_as_next_years() -> None:
    """dateparser read `dec 6` said on 6 December as December next year."""
    december = datetime(2026, 12, 6, 16, tzinfo=UTC)
    assert parse_when("dec 6", CHICAGO, december).day == date(2026, 12, 6)  # today
    with pytest.raises(UsageError, match=r"dec 4 is in the past\. For next year's, add the year: .?dec 4 2027"):
        parse_when("dec 4", CHICAGO, december)
    with pytest.raises(UsageError, match="in the past"):
        parse_when("dec 6 9am", CHICAGO, december)  # 10:00 in Chicago
    assert parse_when("dec 4 2027", CHICAGO, december).day == date(2027, 12, 4)
    assert parse_when("jan 5", CHICAGO, december).day == date(2027, 1, 5)  # long passed this year: next year's
    assert parse_when("sept 3", CHICAGO, december).day == date(2027, 9, 3)
    assert parse_when("feb 29", CHICAGO, december).day == date(2028, 2, 29)  # the next one there is
    with pytest.raises(UsageError, match="Which day in December"):
        parse_when("in december", CHICAGO, december)  # dateparser: 6 December 2027
    for bad, why in (("feb 30", "February has at most 29 days"), ("feb 29 2027", "February 2027 has 28 days")):
        with pytest.raises(UsageError, match=f"{bad} isn't a date: {why}."):
            parse_when(bad, CHICAGO, december)


@pytest.mark.parametrize(
    ("text", "said"),
    [("2027-02-30", "2027-02-30 isn't a date: February 2027 has 28 days."),
     ("2027-04-31 10:00", "2027-04-31 10:00 isn't a date: April 2027 has 30 days."),
     ("4/31", "4/31 isn't a date: April has 30 days."),
     ("2027-13-01", "I can't read 2027-13-01 as a date."),
     ("0000-01-01", "I can't read 0000-01-01 as a date."),
     ("2027-02-00", "I can't read 2027-02-00 as a date.")],
)  # fmt: skip
def test_a_day_past_its_months_end_is_named_so_not_called_unreadable(text: str, said: str) -> None:
    """The form was right, so "I can't read 2027-02-30 … try `2026-12-01`" sent people to the form."""
    with pytest.raises(UsageError) as refused:
        parse_when(text, CHICAGO, MONDAY)
    assert said in str(refused.value)


@pytest.mark.parametrize(
    "text",
    ["tonight", "tonight 9pm", "tonight at 9pm", "this evening", "this afternoon", "tomorrow morning",
     "tomorrow afternoon", "friday evening", "friday in the evening", "friday evening 7pm", "today evening",
     "friday night", "5pm", "at 17:30", "noon", "next week", "next month"],
)  # fmt: skip
def test_parts_of_a_day_a_time_alone_and_next_week_read_without_dateparser_as_dateparser_reads_them(
    text: str,
) -> None:
    lowered = text.lower()
    for days in (0, 1, 2, 3, 4, 5, 6, 66, 67, 68):  # a week, and the end of January (next month: 28 Feb)
        for hour, minute in ((6, 10), (12, 40), (19, 20)):
            local = datetime(2026, 11, 23, hour, minute, tzinfo=CHICAGO) + timedelta(days=days)
            today = local.date()
            fast = _weekday(lowered, CHICAGO, today) or _numbered(lowered, CHICAGO, local)
            assert fast is not None, "read by the fast path"
            slow = _natural(text, CHICAGO, local)
            assert (fast.day, fast.at) == (slow.day, slow.at), (text, f"{local:%a %d %b %H:%M}")


def test_a_weekday_before_a_date_that_is_not_its_own_is_a_question_not_a_guess() -> None:
    december = datetime(2026, 12, 6, 16, tzinfo=UTC)
    assert parse_when("fri 12/11", CHICAGO, december).day == date(2026, 12, 11)
    assert parse_when("friday the 11th", CHICAGO, december).day == date(2026, 12, 11)
    for text in ("sat dec 11", "saturday 12/11", "saturday the 11th", "saturday, 11 december"):
        with pytest.raises(
            UsageError, match=r"Fri 11 Dec is a Friday, not a Saturday\. Which did you mean: .?2026-12-11"
        ):
            parse_when(text, CHICAGO, december)


def test_a_part_of_today_that_has_begun_is_today_not_the_past() -> None:
    """`due:tonight` said at 21:30 was refused: "tonight is in the past"."""
    late = datetime(2026, 12, 7, 3, 30, tzinfo=UTC)  # 21:30 on Sunday 6 December in Chicago
    assert parse_when("tonight", CHICAGO, late) == When(date(2026, 12, 6), None, CHICAGO)
    assert parse_when("this evening", CHICAGO, late) == When(date(2026, 12, 6), None, CHICAGO)
    for past in ("this afternoon", "tonight 9pm"):  # over, or a time that has gone
        with pytest.raises(UsageError, match="in the past"):
            parse_when(past, CHICAGO, late)
    evening = datetime(2026, 12, 7, 1, tzinfo=UTC)  # 19:00: tonight has not begun
    assert parse_when("tonight", CHICAGO, evening) == When(date(2026, 12, 6), time(20), CHICAGO)


def test_numbered_dates_dateparser_misread_are_read_as_meant() -> None:
    """dateparser read `the 3rd` as 20 March, `12/20/26` as 2126, `12/20` said on 20 December as
    next year's, `the 20th` said on 31 January as 20 January (refused as past), and `5pm` said
    after 17:00 on 31 January as 1 January."""
    december = datetime(2026, 12, 20, 16, tzinfo=UTC)  # 10:00 in Chicago
    assert parse_when("the 3rd", CHICAGO, december).day == date(2027, 1, 3)
    assert parse_when("12/20/26", CHICAGO, december).day == date(2026, 12, 20)
    assert parse_when("12/20", CHICAGO, december).day == date(2026, 12, 20)
    assert parse_when("20/12 5pm", CHICAGO, december) == When(date(2026, 12, 20), time(17), CHICAGO)
    january = datetime(2027, 1, 31, 16, tzinfo=UTC)
    assert parse_when("the 20th", CHICAGO, january).day == date(2027, 2, 20)
    assert parse_when("the 31st", CHICAGO, january).day == date(2027, 1, 31)  # today
    assert parse_when("next month", CHICAGO, january).day == date(2027, 2, 28)
    with pytest.raises(UsageError, match=r"1/5 is in the past\. For next year's, add the year: .?1/5/2028"):
        parse_when("1/5", CHICAGO, january)
    late = datetime(2027, 2, 1, 1, 20, tzinfo=UTC)  # 19:20 on 31 January in Chicago
    assert parse_when("5pm", CHICAGO, late).day == date(2027, 2, 1)  # dateparser: 1 January
    with pytest.raises(UsageError, match="2/30 isn't a date: February has at most 29 days"):
        parse_when("2/30", CHICAGO, january)
    with pytest.raises(UsageError, match="can't read"):
        parse_when("the 32nd", CHICAGO, january)
