"""Check-ins (spec §5) and the leads' digest (spec §7), driven through the console clock."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.console_bot import ConsoleBot, joined, public, to
from tests.scheduling.test_scheduler import record

CHICAGO = ZoneInfo("America/Chicago")


async def test_a_weekly_check_in_is_asked_privately_at_the_local_time_and_answered(bot: ConsoleBot) -> None:
    recorder = record(bot)
    await bot.say("alice", "!profile tz:America/Chicago")
    reply = joined(await bot.say("alice", "!checkin every:wednesday at:10:00"))
    assert "every Wednesday at 10:00 (America/Chicago)" in reply and "Wed 25 Nov 10:00" in reply
    assert not to("alice", await bot.advance("1d"))
    asked = joined(to("alice", await bot.advance("1d")))
    assert "What did you work on? Anything blocking? Anything you need?" in asked
    moment = recorder.sent[-1][0].astimezone(CHICAGO)
    assert (moment.weekday(), moment.hour, moment.minute) == (2, 10, 0)
    bot.dm()
    thanks = joined(await bot.say("alice", "Finished the bargaining summary; blocked on budget numbers"))
    assert "Thanks, noted for your check-in of Wed 25 Nov" in thanks
    bot.public()
    leads = joined(to("you", await bot.feed("!checkins")))
    assert "alice: Finished the bargaining summary; blocked on budget numbers" in leads


async def test_a_second_message_soon_after_an_answer_adds_to_it_and_commands_stay_commands(bot: ConsoleBot) -> None:
    """People say a thought in two messages; the second was "I didn't catch that", and lost."""
    await bot.say("alice", "!checkin every:day at:11:00")
    await bot.advance("1h")  # 11:00 in Chicago: asked
    bot.dm()
    await bot.say("alice", "Finished the bargaining summary")
    added = joined(await bot.say("alice", "also need a printer"))
    assert "Added that to your check-in of Mon 23 Nov." in added
    assert "Next check-in" in joined(await bot.say("alice", "mine"))  # a command is still a command
    await bot.advance("31m")
    assert "I didn't catch that" in joined(await bot.say("alice", "and a stapler"))  # later: not added
    bot.public()
    leads = joined(to("you", await bot.feed("!checkins")))
    assert "alice: Finished the bargaining summary\nalso need a printer" in leads and "stapler" not in leads


async def test_a_second_message_that_looks_like_a_mistyped_command_still_adds_to_the_answer(bot: ConsoleBot) -> None:
    """'Aks Dana…' is one slip from `ask`, 'Stop by…' begins with a word meant for `pause`: both
    were answered "Did you mean" and the rest of the answer was lost."""
    await bot.say("alice", "!checkin every:day at:11:00")
    await bot.advance("1h")
    bot.dm()
    await bot.say("alice", "Finished the bargaining summary")
    added = joined(await bot.say("alice", "aks Dana about the budget"))
    assert "Added that to your check-in of Mon 23 Nov. Meant `ask`? Send it with `!` in front." in added
    assert "Meant `pause`?" in joined(await bot.say("alice", "Stop by the branch on Friday?"))
    assert "Next: `mine` for your list." in joined(await bot.say("alice", "and the printer"))
    assert "Did you mean `ask`?" in joined(await bot.say("alice", "!aks 3"))  # with `!` it is a command
    await bot.advance("31m")
    assert "Did you mean `ask`?" in joined(await bot.say("alice", "aks 3"))  # later: a typo again
    bot.public()
    leads = joined(to("you", await bot.feed("!checkins")))
    assert "Finished the bargaining summary\naks Dana about the budget\nStop by the branch on Friday?\nand the" in leads


async def test_checkin_alone_shows_the_schedule_and_a_change_keeps_what_was_not_said(bot: ConsoleBot) -> None:
    """`checkin` alone put a Friday 17:00 back to Monday 10:00, and `checkin at:9:00` moved it to Monday."""
    await bot.say("alice", "!profile tz:America/Chicago")
    assert "every Monday at 10:00" in joined(await bot.say("alice", "!checkin"))  # the default, to start
    await bot.say("alice", "!checkin every:friday at:5pm")
    shown = joined(await bot.say("alice", "!checkin"))
    assert "Check-ins are on: every Friday at 17:00 (America/Chicago); the next is Fri 27 Nov 17:00" in shown
    assert "every Friday at 09:00" in joined(await bot.say("alice", "!checkin at:9:00"))
    assert "every other Friday at 09:00" in joined(await bot.say("alice", "!checkin every:2weeks"))
    assert "every day at 09:00" in joined(await bot.say("alice", "!checkin every:day"))
    assert "every Tuesday at 09:00" in joined(await bot.say("alice", "!checkin on:tuesday"))
    assert "`on:` is for weekly check-ins" in joined(await bot.say("alice", "!checkin every:day on:monday"))
    assert "every Tuesday at 09:00" in joined(await bot.say("alice", "!checkin"))  # the refusal changed nothing


async def test_a_new_time_keeps_a_fortnights_weeks(bot: ConsoleBot) -> None:
    await bot.say("alice", "!profile tz:America/Chicago")
    assert "Fri 27 Nov 17:00" in joined(await bot.say("alice", "!checkin every:2weeks on:friday at:5pm"))
    await bot.advance("7d")  # Monday 30 November: the Friday after is off-week
    assert "The first is Fri 11 Dec 09:30" in joined(await bot.say("alice", "!checkin at:9:30"))


async def test_a_check_in_answer_that_is_not_text_is_refused_in_words_and_the_next_one_counts(bot: ConsoleBot) -> None:
    """An answer is no command, so it never reached the check commands get: invalid UTF-8 in it
    (a lone surrogate) ended in the apology; a NUL, on PostgreSQL, too."""
    await bot.say("alice", "!checkin every:day at:11:00")
    await bot.advance("2h")
    bot.dm()
    refused = joined(await bot.say("alice", "Finished \udcff the summary"))
    assert "isn't valid text" in refused and "Sorry, something went wrong" not in refused
    thanks = joined(await bot.say("alice", "Finished\x00 the summary"))
    assert "Thanks, noted for your check-in" in thanks
    bot.public()
    assert "alice: Finished the summary" in joined(to("you", await bot.feed("!checkins")))


async def test_a_lead_asking_before_any_check_in_is_told_so_in_plain_words(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    nobody = "No check-ins in the last two weeks. Members start them with `checkin`."
    assert nobody in joined(to("you", await bot.feed("!checkins")))
    assert "No check-ins from alice in the last two weeks." in joined(to("you", await bot.feed("!checkins @alice")))


async def test_while_paused_the_first_check_in_named_is_the_one_that_will_be_asked(bot: ConsoleBot) -> None:
    """A pause skips the check-ins in it, yet `checkin` said "The first is" a Monday inside it."""
    await bot.say("alice", "!pause until:2026-12-02")  # the console's Monday is 23 November
    bot.dm()
    on = joined(await bot.say("alice", "checkin"))
    assert "The first is Mon 7 Dec 10:00 (Chicago time)." in on, on
    assert "Next check-in: Mon 7 Dec 10:00" in joined(await bot.say("alice", "mine"))
    await bot.say("alice", "pause")
    assert "You're paused, so the next comes once you `resume`." in joined(await bot.say("alice", "checkin"))
    assert "Next check-in: once you `resume`" in joined(await bot.say("alice", "mine"))
    await bot.say("alice", "resume")
    assert "the next is Mon 30 Nov 10:00 (Chicago time)." in joined(await bot.say("alice", "checkin"))
    assert "What did you work on?" in joined(to("alice", await bot.advance("8d")))


async def test_check_in_answers_are_only_shown_privately(bot: ConsoleBot) -> None:
    await bot.say("alice", "!checkin every:day at:11:00")
    await bot.advance("2h")
    lines = await bot.say("alice", "!checkin reply secret plans")
    assert all("secret plans" not in line for line in public(lines))
    lines = await bot.feed("!checkins @alice")
    assert "secret plans" in joined(to("you", lines))
    assert joined(public(lines)) == "I've sent you the details privately."
    assert "Only leads can use `checkins`" in joined(await bot.say("bob", "!checkins"))


async def test_an_unanswered_check_in_is_nudged_after_two_days_once(bot: ConsoleBot) -> None:
    await bot.say("alice", "!checkin every:monday at:11:00")
    await bot.advance("2h")
    assert not to("alice", await bot.advance("1d"))
    reminder = joined(to("alice", await bot.advance("2d")))
    assert "Your check-in from Mon 23 Nov is still open" in reminder
    assert not to("alice", await bot.advance("3d"))


async def test_leads_see_who_has_not_answered(bot: ConsoleBot) -> None:
    await bot.say("alice", "!checkin every:monday at:11:00")
    await bot.say("bob", "!checkin every:monday at:11:00")
    await bot.advance("2h")
    bot.dm()
    await bot.say("alice", "all good")
    bot.public()
    overview = joined(to("you", await bot.feed("!checkins")))
    assert "Not answered yet: bob." in overview


async def test_checkin_off_stops_them_and_a_plain_message_is_not_taken_as_an_answer(bot: ConsoleBot) -> None:
    await bot.say("alice", "!checkin every:day at:11:00")
    said = "Check-ins off. Next: `checkin on every:day at:11:00` starts them again as they were."
    assert said in joined(await bot.say("alice", "!checkin off"))
    assert not to("alice", await bot.advance("3d"))
    bot.dm()
    assert "I didn't catch that: I answer commands" in joined(await bot.say("alice", "hello?"))
    assert "There's no check-in waiting" in joined(await bot.say("alice", "!checkin reply hi"))
    assert "Check-ins on: every day at 11:00" in joined(await bot.say("alice", "!checkin on every:day at:11:00"))
    for schedule, again in (
        ("every:2weeks on:friday at:09:30", "`checkin on every:2weeks on:friday at:09:30`"),
        ("", "`checkin on` starts"),
        ("every:thursday", "`checkin on every:thursday` starts"),
    ):
        await bot.say("alice", f"!checkin {schedule}")
        assert again in joined(await bot.say("alice", "!checkin off")), schedule


async def test_a_check_in_at_0230_on_a_spring_forward_day_is_asked_at_0330(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    bot = await ConsoleBot.start(tmp_path / "dst.sqlite3", start=datetime(2027, 3, 13, 18, tzinfo=UTC))
    try:
        recorder = record(bot)
        await bot.say("alice", "!profile tz:America/Chicago quiet:23:00-01:00")
        await bot.say("alice", "!checkin every:day at:02:30")
        await bot.advance("16h")  # to 2027-03-14 10:00 UTC: the clocks went forward at 08:00 UTC
        asked = [moment for moment, d in recorder.sent if d.key.startswith("checkin:")]
        assert len(asked) == 1
        assert asked[0].astimezone(CHICAGO).replace(tzinfo=None) == datetime(2027, 3, 14, 3, 30)
    finally:
        await bot.close()


async def test_changing_timezone_moves_the_next_check_in_and_the_quiet_hours(bot: ConsoleBot) -> None:
    recorder = record(bot)
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.say("alice", "!checkin every:tuesday at:09:30")
    reply = joined(await bot.say("alice", "!profile tz:Europe/Berlin"))
    assert "Europe/Berlin" in reply
    await bot.advance("2d")
    asked = [moment for moment, d in recorder.sent if d.key.startswith("checkin:")]
    assert len(asked) == 1
    local = asked[0].astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.weekday(), local.hour, local.minute) == (1, 9, 30)


async def test_the_same_timezone_given_again_keeps_a_snoozed_check_in_where_it_was(bot: ConsoleBot) -> None:
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.say("alice", "!checkin every:day at:11:00")
    await bot.say("alice", "!snooze checkin 2d")
    await bot.say("alice", "!profile tz:Chicago region:Ohio")
    assert "Next check-in: Wed 25 Nov 11:00" in joined(await bot.say("alice", "!mine"))


async def test_after_days_of_downtime_a_daily_check_in_is_asked_once(bot: ConsoleBot) -> None:
    await bot.say("alice", "!checkin every:day at:11:00")
    bot.clock.set(datetime(2026, 11, 27, 16, tzinfo=UTC))  # down for four days: no ticks ran
    lines = await bot.advance("1m")
    assert len([m for m in to("alice", lines) if "Check-in." in m]) == 1


async def test_leads_get_a_weekly_digest_at_their_local_time(bot: ConsoleBot) -> None:
    recorder = record(bot)
    await bot.say("alice", "!volunteer research")
    await bot.feed('!ask title:"Digest me" skill:research')
    lines = await bot.advance("7d")
    digests = [m for m in to("you", lines) if "Weekly digest" in m]
    assert len(digests) == 1  # next Monday's: the bot met its admin after this Monday's 09:00
    assert "New volunteers (1): alice." in digests[0] and "1 opened" in digests[0]
    assert "no one from public, academic, school, special or archive libraries" in digests[0]
    sent = [moment for moment, d in recorder.sent if d.key.startswith("digest:")]
    assert [m.astimezone(CHICAGO).strftime("%a %H:%M") for m in sent] == ["Mon 09:00"]
    assert "Weekly digest" in joined(to("you", await bot.feed("!digest")))
    assert "Only leads can use `digest`" in joined(await bot.say("alice", "!digest"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zone=st.sampled_from(["America/Chicago", "Europe/London", "Asia/Kathmandu", "Australia/Lord_Howe",
                          "Pacific/Chatham", "America/St_Johns"]),
    quiet_start=st.integers(0, 23),
    quiet_length=st.integers(1, 14),
    start_hour=st.integers(0, 23),
)  # fmt: skip
async def test_no_message_is_ever_delivered_inside_quiet_hours(
    tmp_path_factory: object, zone: str, quiet_start: int, quiet_length: int, start_hour: int
) -> None:
    import pytest

    assert isinstance(tmp_path_factory, pytest.TempPathFactory)
    start = datetime(2026, 10, 30, start_hour, 7, tzinfo=UTC)  # spans Europe's and America's DST change
    bot = await ConsoleBot.start(tmp_path_factory.mktemp("q") / "q.sqlite3", start=start)
    try:
        recorder = record(bot)
        quiet_end = (quiet_start + quiet_length) % 24
        await bot.say("alice", "!volunteer research")
        await bot.say("alice", f"!profile tz:{zone} quiet:{quiet_start:02d}:00-{quiet_end:02d}:00")
        await bot.say("alice", "!checkin every:day at:12:00")
        await bot.feed('!ask title:"Ping" skill:research due:in 5 days')
        await bot.say("alice", "!claim 1")
        await bot.advance("10d")
        assert any(delivery.user_id == "alice" for _, delivery in recorder.sent)
        tz = ZoneInfo(zone)
        for moment, delivery in recorder.sent:
            if delivery.user_id != "alice":
                continue
            hour = moment.astimezone(tz).hour
            inside = (hour - quiet_start) % 24 < quiet_length
            assert not inside, (delivery.key, moment.astimezone(tz))
    finally:
        await bot.close()


async def test_an_answer_that_starts_with_a_command_word_is_an_answer_not_a_command(bot: ConsoleBot) -> None:
    """While a check-in waits, the next plain private message is its answer — "Done three
    interviews" is not `done`, "Help is needed with…" is not `help`; only `!`/`/` make a command."""
    await bot.say("alice", "!checkin every:day at:11:00")
    await bot.advance("2h")
    bot.dm()
    thanks = joined(await bot.say("alice", "Done three interviews this week"))
    assert "Thanks, noted for your check-in" in thanks and "claimed ask" not in thanks
    await bot.advance("1d")
    thanks = joined(await bot.say("alice", "Help is needed with the survey"))
    assert "Thanks, noted for your check-in" in thanks and "What I can do" not in thanks
    assert "What I can do" in joined(await bot.say("alice", "!help"))  # a prefixed command is still one
    assert "help" in joined(await bot.say("alice", "help"))  # with nothing waiting, a word is a command
    bot.public()
    answers = joined(to("you", await bot.feed("!checkins @alice")))
    assert "Done three interviews this week" in answers and "Help is needed with the survey" in answers


