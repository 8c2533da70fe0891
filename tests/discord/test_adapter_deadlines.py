"""Every command is answered (spec §11): within Discord's 3 seconds whatever comes first, after a
reconnect, past the flood gate; and a private message Discord refuses, or a Cloudflare 429, is
handled as the person and the outbox need.

These tests came from the adapter bugs of issue 13 that the strict stand-in made visible. The
stand-in's deadline is shrunk where a test would otherwise wait seconds; the adapter keeps its own
budget (``answer_within``) below it.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.messages import Button, Delivery, Outgoing
from bot.core.text import fmt
from tests.console_bot import make_config

from .conftest import DiscordBot, Server, StartBot, slash
from .standin import DiscordStandin
from .standin_handles import InteractionHandle
from .standin_model import Message
from .test_adapter_delivery import advance, post_ask_for

#: A note that bob could not be reached privately ("I couldn't reach bob privately; ask them to
#: open DMs from server members", as spec §11 puts it), in whatever words.
UNREACHABLE = re.compile(r"\bbob\b.*\b(DMs?|privately|reach)\b|\b(DMs?|privately|reach)\b.*\bbob\b", re.S)

#: The stand-in's deadline in these tests, and the adapter's defer budget below it.
DEADLINE = 0.5
ANSWER_WITHIN = 0.2


async def skills_button(bot: DiscordBot, standin: DiscordStandin, server: Server, *, dm: bool) -> Message:
    """A message of the bot's with a "Skills" button, in #general or in bob's DMs."""
    out = Outgoing(fmt("Who knows what?"), dm, (Button("Skills", "skills"),))
    user_id, channel_id = (str(server.bob.id), None) if dm else (None, str(server.general.id))
    await bot.adapter.deliver(Delivery("test:skills", "discord", user_id, channel_id, out))
    channel = standin.dm_channel(server.bob) if dm else server.general
    return await standin.wait_for_message(channel, lambda m: bool(m.custom_ids()))


async def test_a_click_in_a_dm_is_acknowledged_in_time_however_long_the_role_lookup_takes(
    standin: DiscordStandin, server: Server, start_bot: StartBot
) -> None:
    bot = await start_bot(answer_within=ANSWER_WITHIN)
    message = await skills_button(bot, standin, server, dm=True)
    standin.interaction_deadline = DEADLINE
    standin.fail_next("GET", "/guilds/{guild_id}/members/{user_id}", 429, retry_after=DEADLINE + 0.1)

    handle = await standin.user_clicks(server.bob, message, "vb:skills")

    assert (await handle.response(timeout=2)).type in (4, 5)
    answer = await handle.wait_for_original(timeout=2)
    assert answer.content.startswith("No skills yet.")


async def test_a_command_replayed_too_late_after_an_outage_is_answered_by_a_message(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    async with standin.outage():
        handle = await standin.user_runs_slash(server.bob, server.general, "volunteer", {"skill": "research"})
        standin.advance(4.0)  # the outage outlasts Discord's 3 s: nothing can acknowledge it now
    handle.expect_unanswered()

    refused = await standin.wait_for_request(
        "POST", "/interactions/{id}/{token}/callback", lambda r: r.path.split("/")[2] == str(handle.id)
    )

    assert refused.status == 404 and refused.response["code"] == 10062
    places = {server.general.id, standin.dm_channel(server.bob).id}
    told = await standin.wait_for_message(
        predicate=lambda m: m.channel_id in places and m.webhook_id is None and m.id > handle.id,
        timeout=0.5,
    )
    assert told.content  # a plain message, since the interaction cannot be answered any more


async def run_flood_gated(
    standin: DiscordStandin, server: Server, tmp_path: Path, kind: str
) -> tuple[DiscordBot, list[InteractionHandle]]:
    """bob runs `skills` four times (a slash command, or the button in #general) with a budget of
    two commands a minute: two are admitted, the third is told to slow down, the fourth dropped."""
    config = make_config(
        discord={"guild_ids": [server.guild.id], "announce_channel": "asks"}, limits={"commands_per_minute": 2}
    )
    bot = await DiscordBot.start(standin, tmp_path / "bot.sqlite3", config)
    message = await skills_button(bot, standin, server, dm=False)
    standin.interaction_deadline = DEADLINE
    handles = []
    for n in range(4):
        if kind == "slash":
            handles.append(await standin.user_runs_slash(server.bob, server.general, "skills"))
        else:
            handles.append(await standin.user_clicks(server.bob, message, "vb:skills"))
        if n < 2:
            await handles[-1].response(timeout=2)  # admitted, and answered in order
    return bot, handles


@pytest.mark.parametrize("kind", ["slash", "click"])
async def test_a_command_refused_by_the_flood_gate_gets_a_short_private_slow_down(
    standin: DiscordStandin, server: Server, discord_at_standin: DiscordStandin, tmp_path: Path, kind: str
) -> None:
    bot, handles = await run_flood_gated(standin, server, tmp_path, kind)
    try:
        for refused in (handles[3], handles[2]):  # dropped silently today; told to slow down in public
            answer = await refused.response(timeout=2)
            assert answer.content is not None and "slow down" in answer.content.lower()
            assert answer.ephemeral  # only the person who sent too many sees it
    finally:
        await bot.stop()


async def test_a_private_message_refused_with_50007_is_reported_to_the_person_who_caused_it(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    standin.close_dms(server.bob)
    dm = standin.dm_channel(server.bob)

    await post_ask_for(standin, server, server.bob)  # alice's ask should reach bob privately
    refused = await standin.wait_for_request("POST", f"/channels/{dm.id}/messages")
    before = max(standin.world.messages)
    await advance(bot, timedelta(minutes=1))

    assert refused.status == 403 and refused.response["code"] == 50007
    await standin.wait_until(
        lambda: any(
            m.author_id == standin.bot.id and m.id > before and m.channel_id != dm.id and UNREACHABLE.search(m.content)
            for m in standin.world.messages.values()  # ephemeral ones too
        ),
        timeout=0.5,
        what="a message telling alice that bob could not be reached privately",
    )


async def test_a_cloudflare_429_during_delivery_is_waited_out_without_counting_a_failed_try(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    dm = standin.dm_channel(server.bob)
    limited = standin.fail_next("POST", f"/channels/{dm.id}/messages", 429, retry_after=20, via=False)

    await post_ask_for(standin, server, server.bob)
    await standin.wait_until(lambda: limited.hits, what="the Cloudflare 429")
    await advance(bot, timedelta(seconds=21))

    async with bot.app.db.reading() as tx:
        rows = await tx.all("SELECT status, attempts, last_error FROM outbox WHERE kind = 'ask'")
    assert [tuple(row) for row in rows] == [("sent", 0, None)]  # waiting out a rate limit is not a failed try
    (told,) = standin.dm_messages_to(server.bob)
    assert told.content.startswith("A new ask")


async def test_the_slash_helper_still_answers_within_a_shrunk_deadline(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    """The shrunk deadline above leaves the adapter enough time for an ordinary command."""
    standin.interaction_deadline = DEADLINE

    answer = await slash(standin, server.bob, server.general, "skills")

    assert answer.content is not None and answer.content.startswith("No skills yet.")
