"""Nothing at the wrong hour, every time in the reader's zone, at the edges of the clock (spec §5,
§6, §11, §12, §15): daylight saving, zones far apart, a new zone while something is queued."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.console_bot import ConsoleBot, joined
from tests.scheduling.test_scheduler import Recorder, record

CHICAGO = ZoneInfo("America/Chicago")
LONDON = ZoneInfo("Europe/London")


def _asked(recorder: Recorder, zone: ZoneInfo) -> list[str]:
    """When each check-in question went out, in `zone`."""
    return [f"{m.astimezone(zone):%a %d %H:%M}" for m, d in recorder.sent if d.key.startswith("checkin:")]


async def test_a_new_zone_to_the_west_does_not_ask_the_days_check_in_again(bot: ConsoleBot) -> None:
    """Asked "Monday 10:00" in London, then `profile tz:America/Chicago` at 05:00 there: the
    Monday 10:00 of Chicago was asked too, six hours after the first (which was still open), and
    `mine` said "Your check-in from Mon 30 Nov is waiting … Next check-in: Mon 30 Nov 10:00"."""
    recorder = record(bot)
    await bot.feed("::at 2026-11-30T08:00Z")  # Monday 08:00 in London
    await bot.say("alice", "!profile tz:Europe/London")
    await bot.say("alice", "!checkin every:monday at:10:00")
    await bot.advance("3h")  # asked at 10:00 London
    await bot.say("alice", "!profile tz:America/Chicago")  # 05:00 in Chicago
    mine = joined(await bot.say("alice", "!mine"))
    assert "Next check-in: Mon 7 Dec 10:00. Schedule: every Monday at 10:00." in mine, mine
    await bot.advance("8d")
    assert _asked(recorder, CHICAGO) == ["Mon 30 04:00", "Mon 07 10:00"]


async def test_a_new_zone_while_the_question_waits_for_the_morning_asks_it_once(bot: ConsoleBot) -> None:
    """A daily 08:00 check-in waits for the end of quiet hours (09:00); moved to Los Angeles at
    08:30 Chicago, where 08:00 is still ahead: one question that morning, at 09:00 there, and
    the next the day after (a guard: before the fix the waiting one was dropped as superseded)."""
    recorder = record(bot)
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.say("alice", "!checkin every:day at:08:00")
    await bot.feed("::at 2026-11-24T14:30Z")  # Tuesday 08:30 Chicago: asked at 08:00, held to 09:00
    await bot.say("alice", "!profile tz:America/Los_Angeles")  # 06:30 there
    await bot.advance("1d 6h")
    assert _asked(recorder, ZoneInfo("America/Los_Angeles")) == ["Tue 24 09:00", "Wed 25 09:00"]


async def test_a_fortnightly_check_in_keeps_its_weeks_and_its_hour_across_the_clock_change(
    tmp_path: Path,
) -> None:
    bot = await ConsoleBot.start(tmp_path / "b.sqlite3", start=datetime(2026, 3, 16, 8, tzinfo=UTC))
    try:
        recorder = record(bot)
        await bot.say("alice", "!profile tz:Europe/London")
        await bot.say("alice", "!checkin every:2weeks on:monday at:10:00")
        await bot.advance("30d")  # the clocks went forward on Sunday 29 March
        assert _asked(recorder, LONDON) == ["Mon 16 10:00", "Mon 30 10:00", "Mon 13 10:00"]
    finally:
        await bot.close()


async def test_a_follow_up_for_a_day_keeps_its_day_in_a_new_zone_once_it_is_due(bot: ConsoleBot) -> None:
    """`follow:today` on Monday in Chicago (stored as 09:00 there, already due), then `profile
    tz:Asia/Tokyo` (Tuesday 01:00 there): it read "due Tue 24 Nov · overdue" beside tomorrow's
    "due Tue 24 Nov", and its reminder said "(due Tue 24 Nov)" for Monday's follow-up."""
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.say("alice", '!contact add name:"Jo" follow:today')
    await bot.say("alice", '!contact add name:"Kim" follow:tomorrow')
    await bot.say("alice", "!profile tz:Asia/Tokyo")
    listed = joined(await bot.say("alice", "!followups"))
    assert "f1 Jo (contact 1) · due Mon 23 Nov · overdue" in listed, listed
    assert "f2 Kim (contact 2) · due Tue 24 Nov" in listed
    later = joined(await bot.advance("2d"))
    assert later.count("Follow up with Jo") == 1 and "Follow up with Jo (due Mon 23 Nov)" in later, later