async def test_while_a_check_in_waits_only_the_prefixed_and_its_own_commands_run(bot: ConsoleBot) -> None:
    """Spec §11: while a check-in is open, the next plain private message is the answer even when
    it is a command's words ("Help!", "Mine!"): only text starting with `!` or `/` is a command
    then. The commands the question itself offers unprefixed (`checkin off`, `checkin reply`) run."""
    await bot.say("alice", "!checkin every:day at:11:00")
    await bot.advance("2h")
    bot.dm()
    assert "Thanks, noted for your check-in of Mon 23 Nov" in joined(await bot.say("alice", "Help!"))
    await bot.advance("1d")
    mine = joined(await bot.say("alice", "!mine"))
    assert "Your check-in from Tue 24 Nov is waiting for your answer." in mine and "Thanks, noted" not in mine
    assert "Check-ins off." in joined(await bot.say("alice", "Checkin off."))
    bot.public()
    answers = joined(to("you", await bot.feed("!checkins @alice")))
    assert "Help!" in answers and "mine" not in answers and "Checkin off" not in answers


async def test_a_command_name_with_a_sentences_end_mark_is_that_command(bot: ConsoleBot) -> None:
    """`help?` and `Mine!` were "I don't know `help?`. Did you mean `help`?"."""
    assert "What I can do" in joined(await bot.feed("!help?"))
    bot.dm()
    assert "Nothing on your list" in joined(await bot.say("alice", "Mine!"))
    assert "No open asks right now." in joined(await bot.say("alice", "asks."))


