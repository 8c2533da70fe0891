"""When the next check-in comes (spec §5, §6, §12): options that clash, snoozes, a new zone,
downtime and quiet hours each leave it where the bot says it is."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.text import plain_text
from tests.console_bot import ConsoleBot, joined, to
from tests.scheduling.test_scheduler import record

CHICAGO = ZoneInfo("America/Chicago")
TOKYO = ZoneInfo("Asia/Tokyo")


async def test_every_one_weekday_on_another_is_refused_with_the_usage_and_changes_nothing(bot: ConsoleBot) -> None:
    """`checkin every:friday on:monday` set Mondays without a word (`every:day on:monday` was refused)."""
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.say("alice", "!checkin every:wednesday at:10:00")
    refused = joined(await bot.say("alice", "!checkin every:friday on:monday"))
    assert "`every:friday` and `on:monday` name two different days, so I changed nothing." in refused
    assert "Usage: `checkin [every:" in refused and "Example: `checkin every:monday at:10:00`" in refused
    refused = joined(await bot.say("alice", "!checkin on every:day on:monday"))
    assert "`on:` is for weekly check-ins" in refused and "Usage: `checkin [every:" in refused
    assert "Check-ins are on: every Wednesday at 10:00" in joined(await bot.say("alice", "!checkin"))
    assert "every Friday at 10:00" in joined(await bot.say("alice", "!checkin every:friday on:friday"))  # agree


async def test_a_snooze_that_would_bring_the_check_in_earlier_is_refused(bot: ConsoleBot) -> None:
    """`snooze checkin tomorrow` after `snooze checkin 2w` moved it back two weeks, called "Moved"."""
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.say("alice", "!checkin every:day at:11:00")
    assert "Moved your next check-in to Mon 7 Dec 11:00." in joined(await bot.say("alice", "!snooze checkin 2w"))
    refused = joined(await bot.say("alice", "!snooze checkin tomorrow"))
    assert "Your next check-in is Mon 7 Dec 11:00; a snooze only moves it later" in refused
    assert "leave it earlier, so I changed nothing" in refused
    assert "`checkin at:11:00` to put it back on your schedule" in refused
    assert "Next check-in: Mon 7 Dec 11:00" in joined(await bot.say("alice", "!mine"))
    await bot.say("alice", "!checkin at:11:00")  # the way back, as the refusal says
    assert "Next check-in: Mon 23 Nov 11:00" in joined(await bot.say("alice", "!mine"))
    refused = joined(await bot.say("alice", "!snooze checkin today"))  # at its own time: where it is
    assert "that would leave it right where it is, so I changed nothing" in refused


async def test_a_new_zone_keeps_a_snoozed_check_in_at_its_local_day_and_time(bot: ConsoleBot) -> None:
    """A new zone put the snoozed check-in back on the schedule: snoozed to Tuesday 10:00 in Los
    Angeles, then `profile tz:Asia/Tokyo`, it was asked the next Monday."""
    recorder = record(bot)
    await bot.say("alice", "!profile tz:America/Los_Angeles")
    await bot.say("alice", "!checkin")  # Mondays 10:00; it is 08:00 there
    assert "Tue 24 Nov 10:00" in joined(await bot.say("alice", "!snooze checkin 1d"))
    await bot.say("alice", "!profile tz:Asia/Tokyo")
    mine = joined(await bot.say("alice", "!mine"))
    assert "Next check-in: Tue 24 Nov 10:00. Schedule: every Monday at 10:00." in mine
    await bot.advance("12h")
    asked = [moment.astimezone(TOKYO) for moment, d in recorder.sent if d.key.startswith("checkin:")]
    assert [(m.day, m.hour, m.minute) for m in asked] == [(24, 10, 0)]
    assert "Next check-in: Mon 30 Nov 10:00" in joined(await bot.say("alice", "!mine"))  # then the schedule


async def test_a_snoozed_check_in_whose_local_time_is_past_in_the_new_zone_stays_snoozed(bot: ConsoleBot) -> None:
    await bot.say("alice", "!profile tz:America/Los_Angeles")
    await bot.say("alice", "!checkin every:day at:09:30")  # it is 08:00 there
    assert "Mon 23 Nov 19:30" in joined(await bot.say("alice", "!snooze checkin 10h"))
    await bot.say("alice", "!profile tz:Asia/Tokyo")  # Monday 19:30 is past there: the same moment
    assert "Next check-in: Tue 24 Nov 12:30. Schedule: every day at 09:30." in joined(await bot.say("alice", "!mine"))


async def test_back_from_downtime_before_the_days_check_in_asks_the_missed_one_as_the_days(bot: ConsoleBot) -> None:
    """Down over several days, back at 10:00: the missed question was asked at once, and the
    day's own at 12:00, two hours apart. The missed one is asked, and stands for the day's."""
    recorder = record(bot)
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.say("alice", "!checkin every:day at:12:00")
    bot.clock.set(datetime(2026, 11, 26, 16, tzinfo=UTC))  # Thursday 10:00 there: no ticks ran since Monday
    assert [m for m in to("alice", await bot.advance("1m")) if "Check-in." in m]
    assert "Next check-in: Fri 27 Nov 12:00" in joined(await bot.say("alice", "!mine"))
    await bot.advance("1d 2h")
    asked = [moment.astimezone(CHICAGO) for moment, d in recorder.sent if d.key.startswith("checkin:")]
    assert [(m.day, m.hour) for m in asked] == [(26, 10), (27, 12)]


async def test_a_check_in_asked_late_after_downtime_waits_two_days_from_then_for_its_reminder(
    bot: ConsoleBot,
) -> None:
    """Missed on Monday 10:00 while the bot was down, the question was asked on Wednesday at
    09:00, and an hour later came "still open": two days were counted from Monday."""
    recorder = record(bot)
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.say("alice", "!checkin every:monday at:10:00")  # the first: Monday 30 Nov
    bot.clock.set(datetime(2026, 12, 2, 14, 30, tzinfo=UTC))  # Wednesday 08:30 there: down since Sunday
    await bot.advance("3d")
    sent = [(moment.astimezone(CHICAGO), plain_text(d.message.text)) for moment, d in recorder.sent]
    asked = [moment for moment, text in sent if "Check-in." in text]
    reminded = [moment for moment, text in sent if "still open" in text]
    assert [(m.day, m.hour) for m in asked] == [(2, 9)]
    assert [(m.day, m.hour) for m in reminded] == [(4, 9)], sent  # two days after it was asked


async def test_a_check_in_snoozed_to_earlier_in_a_day_is_that_days_one(bot: ConsoleBot) -> None:
    recorder = record(bot)
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.say("alice", "!checkin every:day at:12:00")
    assert "Tue 24 Nov 11:00" in joined(await bot.say("alice", "!snooze checkin 23h"))
    await bot.advance("2d 2h")
    asked = [moment.astimezone(CHICAGO) for moment, d in recorder.sent if d.key.startswith("checkin:")]
    assert [(m.day, m.hour) for m in asked] == [(24, 11), (25, 12)]


async def test_back_from_downtime_after_the_days_check_in_asks_the_missed_one_once(bot: ConsoleBot) -> None:
    recorder = record(bot)
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.say("alice", "!checkin every:day at:12:00")
    bot.clock.set(datetime(2026, 11, 26, 20, tzinfo=UTC))  # Thursday 14:00 there: the day's is missed
    await bot.advance("1d")
    asked = [moment.astimezone(CHICAGO) for moment, d in recorder.sent if d.key.startswith("checkin:")]
    assert [(m.day, m.hour) for m in asked] == [(26, 14), (27, 12)]


async def test_a_check_in_time_inside_quiet_hours_is_named_as_when_it_really_comes(bot: ConsoleBot) -> None:
    """`checkin at:23:59` said "The first is Mon 23 Nov 23:59", and the question came at 09:00."""
    recorder = record(bot)
    await bot.say("alice", "!profile tz:America/Chicago")
    reply = joined(await bot.say("alice", "!checkin every:day at:23:59"))
    assert "The first is Tue 24 Nov 09:00." in reply
    assert "23:59 is inside your quiet hours (21:00-09:00), so each one waits until they end." in reply
    assert "Like `checkin at:09:00`" in reply
    mine = joined(await bot.say("alice", "!mine"))
    quiet = "Next check-in: Tue 24 Nov 09:00, when your quiet hours (21:00-09:00) end. Schedule: every day at 23:59."
    assert quiet in mine
    await bot.advance("2d")
    asked = [moment.astimezone(CHICAGO) for moment, d in recorder.sent if d.key.startswith("checkin:")]
    assert [(m.day, m.hour, m.minute) for m in asked] == [(24, 9, 0), (25, 9, 0)]
    assert "quiet hours" not in joined(await bot.say("alice", "!checkin at:12:00"))


async def test_the_next_check_in_and_its_schedule_read_as_two_sentences_when_the_zone_is_named(
    bot: ConsoleBot,
) -> None:
    """Someone who never set a zone is asked in the organisation's, named beside the day: `mine`
    read "Mon 23 Nov 19:00 (Chicago time) (every other Monday at 19:00)", brackets on brackets."""
    await bot.say("alice", "!volunteer research")
    bot.dm()
    await bot.say("alice", "!checkin every:2weeks at:19:00")
    mine = joined(await bot.say("alice", "!mine"))
    assert "Next check-in: Mon 23 Nov 19:00 (Chicago time). Schedule: every other Monday at 19:00." in mine
    assert ") (" not in mine
