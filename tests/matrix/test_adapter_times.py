"""Times on Matrix read as the core puts them into words for each reader (spec §12): a due day
posted from Chicago, read in Chicago and in Tokyo, in a reply and in a queued ping."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import ManualClock

from .bots import BotFactory, command, room_with
from .humans import HumanFactory


async def test_an_ask_due_friday_is_chicagos_friday_named_as_such_for_a_reader_in_tokyo(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    clock = ManualClock(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))  # Monday 10:00 in Chicago
    lead, vol = await make_human("lead"), await make_human("vol")
    bot = await make_bot(clock=clock, admins=[f"matrix:{lead.user_id}"])
    room = await room_with(lead, vol, bot)
    dm = await vol.create_dm(bot.user_id)
    await vol.wait_for_member(dm, bot.user_id)
    await command(vol, dm, "volunteer research")
    await command(vol, dm, "profile tz:Asia/Tokyo")
    await command(lead, room, "!profile tz:America/Chicago")

    posted = await command(lead, room, '!ask title:"Read up" skill:research due:friday')
    ping = await vol.wait_for_message(dm, lambda m: m.body.startswith("A new ask matches"))
    shown = await command(vol, dm, "ask 1")

    assert "0/1 taken · due Fri 27 Nov\n" in posted.body
    assert "0/1 taken · due Fri 27 Nov (Chicago time)" in ping.body
    assert "0/1 taken · due Fri 27 Nov (Chicago time)" in shown.body