async def test_mine_shows_the_next_check_in_and_one_waiting_for_an_answer(bot: ConsoleBot) -> None:
    await bot.say("alice", "!profile tz:America/Chicago")
    assert "check-in" not in joined(await bot.say("alice", "!mine")).lower()
    await bot.say("alice", "!checkin every:monday at:11:00")
    mine = joined(to("alice", await bot.say("alice", "!mine")))
    assert "Next check-in: Mon 23 Nov 11:00. Schedule: every Monday at 11:00." in mine
    assert "`snooze checkin 1d`" in mine
    await bot.advance("2h")
    mine = joined(to("alice", await bot.say("alice", "!mine")))
    assert "Your check-in from Mon 23 Nov is waiting for your answer." in mine
    assert "Next check-in: Mon 30 Nov 11:00" in mine and "Next: just reply to me privately" in mine


async def test_snoozing_a_weekly_check_in_moves_it_by_that_much(bot: ConsoleBot) -> None:
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.say("alice", "!checkin every:wednesday at:10:00")
    moved = joined(await bot.say("alice", "!snooze checkin 1d"))
    assert "Moved your next check-in to Thu 26 Nov 10:00." in moved
    assert not [m for m in to("alice", await bot.advance("2d")) if "Check-in." in m]  # not on Wednesday
    assert [m for m in to("alice", await bot.advance("1d")) if "Check-in." in m]  # Thursday instead
    assert "Next check-in: Wed 2 Dec 10:00" in joined(await bot.say("alice", "!mine"))  # then back on schedule


