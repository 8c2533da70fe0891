"""Nudges, check-ins and digests (spec §5, §6, §7): at a sane hour, never twice, never lost."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.adapters.base import DeliveryFailed
from bot.core.messages import Delivery
from tests.console_bot import ConsoleBot, joined, to

CHICAGO = ZoneInfo("America/Chicago")


class Recorder:
    """Sits in front of the console adapter and notes when each message went out."""

    platform = "console"

    def __init__(self, bot: ConsoleBot) -> None:
        self.bot = bot
        self.sent: list[tuple[datetime, Delivery]] = []
        self.failing = False

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def deliver(self, delivery: Delivery) -> None:
        if self.failing:
            raise DeliveryFailed("the platform is down")
        self.sent.append((self.bot.clock.now(), delivery))
        await self.bot.console.deliver(delivery)


def record(bot: ConsoleBot) -> Recorder:
    recorder = Recorder(bot)
    bot.app.deliverer.adapters["console"] = recorder
    return recorder


async def _claimed(bot: ConsoleBot, name: str = "alice", title: str = "Research task", due: str = "") -> None:
    await bot.say(name, "!volunteer research")
    await bot.say(name, "!profile tz:America/Chicago")
    lines = await bot.feed(f'!ask title:"{title}" skill:research {due}')
    ask_id = next(line for line in lines if "Posted ask" in line).split("ask ")[1].rstrip(".")
    await bot.say(name, f"!claim {ask_id}")


async def test_a_stale_claim_is_nudged_once_at_a_waking_hour_with_next_steps(bot: ConsoleBot) -> None:
    recorder = record(bot)
    await _claimed(bot)
    assert not to("alice", await bot.advance("6d"))
    lines = await bot.advance("2d")
    nudges = to("alice", lines)
    assert len(nudges) == 1
    assert "no update for 7 days" in nudges[0]
    for step in ("`update 1 <text>`", "`done 1`", "`release 1`", "`snooze c1 3d`"):
        assert step in nudges[0]
    moment = recorder.sent[-1][0].astimezone(CHICAGO)
    assert 9 <= moment.hour < 21
    assert not to("alice", await bot.advance("3d"))  # the same reminder is not sent again


async def test_an_update_resets_the_stale_timer(bot: ConsoleBot) -> None:
    await _claimed(bot)
    await bot.advance("6d")
    await bot.say("alice", "!update 1 halfway there")
    assert not to("alice", await bot.advance("6d"))
    assert "no update for 7 days" in joined(to("alice", await bot.advance("2d")))


async def test_a_claim_still_stale_a_week_later_is_reminded_again(bot: ConsoleBot) -> None:
    await _claimed(bot)
    assert len(to("alice", await bot.advance("8d"))) == 1
    assert "no update for 14 days" in joined(to("alice", await bot.advance("7d")))


async def test_several_reminders_due_together_are_bundled_into_one_message(bot: ConsoleBot) -> None:
    await _claimed(bot, title="First")
    await bot.feed('!ask title:"Second" skill:research')
    await bot.say("alice", "!claim 2")
    nudges = to("alice", await bot.advance("8d"))
    assert len(nudges) == 1
    assert nudges[0].startswith("A few reminders:")
    assert "First" in nudges[0] and "Second" in nudges[0]


async def test_at_most_one_nudge_message_per_person_per_day(bot: ConsoleBot) -> None:
    recorder = record(bot)
    await _claimed(bot, title="Morning")
    await bot.advance("3h")
    await bot.feed('!ask title:"Afternoon" skill:research')
    await bot.say("alice", "!claim 2")
    lines = await bot.advance("7d")  # the first reminder goes out; the second comes due the same day
    assert len(to("alice", lines)) == 1 and "Morning" in joined(to("alice", lines))
    lines = await bot.advance("1d")
    assert "Afternoon" in joined(to("alice", lines))
    days = [moment.astimezone(CHICAGO).date() for moment, d in recorder.sent if d.key.startswith("nudges:")]
    assert len(days) == len(set(days)) == 2


async def test_a_nudge_that_falls_in_quiet_hours_waits_for_the_morning(bot: ConsoleBot) -> None:
    recorder = record(bot)
    await bot.feed("::at 2026-11-24T03:30Z")  # 21:30 in Chicago
    await _claimed(bot)
    assert not to("alice", await bot.advance("7d"))  # due at 21:30 local: quiet
    await bot.advance("1d")
    sent = [moment for moment, d in recorder.sent if d.key.startswith("nudges:")]
    assert len(sent) == 1
    assert sent[0].astimezone(CHICAGO).hour == 9


async def test_paused_volunteers_get_no_nudges_until_they_resume(bot: ConsoleBot) -> None:
    await _claimed(bot)
    await bot.say("alice", "!pause")
    assert not to("alice", await bot.advance("10d"))
    await bot.say("alice", "!resume")
    assert "no update for" in joined(to("alice", await bot.advance("1d")))


async def test_claimants_are_reminded_the_day_before_an_ask_is_due(bot: ConsoleBot) -> None:
    await _claimed(bot, due="due:2026-11-26")
    assert not to("alice", await bot.advance("1d"))
    reminder = joined(to("alice", await bot.advance("2d")))
    assert "is due Thu 26 Nov" in reminder and "`done 1`" in reminder


async def test_a_finished_claim_is_not_nudged_even_if_the_reminder_was_queued(bot: ConsoleBot) -> None:
    await _claimed(bot)
    await bot.feed("::at 2026-12-01T04:00Z")  # 22:00 in Chicago: the reminder is queued for the morning
    await bot.say("alice", "!done 1")
    assert not to("alice", await bot.advance("1d"))


async def test_a_reminder_due_while_the_bot_was_down_for_three_days_is_sent_once(bot: ConsoleBot) -> None:
    await _claimed(bot)
    await bot.advance("6d")
    bot.clock.set(bot.clock.now() + timedelta(days=3))  # down: no ticks ran meanwhile
    lines = await bot.advance("1m")
    assert len(to("alice", lines)) == 1
    assert not to("alice", await bot.advance("2d"))


async def test_an_outbox_that_grows_while_delivery_fails_loses_nothing(bot: ConsoleBot) -> None:
    recorder = record(bot)
    await bot.say("bob", "!volunteer research")
    recorder.failing = True
    for number in range(5):
        await bot.feed(f'!ask title:"Ask {number}" skill:research')
    await bot.advance("10m")
    counts = joined(await bot.feed("!outbox"))
    assert "5 waiting" in counts  # five ask notices to bob (you became an admin after this week's digest)
    recorder.failing = False
    lines = await bot.advance("1h")
    assert len(to("bob", lines)) == 5
    counts = joined(await bot.feed("!outbox"))
    assert "0 waiting" in counts and "5 sent" in counts


async def test_a_platform_outage_of_hours_loses_nothing_due_when_it_began(bot: ConsoleBot) -> None:
    """With 8 tries (30 s … 32 min apart) an outage of about an hour parked every message due at
    its start: alice's "no update" reminder was never delivered when the platform came back."""
    recorder = record(bot)
    await bot.say("alice", "!volunteer research")
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.feed('!ask title:"Research task" skill:research')
    await bot.say("alice", "!claim 1")
    await bot.feed("::at 2026-11-30T15:30Z")  # Monday 09:30 in Chicago; a week old at 10:00
    recorder.failing = True
    await bot.feed("::at 2026-12-01T06:00Z")  # down until midnight in Chicago: 14 hours
    recorder.failing = False
    lines = await bot.advance("1d")
    assert len([line for line in to("alice", lines) if "no update for" in line]) == 1
    assert all(9 <= moment.astimezone(CHICAGO).hour < 21 for moment, _ in recorder.sent)  # not at night


