"""Reminders to everyone who said yes or maybe (spec §15): a day before at a waking hour in their
own zone, an hour before whatever the hour, once each across restarts, bundled with nudges
that fall due with them but never held by the one bundle a day; none for a time that changed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import icalendar

from tests.areas.events.people import Recorder, meet_everyone, post
from tests.console_bot import ConsoleBot, joined

COMMITTEE = 'title:"Organising committee" when:thursday 7pm length:90m where:"Zoom"'  # Fri 27 Nov 01:00 UTC


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _nudged(recorder: Recorder, title: str) -> list[datetime]:
    """When alice was nudged about her claim on the ask called `title`."""
    return [moment for moment, text in recorder.to("alice", title) if "no update for" in text]


async def _queued_not_delivered(bot: ConsoleBot) -> None:
    """Alice's and bob's day-before reminders (due 01:00 UTC) are queued by the sweep, and the
    process stops before the deliverer runs (as a crash or a restart would leave them)."""
    await bot.feed("::at 2026-11-26T00:59Z")
    bot.clock.set(at("2026-11-26T01:00"))
    for sweep, _ in bot.app.scheduler.sweeps:
        await sweep(bot.clock.now())


async def _answered(bot: ConsoleBot, options: str = COMMITTEE) -> Recorder:
    recorder = Recorder(bot)
    await meet_everyone(bot)
    await post(bot, options)
    for name, answer in (("alice", "yes"), ("bob", "yes"), ("carol", "maybe"), ("dave", "no")):
        await bot.say(name, f"!rsvp 1 {answer}")
    return recorder


async def test_each_reader_is_reminded_a_day_before_at_a_waking_hour_and_an_hour_before(bot: ConsoleBot) -> None:
    recorder = await _answered(bot)
    await bot.advance("5d")
    day = {name: recorder.to(name, "Coming up:") for name in ("alice", "bob", "carol", "dave")}
    assert [m for m, _ in day["alice"]] == [at("2026-11-26T01:00")]  # Wed 19:00 in Chicago
    assert [m for m, _ in day["bob"]] == [at("2026-11-26T01:00")]  # Thu 10:00 in Tokyo
    # 01:00 in UTC is inside carol's quiet hours (21:00-09:00): the last waking hour before them.
    assert [m for m, _ in day["carol"]] == [at("2026-11-25T20:00")]
    assert not day["dave"]  # he said no
    assert "Coming up: Organising committee (Zoom), Fri 27 Nov 10:00. Can't make it" in day["bob"][0][1]
    assert "Fri 27 Nov 01:00" in day["carol"][0][1]
    hour = {name: recorder.to(name, "Starting soon:") for name in ("alice", "bob", "carol")}
    # Midnight in UTC: carol chose to attend at 01:00, so the hour before may wake her.
    assert {name: [m for m, _ in sent] for name, sent in hour.items()} == {
        name: [at("2026-11-27T00:00")] for name in ("alice", "bob", "carol")
    }
    assert "Starting soon: Organising committee at Thu 26 Nov 19:00 (Zoom). See you there!" in hour["alice"][0][1]
    await bot.advance("3d")
    assert len(recorder.to("alice", "Coming up:")) == len(recorder.to("alice", "Starting soon:")) == 1  # once each


async def test_a_morning_event_is_reminded_the_evening_before_the_quiet_hours_not_at_night(bot: ConsoleBot) -> None:
    recorder = await _answered(bot, 'title:"Breakfast" when:2026-11-26 08:00')  # 24 h before: Wed 08:00, quiet
    await bot.advance("3d")
    assert [m for m, _ in recorder.to("alice", "Coming up:")] == [at("2026-11-25T02:00")]  # Tue 20:00 Chicago


async def test_someone_who_answers_after_the_day_before_moment_gets_only_the_hour_before(bot: ConsoleBot) -> None:
    recorder = Recorder(bot)
    await meet_everyone(bot)
    await post(bot, COMMITTEE)
    await bot.feed("::at 2026-11-26T12:00Z")
    await bot.say("alice", "!rsvp 1 yes")
    await bot.advance("2d")
    assert not recorder.to("alice", "Coming up:")
    assert len(recorder.to("alice", "Starting soon:")) == 1


async def test_paused_people_are_still_reminded_of_an_event_they_said_yes_to(bot: ConsoleBot) -> None:
    """Pause stops ask pings, nudges and check-ins (spec §1); event reminders are not nudges
    (§15). A paused member who said yes, before pausing or during it, was told nothing at all."""
    recorder = Recorder(bot)
    await meet_everyone(bot)
    await post(bot, COMMITTEE)
    await bot.say("bob", "!rsvp 1 yes")
    await bot.say("bob", "!pause")
    await bot.say("alice", "!pause")
    assert "I'll remind you a day and an hour before." in joined(await bot.say("alice", "!rsvp 1 yes"))
    await bot.advance("5d")
    for name in ("alice", "bob"):
        assert len(recorder.to(name, "Coming up:")) == len(recorder.to(name, "Starting soon:")) == 1, name
        assert recorder.to(name, "Who did you meet"), name


async def test_an_event_reminder_joins_a_nudge_due_at_the_same_time_in_one_message(bot: ConsoleBot) -> None:
    recorder = Recorder(bot)
    await meet_everyone(bot)
    await bot.say("alice", "!volunteer research")
    await bot.feed('!ask title:"Research task" skill:research')
    await bot.say("alice", "!claim 1")  # no update for 7 days: nudged Mon 30 Nov 16:00 UTC
    await post(bot, 'title:"Picket" when:2026-12-01 10:00')  # the day before: Mon 30 Nov 16:00 UTC too
    await bot.say("alice", "!rsvp 1 yes")
    await bot.advance("7d")
    sent = recorder.to("alice", "A few reminders:")
    assert len(sent) == 1 and sent[0][0] == at("2026-11-30T16:00")
    assert "Research task" in sent[0][1] and "Coming up: Picket" in sent[0][1]
    assert not recorder.to("alice", "Coming up: Picket")[1:]  # in that one message only


async def test_event_reminders_are_never_held_by_the_one_bundle_a_day(bot: ConsoleBot) -> None:
    recorder = Recorder(bot)
    await meet_everyone(bot)
    await bot.say("alice", "!volunteer research")
    await bot.feed('!ask title:"Research task" skill:research')
    await bot.say("alice", "!claim 1")  # nudged Mon 30 Nov 16:00 UTC
    await bot.feed('!ask title:"Second task" skill:research')
    await post(bot, 'title:"Early call" when:2026-12-01 09:00')  # the day before: Mon 30 Nov 15:00 UTC
    await post(bot, 'title:"Picket" when:2026-12-01 13:00')  # the day before: Mon 30 Nov 19:00 UTC
    await bot.say("alice", "!rsvp 1 yes")
    await bot.say("alice", "!rsvp 2 yes")
    await bot.advance("5h")
    await bot.say("alice", "!claim 2")  # its nudge comes due Mon 30 Nov 21:00 UTC, after that day's bundle
    await bot.advance("8d")
    assert [m for m, _ in recorder.to("alice", "Coming up: Early call")] == [at("2026-11-30T15:00")]
    # That message of event reminders alone did not use up Monday's nudge…
    assert _nudged(recorder, "Research task") == [at("2026-11-30T16:00")]
    # …and after Monday's nudge went out, the picket reminder still goes the same day…
    assert [m for m, _ in recorder.to("alice", "Coming up: Picket")] == [at("2026-11-30T19:00")]
    # …while a second nudge waits for the next day, as ever.
    assert _nudged(recorder, "Second task") == [at("2026-12-01T15:00")]


async def test_a_reminder_queued_before_a_restart_is_delivered_once_after_it(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    first = await ConsoleBot.start(path)
    recorder = await _answered(first)
    await _queued_not_delivered(first)
    assert not recorder.to("alice", "Coming up:")
    await first.close()

    second = await ConsoleBot.start(path, start=at("2026-11-26T01:00"))  # the same database, a new process
    recorder = Recorder(second)
    await second.advance("1m")
    assert [m for m, _ in recorder.to("alice", "Coming up:")] == [at("2026-11-26T01:00")]  # at once
    await second.advance("2d")
    assert len(recorder.to("alice", "Coming up:")) == len(recorder.to("bob", "Coming up:")) == 1
    assert len(recorder.to("alice", "Starting soon:")) == 1
    await second.close()


async def test_cancelling_after_reminders_were_queued_drops_them_and_tells_each_once(bot: ConsoleBot) -> None:
    recorder = await _answered(bot)
    await _queued_not_delivered(bot)
    lines = await bot.feed("!event cancel 1")
    assert "Cancelled “Organising committee” on Thu 26 Nov 19:00." in joined(lines)
    assert "I'm telling the 3 people who said yes or maybe." in joined(lines)
    await bot.advance("3d")
    for name in ("alice", "bob", "carol"):
        assert len(recorder.to(name, "is cancelled.")) == 1, name
        assert not recorder.to(name, "Starting soon:")
    assert not recorder.to("alice", "Coming up:") and not recorder.to("bob", "Coming up:")  # queued, then dropped
    assert "“Organising committee” on Fri 27 Nov 10:00 is cancelled." in recorder.to("bob", "cancelled")[0][1]
    assert not recorder.to("dave") and not recorder.to("you", "cancelled")
    assert "Event 1 was cancelled." in joined(await bot.say("alice", "!rsvp 1 yes"))


async def test_news_of_edits_waiting_for_the_morning_goes_once_as_the_event_then_stands(bot: ConsoleBot) -> None:
    """Each edit queued a notice of its own, worded as the event was then: bob, asleep in Tokyo,
    woke to two "has changed" messages, the first with a place already changed again and both
    with answers since changed. Told once (spec §15): the latest notice, as it is when it goes."""
    recorder = await _answered(bot)
    await bot.feed("::at 2026-11-24T22:00Z")  # 07:00 in Tokyo and 22:00 in UTC: bob and carol asleep
    await bot.feed('!event edit 1 where:"Room 2"')
    await bot.feed('!event edit 1 where:"Union hall"')
    await bot.say("carol", "!rsvp 1 no")
    await bot.advance("1d")
    told = recorder.to("bob", "has changed")
    assert [m for m, _ in told] == [at("2026-11-25T00:00")], told  # 09:00 in Tokyo, once
    assert "Fri 27 Nov 10:00 · 90 minutes · Union hall · 2 yes, 0 maybe" in told[0][1]  # carol's no since
    assert len(recorder.to("alice", "has changed")) == 2  # awake: each edit was news when it came


async def test_news_of_an_edit_goes_to_nobody_who_then_said_no_nor_once_the_event_is_cancelled(
    bot: ConsoleBot,
) -> None:
    """bob said no after an edit, and still woke to its notice; carol woke to it after the event
    was cancelled, beside the cancellation: two messages about a meeting that isn't happening."""
    recorder = await _answered(bot)
    await bot.feed("::at 2026-11-24T22:00Z")  # bob and carol asleep until 00:00 and 09:00 UTC
    await bot.feed('!event edit 1 where:"Room 2"')
    await bot.say("bob", "!rsvp 1 no")
    await bot.feed("!event cancel 1")
    await bot.advance("1d")
    assert not recorder.to("bob", "has changed") and not recorder.to("bob", "cancelled")
    assert not recorder.to("carol", "has changed")
    assert [m for m, _ in recorder.to("carol", "is cancelled.")] == [at("2026-11-25T09:00")]
    assert len(recorder.to("alice", "has changed")) == len(recorder.to("alice", "is cancelled.")) == 1


