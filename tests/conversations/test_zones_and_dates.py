"""Zones and dates as people type them (spec §12): the region's zone with its daylight saving
time, a city with its state or country, a suggestion for a typo, and "next tuesday"."""

from __future__ import annotations

import pytest

from tests.console_bot import ConsoleBot, joined, public


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("EST", "America/New_York"),
        ("CST", "America/Chicago"),
        ("Pacific", "America/Los_Angeles"),
        ("US/Eastern", "America/New_York"),
        ('"Portland, OR"', "America/Los_Angeles"),
        ('"Portland, Oregon"', "America/Los_Angeles"),
        ('"Paris, France"', "Europe/Paris"),
    ],
)
async def test_a_zone_as_people_name_it_is_saved_as_the_regions_zone(bot: ConsoleBot, typed: str, zone: str) -> None:
    await bot.say("alice", "!volunteer research")
    reply = joined(await bot.say("alice", f"!profile tz:{typed}"))
    assert "Saved tz." in reply, reply
    assert zone in joined(await bot.say("alice", "!profile"))


async def test_a_misspelt_zone_gets_one_suggestion(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    reply = joined(await bot.say("alice", "!profile tz:America/Chicgo"))
    assert "I don't know the timezone America/Chicgo. Did you mean `America/Chicago`? Use a name" in reply


async def test_an_offset_is_refused_with_why_and_a_zone_to_give_instead(bot: ConsoleBot) -> None:
    """A fixed offset would put reminders an hour off for half the year (spec §12: zones, not offsets)."""
    await bot.say("alice", "!volunteer research")
    for typed in ("+0200", "UTC+2", '"GMT -05:00"'):
        reply = joined(await bot.say("alice", f"!profile tz:{typed}"))
        assert "is an offset, and daylight saving moves it twice a year." in reply, typed
        assert "like `tz:Berlin` or `tz:Europe/Berlin`" in reply and "Saved" not in reply
    assert "timezone: not set" in joined(await bot.say("alice", "!profile"))


async def test_next_tuesday_said_on_a_monday_is_a_week_tomorrow(bot: ConsoleBot) -> None:
    # The console's clock starts on Monday 23 Nov 2026, 10:00 in Chicago.
    reply = joined(public(await bot.feed('!ask title:"Call the branch" due:"next tuesday 3pm"')))
    assert "Posted ask 1." in reply
    assert "Tue 1 Dec" in reply, reply


async def test_next_sunday_said_on_a_monday_is_asked_back_not_guessed(bot: ConsoleBot) -> None:
    reply = joined(await bot.feed('!ask title:"Call the branch" due:"next sunday"'))
    assert "“Next Sunday” could be Sun 29 Nov or Sun 6 Dec." in reply
    assert "Posted" not in reply
