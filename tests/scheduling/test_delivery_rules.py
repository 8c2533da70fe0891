"""Every delivery obeys the rules, not only the first (spec §11): a retry after a platform outage
re-checks quiet hours, pause, "still relevant" and one bundle a day."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.adapters.base import DeliveryFailed
from bot.core.messages import Delivery
from bot.core.text import fmt, plain_text
from tests.console_bot import ConsoleBot, joined, make_config, to
from tests.scheduling.test_scheduler import Recorder, record

CHICAGO = ZoneInfo("America/Chicago")


async def _stale_at_2050(bot: ConsoleBot, *titles: str) -> Recorder:
    """alice (Chicago) claims asks at 20:50 on Monday; a week later each is nudged at 20:50,
    ten minutes before her quiet hours."""
    recorder = record(bot)
    await bot.say("alice", "!volunteer research")
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.feed("::at 2026-11-24T02:50Z")  # Mon 20:50 in Chicago
    for title in titles or ("Research task",):
        await bot.feed(f'!ask title:"{title}" skill:research')
    for number in range(1, len(titles or ("x",)) + 1):
        await bot.say("alice", f"!claim {number}")
    await bot.feed("::at 2026-12-01T02:49Z")  # the next Monday, 20:49
    return recorder


async def _outage_until_quiet_hours(bot: ConsoleBot, recorder: Recorder) -> None:
    """The platform fails at 20:50 and the retries until 21:00; it is back before the next one."""
    recorder.sent.clear()
    recorder.failing = True
    await bot.feed("::at 2026-12-01T03:00Z")  # 21:00 in Chicago: tried at 20:50, :50:30, :51:30 …
    assert not recorder.sent
    recorder.failing = False


def _nudges(recorder: Recorder) -> list[tuple[datetime, Delivery]]:
    return [(moment, delivery) for moment, delivery in recorder.sent if delivery.key.startswith("nudge")]


def _chicago_hours(recorder: Recorder) -> list[int]:
    return [moment.astimezone(CHICAGO).hour for moment, _ in _nudges(recorder)]


async def test_a_retry_after_an_outage_waits_for_the_end_of_quiet_hours(bot: ConsoleBot) -> None:
    recorder = await _stale_at_2050(bot)
    await _outage_until_quiet_hours(bot, recorder)
    assert not to("alice", await bot.feed("::at 2026-12-01T14:59Z"))  # nothing before 08:59 Chicago
    morning = to("alice", await bot.feed("::at 2026-12-01T15:01Z"))
    assert len(morning) == 1 and "no update for 7 days" in morning[0]
    assert _chicago_hours(recorder) == [9]


async def test_a_retry_after_an_outage_is_dropped_when_the_claim_was_finished_meanwhile(bot: ConsoleBot) -> None:
    recorder = await _stale_at_2050(bot)
    await _outage_until_quiet_hours(bot, recorder)
    await bot.say("alice", "!done 1")
    assert "no update" not in joined(to("alice", await bot.advance("2d")))
    assert not _nudges(recorder)


async def test_a_retry_after_an_outage_waits_while_the_person_is_paused(bot: ConsoleBot) -> None:
    recorder = await _stale_at_2050(bot)
    await _outage_until_quiet_hours(bot, recorder)
    await bot.say("alice", "!pause")
    assert not to("alice", await bot.advance("3d"))
    await bot.say("alice", "!resume")
    assert "no update for" in joined(to("alice", await bot.advance("1d")))


async def test_a_retried_bundle_and_the_next_days_reminders_still_make_one_message_a_day(bot: ConsoleBot) -> None:
    recorder = await _stale_at_2050(bot, "First", "Second")
    await _outage_until_quiet_hours(bot, recorder)
    await bot.say("you", "!edit 2 due:2026-12-01")  # ask 2 now due Tuesday: a due-soon reminder joins
    await bot.advance("2d")
    days = [moment.astimezone(CHICAGO).date() for moment, _ in _nudges(recorder)]
    assert len(days) == len(set(days)), f"two nudge messages on one day: {days}"
    assert all(9 <= hour < 21 for hour in _chicago_hours(recorder))


class _ClosedTo(Recorder):
    """A platform where some people have closed their private messages to the bot."""

    def __init__(self, bot: ConsoleBot, closed: set[str]) -> None:
        super().__init__(bot)
        self.closed = closed

    async def deliver(self, delivery: Delivery) -> None:
        if delivery.user_id in self.closed:
            raise DeliveryFailed("DMs closed", permanent=True, unreachable=True, advice=fmt("open your DMs"))
        await super().deliver(delivery)


async def test_a_private_message_nobody_can_receive_is_reported_to_whoever_caused_it(bot: ConsoleBot) -> None:
    """bob has closed his DMs: carol, who proposed the intro, learns that bob was not asked."""
    for name in ("alice", "bob", "carol"):
        await bot.say(name, "!volunteer research")
    bot.app.deliverer.adapters["console"] = _ClosedTo(bot, {"bob"})
    lines = await bot.say("carol", '!intro @alice @bob why:"both archivists"')
    told = joined(to("carol", lines + await bot.advance("1m")))
    assert "couldn't reach bob privately" in told and "open your DMs" in told
    assert not to("bob", lines)
    assert "couldn't reach" not in joined(to("carol", await bot.advance("2d")))  # told once


async def test_a_lead_hears_whom_their_announcement_could_not_reach_privately(bot: ConsoleBot) -> None:
    """The announcement's copies are queued as no one's (they must not hold up replies), so a
    copy bob could not receive was parked without a word: "goes privately to 2 people" reached one."""
    for name in ("alice", "bob"):
        await bot.say(name, "!volunteer research")
    bot.app.deliverer.adapters["console"] = _ClosedTo(bot, {"bob"})
    lines = await bot.feed('!announce text:"Meeting tonight" to:everyone')
    told = joined(to("you", lines + await bot.advance("1d")))
    assert "couldn't reach bob privately" in told and "open your DMs" in told
    assert "couldn't reach alice" not in told and "Meeting tonight" in joined(
        to("alice", lines + await bot.advance("1d"))
    )
    assert "couldn't reach" not in joined(to("you", await bot.advance("2d")))  # told once


async def test_an_ask_many_cannot_hear_of_brings_its_poster_one_report_naming_them_not_one_each(
    bot: ConsoleBot,
) -> None:
    """An ask that 2,000 hear of may find hundreds with private messages closed: one report each
    would bury its poster. The reports about one ask gather in one message while it waits; one
    more failure after it went starts another, which waits a few minutes for the rest."""
    closed = [f"m{n}" for n in range(12)]
    for name in ["alice", *closed]:
        await bot.say(name, "!volunteer research")
    adapter = _ClosedTo(bot, set(closed))
    bot.app.deliverer.adapters["console"] = adapter
    lines = await bot.feed('!ask title:"Count the chairs" skill:research')
    reports = [line for line in to("you", lines + await bot.advance("1m")) if "couldn't reach" in line]
    assert len(reports) == 1, reports
    assert "I couldn't reach m0, m1, m2, m3, m4, m5, m6, m7, m8, m9 and 2 others privately" in reports[0]
    assert "my messages about what you did" in reports[0] and "open your DMs" in reports[0]
    await bot.say("zed", "!volunteer research")
    adapter.closed.add("zed")
    await bot.feed("!volunteer research")
    await bot.feed("!claim 1")
    await bot.feed("!release 1")  # open again: everyone who matches hears of it again, from you
    assert not [line for line in to("you", await bot.advance("1m")) if "couldn't reach" in line]
    again = [line for line in to("you", await bot.advance("5m")) if "couldn't reach" in line]
    assert len(again) == 1 and "I couldn't reach zed privately, so my message" in again[0], again  # only zed


async def _stale_at_2200(bot: ConsoleBot, due: str = "") -> Recorder:
    """alice (Chicago) claims an ask at 22:00 on Monday; a week later its "no update" reminder is
    queued inside her quiet hours and waits for 09:00."""
    recorder = record(bot)
    await bot.say("alice", "!volunteer research")
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.feed("::at 2026-11-24T04:00Z")  # Mon 22:00 in Chicago
    await bot.feed(f'!ask title:"Research task" skill:research{due}')
    await bot.say("alice", "!claim 1")
    await bot.feed("::at 2026-12-01T05:00Z")  # a week and an hour later: queued, waiting
    assert not _nudges(recorder)
    return recorder


async def test_a_stale_nudge_waiting_for_the_morning_is_dropped_after_an_update(bot: ConsoleBot) -> None:
    recorder = await _stale_at_2200(bot)
    await bot.say("alice", "!update 1 found three sources")
    await bot.feed("::at 2026-12-01T16:00Z")  # 10:00 in Chicago
    assert not _nudges(recorder)
    assert "no update for 7 days" in joined(to("alice", await bot.advance("7d")))  # a week after the update


async def test_a_stale_nudge_waiting_for_the_morning_is_dropped_after_a_snooze(bot: ConsoleBot) -> None:
    recorder = await _stale_at_2200(bot)
    assert "Snoozed reminders about your claim c1" in joined(await bot.say("alice", "!snooze c1 3d"))
    await bot.feed("::at 2026-12-04T16:00Z")  # past the snooze, before the claim's next reminder
    assert not _nudges(recorder)
    assert "no update for 14 days" in joined(to("alice", await bot.advance("4d")))


async def test_a_due_soon_nudge_waiting_for_the_morning_is_dropped_after_a_snooze(bot: ConsoleBot) -> None:
    recorder = await _stale_at_2200(bot, " due:2026-12-01T21:30")  # due Tuesday 21:30: reminded from Monday 21:30
    await bot.say("alice", "!update 1 nearly there")  # (so the stale one is dropped anyway)
    await bot.say("alice", "!snooze c1 1d")
    await bot.feed("::at 2026-12-01T16:00Z")  # 10:00 in Chicago
    assert not _nudges(recorder)


async def test_a_due_soon_nudge_of_a_date_changed_meanwhile_is_not_sent_beside_the_new_one(bot: ConsoleBot) -> None:
    await _stale_at_2200(bot, " due:2026-12-01T21:30")
    await bot.say("alice", "!update 1 nearly there")
    await bot.feed("!edit 1 due:2026-12-01T22:00")  # the new date is due soon too: reminded, waiting
    morning = joined(to("alice", await bot.feed("::at 2026-12-01T16:00Z")))
    assert morning.count("is due") == 1, morning


async def test_a_due_soon_nudge_held_past_the_due_moment_is_dropped_not_sent_saying_it_is_due(database: str) -> None:
    """With `due_soon_hours: 1`, an ask due Tuesday 02:00 in Chicago was reminded at 01:00, inside
    alice's quiet hours; held to 09:00, it came seven hours late still saying "is due"."""
    bot = await ConsoleBot.start(database, make_config(nudges={"due_soon_hours": 1}))
    try:
        recorder = record(bot)
        await bot.say("alice", "!volunteer research")
        await bot.say("alice", "!profile tz:America/Chicago")
        await bot.feed('!ask title:"Research task" skill:research due:"2026-11-24 02:00"')
        await bot.say("alice", "!claim 1")
        await bot.feed("::at 2026-11-24T18:00Z")  # Tuesday noon in Chicago
        assert not [d for _, d in recorder.sent if "is due" in plain_text(d.message.text)], recorder.sent
    finally:
        await bot.close()
