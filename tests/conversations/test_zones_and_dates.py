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
        # The city list knows these as airports' codes, which used to win: Johnstown, PA; Kosti,
        # Sudan; Phuket; and CEST, NZST and the long names were not known at all.
        ("JST", "Asia/Tokyo"),
        ("KST", "Asia/Seoul"),
        ("HKT", "Asia/Hong_Kong"),
        ("CEST", "Europe/Brussels"),
        ("NZST", "Pacific/Auckland"),
        ("NZDT", "Pacific/Auckland"),
        ("Japan Standard Time", "Asia/Tokyo"),
        ('"India Standard Time"', "Asia/Kolkata"),
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


async def test_ist_is_asked_back_with_its_three_regions_and_nothing_is_saved(bot: ConsoleBot) -> None:
    """IST is India's, Ireland's summer and Israel's winter: a guess would put every nudge hours
    off for one of them (and the city list would have taken Istanbul, whose airport's code it is)."""
    await bot.say("alice", "!volunteer research")
    reply = joined(await bot.say("alice", "!profile tz:IST"))
    assert (
        "IST could be India, Ireland or Israel time. Say which with its zone: "
        "`Asia/Kolkata`, `Europe/Dublin` or `Asia/Jerusalem`." in reply
    ), reply
    assert "Saved" not in reply
    assert "timezone: not set" in joined(await bot.say("alice", "!profile"))


async def test_a_code_nobody_uses_gets_the_unknown_zone_reply(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    reply = joined(await bot.say("alice", "!profile tz:XYZQ"))
    assert "I don't know the timezone XYZQ." in reply and "Saved" not in reply, reply


async def test_an_airports_code_says_which_place_it_took(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    reply = joined(await bot.say("alice", "!profile tz:LAX"))
    assert "I took LAX as Los Angeles, CA; if you meant a timezone, give its name" in reply, reply
    assert "America/Los_Angeles" in reply


@pytest.mark.parametrize(
    "due", ['due:"friday 5pm JST"', "due:friday 5pm JST", 'due:"friday 17:00 Japan Standard Time"']
)
async def test_a_due_time_in_jst_is_read_in_tokyo_as_profile_tz_reads_it(bot: ConsoleBot, due: str) -> None:
    # Monday 23 Nov 2026 in Chicago: Friday 17:00 in Tokyo is 02:00 that morning in Chicago.
    reply = joined(public(await bot.feed(f'!ask title:"Call the branch" {due}')))
    assert "Posted ask 1." in reply, reply
    assert "due Fri 27 Nov 02:00" in reply, reply


async def test_a_due_time_in_ist_is_asked_back_not_posted(bot: ConsoleBot) -> None:
    reply = joined(await bot.feed('!ask title:"Call the branch" due:"friday 5pm IST"'))
    assert "IST could be India, Ireland or Israel time." in reply, reply
    assert "Posted" not in reply


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


async def test_a_date_or_time_that_cannot_be_read_is_answered_with_the_usage_and_an_example(bot: ConsoleBot) -> None:
    """`ask … due:blorp` and `profile quiet:25:00-08:00` said what was wrong but not how the
    command is typed, as a bad `need:` does (spec §8: the usage line and an example)."""
    await bot.say("alice", "!volunteer research")
    ask = 'Usage: `ask title:"…" [skill:<skill>] [need:<n>] [due:<date>] [details:"…"]`'
    for speaker, line, reason, usage in (
        ("you", '!ask title:"x" due:blorp', "I can't read blorp as a date.", ask),
        ("you", '!ask title:"x" due:yesterday', "yesterday is in the past.", ask),
        ("alice", "!profile quiet:25:00-08:00", "I can't read 25:00 as a time of day.", "Usage: `profile "),
        ("alice", "!pause until:yesterday", "yesterday is in the past.", "Usage: `pause [date]`"),
        ("alice", "!snooze c1 blorp", "I can't read blorp as a length of time or a date.", "Usage: `snooze "),
    ):
        reply = joined(await bot.say(speaker, line))
        assert reason in reply and usage in reply and "Example: `" in reply, (line, reply)
        assert reply.count("Usage:") == 1, reply
    assert "No open asks" in joined(await bot.feed("!asks"))  # and nothing was posted