async def test_news_of_an_edit_still_goes_once_its_cancellation_is_put_back_unheard(bot: ConsoleBot) -> None:
    recorder = await _answered(bot)
    await bot.feed("::at 2026-11-24T22:00Z")
    await bot.feed('!event edit 1 where:"Room 2"')
    await bot.feed("!event cancel 1")
    await bot.feed("!event restore 1")  # carol never heard it was off: she still hears of the new room
    await bot.advance("1d")
    assert not recorder.to("carol", "cancelled") and not recorder.to("carol", "on after all")
    assert "Room 2" in joined([text for _, text in recorder.to("carol", "has changed")])


async def test_a_reminder_that_failed_in_an_outage_is_dropped_at_its_retry_once_cancelled(bot: ConsoleBot) -> None:
    recorder = await _answered(bot)
    await bot.feed("::at 2026-11-26T00:59Z")
    recorder.down = True
    await bot.feed("::at 2026-11-26T01:00Z")  # tried at 01:00 and failed: the next try is at 01:00:30
    recorder.down = False
    await bot.feed("!event cancel 1")
    await bot.advance("1h")
    assert not recorder.to("alice", "Coming up:") and len(recorder.to("alice", "is cancelled.")) == 1


async def test_news_of_a_change_comes_before_the_hour_before_it_starts_even_in_quiet_hours(bot: ConsoleBot) -> None:
    """A cancellation at 23:00 of a breakfast at 08:00 used to wait for the morning and reach people
    after it began. News comes at a waking hour, but no later than the hour before the start,
    which may wake them as its reminder would."""
    recorder = await _answered(bot)  # it starts at 01:00 UTC on Friday
    await bot.feed("::at 2026-11-26T21:30Z")  # carol (UTC) is asleep until 09:00; alice's afternoon
    await bot.feed("!event cancel 1")
    await bot.advance("12h")
    assert [m for m, _ in recorder.to("carol", "is cancelled.")] == [at("2026-11-27T00:00")]
    assert [m for m, _ in recorder.to("alice", "is cancelled.")] == [at("2026-11-26T21:30")]
    assert [m for m, _ in recorder.to("bob", "is cancelled.")] == [at("2026-11-27T00:00")]  # 09:00 in Tokyo
    await post(bot, 'title:"Breakfast" when:"saturday 8pm"')  # Sun 29 Nov 02:00 UTC
    await bot.say("carol", "!rsvp 2 yes")
    await bot.feed("::at 2026-11-28T22:00Z")
    await bot.feed('!event edit 2 when:"2026-11-28 19:00"')  # an hour earlier: 01:00 UTC
    await bot.advance("12h")
    assert [m for m, _ in recorder.to("carol", "has changed")] == [at("2026-11-29T00:00")]


