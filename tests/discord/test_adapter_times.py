"""Times on Discord read as the core puts them into words for each reader (spec §12): a due day
in the channel's post and in a DM queued overnight, and the ask as it is when that DM goes."""

from __future__ import annotations

from datetime import timedelta

from .conftest import DiscordBot, Server, slash
from .standin import DiscordStandin


async def test_an_ask_due_friday_reads_as_chicagos_friday_and_its_ping_shows_the_ask_as_it_is_when_sent(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    await slash(standin, server.bob, server.general, "volunteer", {"skill": "research"})
    await slash(standin, server.bob, server.general, "profile", {"tz": "Asia/Tokyo"})
    ask = {"title": "Read up", "skill": "research", "need": 2, "due": "friday"}
    await slash(standin, server.alice, server.general, "ask", ask, subcommand="post")  # alice: Chicago, unset
    announced = await standin.wait_for_message(server.asks)
    assert "0/2 taken · due Fri 27 Nov\n" in announced.content  # the channel reads the organisation's zone
    await slash(standin, server.alice, server.general, "edit", {"id": 1, "need": 3})
    assert not standin.dm_messages_to(server.bob)  # 01:00 in Tokyo: the ping waits for his morning

    await bot.app.scheduler.run_until(bot.clock, bot.clock.now() + timedelta(hours=9))

    ping = await standin.wait_for_message(standin.dm_channel(server.bob))
    assert "A new ask matches your skills:" in ping.content
    assert "0/3 taken · due Fri 27 Nov (Chicago time)" in ping.content
