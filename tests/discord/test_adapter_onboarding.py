"""Onboarding on Discord through the stand-in, as far as the stand-in goes today: shared links
are sent with Discord's "suppress embeds" flag, and only a bot with `discord.welcome` asks for
the Server Members intent. (Member joins and attachments need GUILD_MEMBER_ADD and attachment
downloads in the stand-in; they are tested through the console and against Synapse meanwhile.)"""

from __future__ import annotations

import discord
import pytest

from bot.adapters.discord import DiscordSetupError

from .conftest import DiscordBot, Server, StartBot, slash
from .standin import DiscordStandin
from .standin_model import Intent

SUPPRESS_EMBEDS = 1 << 2


async def test_a_shared_link_is_posted_without_a_preview(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    said = await standin.user_says(server.bob, server.general, "!resource add https://example.org/guide tags:x")
    reply = await standin.wait_for_message(server.general, after=said)
    sent = await standin.wait_for_request("POST", f"/channels/{server.general.id}/messages")
    answer = await slash(standin, server.carol, server.general, "resources")

    assert "https://example.org/guide" in reply.content
    assert sent.json["flags"] & SUPPRESS_EMBEDS
    assert answer.data["flags"] & SUPPRESS_EMBEDS


async def test_only_a_bot_that_welcomes_asks_for_the_server_members_intent(
    standin: DiscordStandin, start_bot: StartBot
) -> None:
    plain = await start_bot()
    assert not plain.adapter.client.intents.members
    await plain.stop()
    with pytest.raises(DiscordSetupError, match="Server Members"):  # not enabled in the portal yet
        await start_bot(welcome=True)
    standin.privileged_intents |= Intent.GUILD_MEMBERS
    welcoming = await start_bot(welcome=True)

    assert standin.gateway_sessions[-1].intents & Intent.GUILD_MEMBERS
    assert welcoming.adapter.client.intents == discord.Intents(
        guilds=True, dm_messages=True, guild_messages=True, message_content=True, members=True
    )