async def test_news_of_an_event_about_to_start_may_wake_people(bot: ConsoleBot) -> None:
    recorder = await _answered(bot)
    await bot.feed("::at 2026-11-27T00:30Z")  # 00:30 UTC: carol's quiet hours; it starts in 30 minutes
    await bot.feed("!event edit 1 when:friday 7pm")  # moved a day later: she must know now
    assert [m for m, _ in recorder.to("carol", "has changed")] == [at("2026-11-27T00:30")]
    await bot.feed("::at 2026-11-28T00:30Z")
    await bot.feed("!event cancel 1")
    assert [m for m, _ in recorder.to("carol", "is cancelled.")] == [at("2026-11-28T00:30")]
    await bot.feed("::at 2026-11-28T02:00Z")  # 20:00 in Chicago
    await post(bot, 'title:"Next week" when:2026-12-03 19:00')
    await bot.say("carol", "!rsvp 2 yes")
    await bot.feed("!event cancel 2")  # days away: news of it can wait for her morning
    assert [m for m, _ in recorder.to("carol", "“Next week”")] == []
    await bot.advance("12h")
    assert [m for m, _ in recorder.to("carol", "“Next week”")] == [at("2026-11-28T09:00")]


async def test_a_new_time_drops_the_old_reminders_and_reminds_at_the_new_one(bot: ConsoleBot) -> None:
    recorder = await _answered(bot)
    await _queued_not_delivered(bot)  # reminders for the old time
    lines = await bot.feed("!event edit 1 when:saturday 7pm")  # Sun 29 Nov 01:00 UTC
    assert "Updated event 1. I'm telling the 3 people who said yes or maybe." in joined(lines)
    await bot.advance("4d")
    alice = recorder.to("alice", "Coming up:")
    assert [m for m, _ in alice] == [at("2026-11-28T01:00")]
    assert "Sat 28 Nov 19:00" in alice[0][1]
    assert [m for m, _ in recorder.to("alice", "Starting soon:")] == [at("2026-11-29T00:00")]
    assert len(recorder.to("bob", "An event you're going to has changed:")) == 1
    assert "Sun 29 Nov 10:00" in recorder.to("bob", "has changed")[0][1]