async def test_messages_that_keep_failing_are_parked_and_shown_to_admins(bot: ConsoleBot) -> None:
    recorder = record(bot)
    await bot.say("bob", "!volunteer research")
    recorder.failing = True
    await bot.feed('!ask title:"Doomed" skill:research')
    await bot.advance("2d")
    assert "1 waiting" in joined(await bot.feed("!outbox"))  # two days down: still being tried
    await bot.advance("5d")  # (quiet hours hold the tries that fall in them)
    report = joined(await bot.feed("!outbox"))
    assert "1 parked" in report and "· ask to" in report and "the platform is down" in report
    assert ", 20 tries, last error:" in report  # counted in words: "1 try" when once
    assert "Only admins can use `outbox`" in joined(await bot.say("bob", "!outbox"))
    recorder.failing = False
    lines = await bot.feed("!outbox retry")
    assert "Retrying 1 parked message now." in joined(lines)
    assert len(to("bob", lines)) == 1  # delivered at once
    assert not to("bob", await bot.advance("1d"))


async def test_an_intro_nobody_answered_in_three_days_is_reminded_once(bot: ConsoleBot) -> None:
    for name in ("alice", "bob", "carol"):
        await bot.say(name, "!volunteer research")
    await bot.say("carol", '!intro @alice @bob why:"both organising school libraries"')
    bot.dm()
    await bot.say("alice", "!accept 1")
    assert not to("bob", await bot.advance("2d"))
    lines = await bot.advance("2d")
    reminder = joined(to("bob", lines))
    assert "An introduction has waited 3 days for your answer: `accept 1` or `decline 1`" in reminder
    assert not to("alice", lines)  # she already said yes
    assert not to("bob", await bot.advance("5d"))


async def test_a_due_follow_up_is_nudged_and_snoozing_moves_it(bot: ConsoleBot) -> None:
    bot.dm()
    await bot.say("alice", '!contact add name:"Jordan Lee" org:"Teachers union" follow:2026-11-25')
    assert not to("alice", await bot.advance("1d"))
    due = joined(to("alice", await bot.advance("1d")))
    assert "Follow up with Jordan Lee (due Wed 25 Nov)" in due and "`snooze f1 3d`" in due
    assert "Snoozed follow-up f1" in joined(await bot.say("alice", "!snooze f1 3d"))
    assert not to("alice", await bot.advance("2d"))
    assert "Follow up with Jordan Lee" in joined(to("alice", await bot.advance("2d")))


async def test_snoozing_a_claim_holds_its_reminders(bot: ConsoleBot) -> None:
    await _claimed(bot)
    await bot.advance("6d")
    assert "Snoozed reminders about your claim c1" in joined(await bot.say("alice", "!snooze c1 5d"))
    assert not to("alice", await bot.advance("4d"))
    assert "no update for" in joined(to("alice", await bot.advance("2d")))
    assert "There's no ask 9" in joined(await bot.say("alice", "!snooze c9 1d"))


async def test_snoozing_the_next_check_in_skips_it(bot: ConsoleBot) -> None:
    await bot.say("alice", "!checkin every:day at:11:00")
    reply = joined(await bot.say("alice", "!snooze checkin 2d"))
    assert "Moved your next check-in to Wed 25 Nov 11:00 (Chicago time)." in reply  # no zone of her own: named
    lines = await bot.advance("1d")
    assert not [m for m in to("alice", lines) if "Check-in." in m]
    assert "Check-in." in joined(to("alice", await bot.advance("1d 2h")))
    assert "I can't tell what x9 is" in joined(await bot.say("alice", "!snooze x9 1d"))
