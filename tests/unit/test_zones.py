"""Quiet hours and zones: nothing is ever scheduled inside someone's quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.places import place_zone
from bot.zones import Quiet, find_zone, lookup_known, minutes_of, next_allowed, suggest_zones

CHICAGO = ZoneInfo("America/Chicago")
NIGHT = Quiet(21 * 60, 9 * 60)


def test_a_moment_outside_quiet_hours_stays() -> None:
    noon = datetime(2026, 11, 23, 18, tzinfo=UTC)  # 12:00 Chicago
    assert next_allowed(noon, CHICAGO, NIGHT) == noon


def test_late_evening_waits_for_the_next_morning() -> None:
    evening = datetime(2026, 11, 24, 4, tzinfo=UTC)  # 22:00 Chicago
    assert next_allowed(evening, CHICAGO, NIGHT) == datetime(2026, 11, 24, 15, tzinfo=UTC)  # 09:00


def test_early_morning_waits_until_the_window_ends_the_same_day() -> None:
    early = datetime(2026, 11, 24, 9, tzinfo=UTC)  # 03:00 Chicago
    assert next_allowed(early, CHICAGO, NIGHT) == datetime(2026, 11, 24, 15, tzinfo=UTC)


def test_a_daytime_quiet_window() -> None:
    lunch = Quiet(12 * 60, 13 * 60)
    moment = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)  # 12:30 Chicago
    assert next_allowed(moment, CHICAGO, lunch) == datetime(2026, 11, 23, 19, tzinfo=UTC)


def test_the_morning_after_spring_forward_is_nine_local() -> None:
    night = datetime(2027, 3, 14, 6, tzinfo=UTC)  # 00:00 CST, the night DST starts
    allowed = next_allowed(night, CHICAGO, NIGHT)
    assert allowed.astimezone(CHICAGO).hour == 9
    assert allowed == datetime(2027, 3, 14, 14, tzinfo=UTC)  # 09:00 CDT


def test_names_aliases_and_zone_cities() -> None:
    assert lookup_known("america/chicago") is not None
    assert getattr(lookup_known("Eastern"), "name", None) == "America/New_York"
    assert getattr(lookup_known("new york"), "name", None) == "America/New_York"
    assert "America/Chicago" in suggest_zones("America/Chicgo")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("EST", "America/New_York"), ("EDT", "America/New_York"), ("Eastern", "America/New_York"),
        ("ET", "America/New_York"), ("US/Eastern", "America/New_York"), ("Eastern Time", "America/New_York"),
        ("CST", "America/Chicago"), ("Central", "America/Chicago"), ("CT", "America/Chicago"),
        ("US/Central", "America/Chicago"), ("central standard time", "America/Chicago"),
        ("MST", "America/Denver"), ("Mountain", "America/Denver"), ("US/Mountain", "America/Denver"),
        ("PST", "America/Los_Angeles"), ("Pacific", "America/Los_Angeles"), ("PT", "America/Los_Angeles"),
        ("US/Pacific", "America/Los_Angeles"), ("Pacific Time", "America/Los_Angeles"),
        ("EST5EDT", "America/New_York"), ("Canada/Pacific", "America/Vancouver"),
    ],
)  # fmt: skip
def test_zone_abbreviations_mean_the_region_with_its_daylight_saving_time(typed: str, expected: str) -> None:
    found = lookup_known(typed)
    assert found is not None and found.name == expected
    zone = ZoneInfo(found.name)
    winter, summer = datetime(2026, 1, 15, tzinfo=zone), datetime(2026, 7, 15, tzinfo=zone)
    assert winter.utcoffset() != summer.utcoffset()  # a fixed offset would be an hour wrong half the year


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Portland, OR", "America/Los_Angeles"),
        ("Portland, Oregon", "America/Los_Angeles"),
        ("portland,or", "America/Los_Angeles"),
        ("Portland, ME", "America/New_York"),
        ("Paris, France", "Europe/Paris"),
        ("Paris, TX", "America/Chicago"),
        ("Paris, Texas", "America/Chicago"),
        ("London, Ontario", "America/Toronto"),
        ("London, CA", "America/Toronto"),  # no London in California: then Canada
        ("Birmingham, UK", "Europe/London"),
        ("Birmingham, AL", "America/Chicago"),
        ("Atlanta, Georgia", "America/New_York"),
        ("Tbilisi, Georgia", "Asia/Tbilisi"),
        ("Springfield, IL, USA", "America/Chicago"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("MÜNCHEN", "Europe/Berlin"),
    ],
)
async def test_a_city_with_its_state_or_country_finds_that_city(typed: str, expected: str) -> None:
    found = await find_zone(typed)
    assert found is not None and found.name == expected, found


def test_a_city_alone_takes_the_most_populous_and_says_how_to_name_another() -> None:
    assert place_zone("Portland") == (
        "America/Los_Angeles",
        'I took Portland, OR. Another Portland? Say which, like tz:"Portland, ME" or tz:"Portland, OH".',
    )
    assert place_zone("Portland, Oregon") == ("America/Los_Angeles", None)


def test_a_town_too_small_for_the_list_takes_its_states_zone_when_it_has_one() -> None:
    assert place_zone("Hood River, OR") == (
        "America/Los_Angeles",
        "I don't know Hood River, so I took the timezone of Oregon.",
    )
    assert place_zone("Smallville, Indiana") is None  # Indiana has several zones: no guess
    assert suggest_zones("Smallville, Indiana")[:2] == ["America/Indiana/Indianapolis", "America/Chicago"]


def test_an_unknown_state_or_country_is_not_guessed_past() -> None:
    assert place_zone("Portland, Oregn") is None
    assert place_zone("Portland, OR, Atlantis") is None
    assert "America/Los_Angeles" in suggest_zones("Portland, Oregn")


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("America/Chicgo", ["America/Chicago"]),
        ("America/chicgo", ["America/Chicago"]),
        ("Amercia/New_York", ["America/New_York"]),
        ("Europe/Berln", ["Europe/Berlin"]),
        ("chicgo", ["America/Chicago"]),
    ],
)
def test_a_typo_in_a_zone_gets_the_one_close_suggestion(typed: str, suggested: list[str]) -> None:
    assert suggest_zones(typed) == suggested


def test_portland_oregon_is_not_poland() -> None:
    assert "Poland" not in suggest_zones("Portland, OR")


ZONES = ["America/Chicago", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu",
         "Pacific/Chatham", "America/St_Johns", "UTC"]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31)),
    st.sampled_from(ZONES),
    st.integers(0, 1439),
    st.integers(0, 1439),
)
def test_next_allowed_is_never_inside_quiet_hours_and_never_early(
    naive: datetime, zone_name: str, start: int, end: int
) -> None:
    zone = ZoneInfo(zone_name)
    quiet = Quiet(start, end)
    moment = naive.replace(tzinfo=UTC, second=0, microsecond=0)
    allowed = next_allowed(moment, zone, quiet)
    assert allowed >= moment
    assert not quiet.contains(minutes_of(allowed, zone))
    assert allowed - moment <= timedelta(hours=50)  # a 1-minute window can vanish in a DST gap
    # The earliest such moment: a minute before it is quiet (or before `moment`).
    before = allowed - timedelta(minutes=1)
    assert before < moment or quiet.contains(minutes_of(before, zone))


@pytest.mark.parametrize("zone_name", ZONES)
def test_quiet_hours_hold_across_a_whole_year_minute_by_quarter_hour(zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    while moment < datetime(2027, 1, 1, tzinfo=UTC):
        assert not NIGHT.contains(minutes_of(next_allowed(moment, zone, NIGHT), zone))
        moment += timedelta(minutes=15 * 7 + 1)
