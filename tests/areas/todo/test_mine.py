"""`mine` (spec §2): the to-do list says when a pause is why nothing pings."""

from __future__ import annotations

from tests.console_bot import ConsoleBot, joined, to


async def test_mine_says_the_speaker_is_paused_and_until_when_in_their_zone(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.say("alice", "!profile tz:Europe/Berlin")
    bot.dm()
    assert "You're paused" not in joined(await bot.say("alice", "mine"))
    await bot.say("alice", "pause until:friday")
    mine = joined(to("alice", await bot.say("alice", "mine")))
    assert "You're paused until Fri 27 Nov: no ask pings, nudges or check-ins. Back sooner? `resume`." in mine
    assert "Nothing on your list." in mine
    await bot.say("alice", 'pause until:"friday 17:00"')
    assert "You're paused until Fri 27 Nov 17:00:" in joined(await bot.say("alice", "mine"))
    await bot.say("alice", "pause")
    assert "You're paused: no ask pings" in joined(await bot.say("alice", "mine"))
    await bot.say("alice", "resume")
    assert "You're paused" not in joined(await bot.say("alice", "mine"))
