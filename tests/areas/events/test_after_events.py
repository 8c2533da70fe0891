"""After an event (spec §15): each person who said yes is asked privately, at a waking hour, who
they met, with `met` and `contact add` as the next steps; and people who went to the same event
and have not met are suggested to each other in the next pairing round."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.areas.events.people import Recorder, meet_everyone, post
from tests.console_bot import ConsoleBot, joined, to

COMMITTEE = 'title:"Organising committee" when:thursday 7pm length:90m'  # ends Fri 27 Nov 02:30 UTC


async def test_each_yes_is_asked_who_they_met_two_hours_after_the_end_at_a_waking_hour(bot: ConsoleBot) -> None:
    recorder = Recorder(bot)
    await meet_everyone(bot)
    await post(bot, COMMITTEE)
    for name, answer in (("alice", "yes"), ("bob", "yes"), ("carol", "maybe")):
        await bot.say(name, f"!rsvp 1 {answer}")
    await bot.advance("5d")
    asked = {name: recorder.to(name, "Who did you meet?") for name in ("alice", "bob", "carol")}
    # 04:30 UTC is 22:30 in Chicago (quiet: alice hears at 09:00) and 13:30 in Tokyo.
    assert [m for m, _ in asked["alice"]] == [datetime(2026, 11, 27, 15, 0, tzinfo=UTC)]
    assert [m for m, _ in asked["bob"]] == [datetime(2026, 11, 27, 4, 30, tzinfo=UTC)]
    assert not asked["carol"]  # only those who said yes
    question = asked["bob"][0][1]
    assert "How was “Organising committee”? Who did you meet?" in question
    assert "`met @name`" in question and '`contact add name:"…" how:"met at Organising committee"`' in question
    await bot.advance("7d")
    assert len(recorder.to("bob", "Who did you meet?")) == 1  # once


async def test_the_answers_become_ties_and_contacts(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    await post(bot, COMMITTEE)
    await bot.say("alice", "!rsvp 1 yes")
    await bot.advance("4d")
    bot.dm()
    assert "Noted: you and bob have met (for the first time)." in joined(
        await bot.say("alice", "met @bob at the committee")
    )
    added = joined(await bot.say("alice", 'contact add name:"Jordan Lee" how:"met at Organising committee"'))
    assert "Added contact" in added
    bot.public()
    assert "Jordan Lee" in joined(to("alice", await bot.say("alice", "!contacts")))


async def _pairing_members(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    for name in ("alice", "bob", "carol", "dave"):
        await bot.say(name, "!volunteer research")
        await bot.say(name, "!pairing on")
    await bot.advance("1m")  # this week's round has run: the next is Monday 30 Nov, 10:00 in Chicago
    await post(bot, COMMITTEE)
    await bot.say("alice", "!rsvp 1 yes")
    await bot.say("bob", "!rsvp 1 yes")


async def test_two_who_went_to_the_same_event_and_have_not_met_are_paired_next(bot: ConsoleBot) -> None:
    await _pairing_members(bot)
    lines = await bot.feed("::at 2026-11-30T16:00Z")
    alice = joined(to("alice", lines))
    assert "This week's pairing: meet @bob!" in alice
    assert "you were both at Organising committee" in alice
    assert "you were both at" not in joined(to("carol", lines))


async def test_two_who_said_they_met_at_the_event_are_not_paired(bot: ConsoleBot) -> None:
    await _pairing_members(bot)
    await bot.advance("4d")
    await bot.say("alice", "!met @bob at the committee")
    lines = await bot.feed("::at 2026-11-30T16:00Z")
    alice = joined(to("alice", lines))
    assert "This week's pairing" in alice
    assert "meet @bob" not in alice and "you were both at" not in alice