async def test_a_weekly_meeting_keeps_its_local_time_across_daylight_saving_and_answers_per_week(
    bot: ConsoleBot,
) -> None:
    recorder = Recorder(bot)
    await meet_everyone(bot)
    await bot.feed("::at 2027-03-01T16:00Z")  # Monday 1 March 2027
    await post(bot, 'title:"Organising committee" when:2027-03-04 19:00 every:week')
    await bot.say("bob", "!rsvp 1 yes")
    assert "Fri 5 Mar 10:00" in joined(await bot.say("bob", "!event 1"))
    await bot.advance("5d")  # past the first meeting: the next one is due its own answers
    nextweek = joined(await bot.say("bob", "!event 1"))
    assert "Fri 12 Mar 10:00" in nextweek and "no answers yet" in nextweek
    await bot.advance("7d")  # past 14 March, when Chicago moves its clocks
    assert "Thu 18 Mar 19:00" in joined(await bot.say("alice", "!events"))
    assert "Fri 19 Mar 09:00" in joined(await bot.say("bob", "!events"))  # Tokyo keeps its clock: an hour earlier
    assert "Fri 19 Mar 00:00" in joined(await bot.say("carol", "!events"))
    await bot.say("alice", "!rsvp 1 yes")
    calendar = icalendar.Calendar.from_ical(bot.console.files["event-1.ics"])
    assert calendar.walk("VEVENT")[0].decoded("dtstart").replace(tzinfo=None) == datetime(2027, 3, 18, 19, 0)
    await bot.advance("6d")
    assert [m for m, _ in recorder.to("alice", "Starting soon:")] == [at("2027-03-18T23:00")]  # 18:00 CDT
    assert len(recorder.to("bob", "Coming up:")) == 1  # for the first week only: he did not answer again


async def test_the_same_answer_again_keeps_a_reminder_that_fell_due_while_the_bot_was_away(bot: ConsoleBot) -> None:
    """`rsvp 1 yes` again changes nothing, as its reply says. It used to stamp a new answer time, so
    a day-before reminder that fell due while the bot was down counted as answered since, and
    was dropped when the bot came back."""
    recorder = await _answered(bot)
    await bot.feed("::at 2026-11-26T00:59Z")
    bot.clock.set(at("2026-11-26T02:00"))  # down at 01:00, when alice's and bob's fell due
    assert "nothing changed" in joined(await bot.say("alice", "!rsvp 1 yes"))
    await bot.advance("1h")
    assert len(recorder.to("alice", "Coming up:")) == len(recorder.to("bob", "Coming up:")) == 1