async def test_snoozing_check_ins_one_does_not_have_is_refused_and_changes_nothing(bot: ConsoleBot) -> None:
    assert "You have no check-ins scheduled" in joined(await bot.say("alice", "!snooze checkin 1d"))
    await bot.say("alice", "!checkin every:monday at:11:00")
    assert "I can't read" in joined(await bot.say("alice", "!snooze checkin soon"))
    assert "Next check-in: Mon 23 Nov 11:00" in joined(await bot.say("alice", "!mine"))


async def test_the_digest_counts_an_answer_as_an_answer(bot: ConsoleBot) -> None:
    for name in ("sam", "kim"):
        await bot.say(name, "!profile tz:America/Chicago")
        await bot.say(name, "!checkin every:day at:11:00")
    await bot.advance("1d 2h")  # asked Monday and Tuesday
    bot.dm()
    assert "Thanks, noted for your check-in of Tue 24 Nov" in joined(await bot.say("sam", "all good, thanks"))
    bot.public()
    digest = joined(to("you", await bot.feed("!digest")))
    assert "Check-ins: 1 of 2 people answered." in digest
    assert "Not heard from: kim." in digest and "sam" not in digest
    overview = joined(to("you", await bot.feed("!checkins")))
    assert "Not answered yet: kim." in overview


async def test_the_digest_counts_the_week_to_the_minute_through_a_new_zone_and_forget_me(bot: ConsoleBot) -> None:
    async def check_ins() -> str:
        return next(line for line in to("you", await bot.feed("!digest")) if "Check-ins" in line or "Not heard" in line)

    for name in ("sam", "kim", "lee"):
        await bot.say(name, "!checkin every:monday at:11:00")  # Chicago: 17:00 UTC
    await bot.advance("2h")
    bot.dm()
    await bot.say("sam", "all good")  # at 18:00 UTC
    bot.public()
    digest = joined(to("you", await bot.feed("!digest")))
    assert "Check-ins: 1 of 3 people answered." in digest and "Not heard from: kim, lee." in digest
    await bot.say("kim", "!profile tz:Asia/Tokyo")  # her next check-in moves; this week's stays counted
    assert "1 of 3 people answered" in await check_ins()
    bot.dm()
    await bot.say("lee", "!forget me")
    await bot.say("lee", "!forget me confirm")
    bot.public()
    digest = joined(to("you", await bot.feed("!digest")))
    assert "Check-ins: 1 of 2 people answered." in digest and "Not heard from: kim." in digest
    await bot.advance("6d 23h 30m")  # Monday 17:30 UTC: last Monday's questions left the week, sam's answer not yet
    digest = joined(to("you", await bot.feed("!digest")))  # asked again: kim at 02:00 UTC, sam at 17:00
    assert "Check-ins: 1 of 2 people answered." in digest and "Not heard from: kim." in digest
    await bot.advance("1h")  # sam's answer, a week and half an hour ago, has left the week too
    digest = joined(to("you", await bot.feed("!digest")))
    assert "Check-ins: 0 of 2 people answered." in digest and "Not heard from: kim, sam." in digest
