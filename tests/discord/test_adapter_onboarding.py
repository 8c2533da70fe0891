"""Onboarding on Discord through the stand-in: a member joining the server is welcomed once by
DM, a lead imports signatories from a file attached in a DM (read from the CDN, and a file over
the limit never downloaded), shared links go without previews, and only a welcoming bot asks for
the Server Members intent."""

from __future__ import annotations

import discord
import pytest

from bot.adapters.discord import DiscordSetupError

from .conftest import DiscordBot, Server, StartBot, slash
from .standin import DiscordStandin
from .standin_messages import UploadedFile
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


CSV = b'name,email,state\nDana Reyes,dana@example.org,Ohio\n"Kim, Pat",pat@example.org,Ohio\n'


async def test_a_member_who_joins_is_welcomed_once_by_dm(
    standin: DiscordStandin, server: Server, start_bot: StartBot
) -> None:
    standin.privileged_intents |= Intent.GUILD_MEMBERS
    await start_bot(welcome=True)
    newcomer = standin.add_user("newcomer")

    await standin.user_joins(server.guild, newcomer)
    welcome = await standin.wait_for_message(standin.dm_channel(newcomer))
    await standin.user_joins(server.guild, newcomer)  # left and came back: no second welcome
    said = await standin.user_dms(newcomer, "help")
    await standin.wait_for_message(standin.dm_channel(newcomer), after=said)

    assert welcome.content.startswith("Welcome to Library Workers!")
    assert "iam <email>" in welcome.content and "pause" in welcome.content
    dms = [m for m in standin.dm_messages_to(newcomer) if m.content.startswith("Welcome to")]
    assert len(dms) == 1


async def test_a_lead_imports_signatories_from_a_file_attached_in_a_dm(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    upload = UploadedFile("signatories.csv", CSV, "text/csv")
    big = UploadedFile("huge.csv", b"name\n" + b"x" * (6 * 1024 * 1024), "text/csv")

    said = await standin.user_dms(server.olive, "signatures import", files=[upload])
    imported = await standin.wait_for_message(standin.dm_channel(server.olive), after=said)
    refused_said = await standin.user_dms(server.olive, "signatures import", files=[big])
    refused = await standin.wait_for_message(standin.dm_channel(server.olive), after=refused_said)
    member_said = await standin.user_dms(server.bob, "signatures import", files=[upload])
    member = await standin.wait_for_message(standin.dm_channel(server.bob), after=member_said)

    assert imported.content.startswith("Imported: 2 new, 0 updated, 0 unchanged, 0 skipped.")
    assert "I read lists up to 5 MB" in refused.content
    assert member.content.startswith("Only leads")
    assert len(standin.downloads) == 2  # the lead's and the member's small files; never the 6 MB one


async def test_a_lead_imports_signatories_with_the_slash_commands_file_option(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    """`/signatures import` had only a text option, which holds one line: no file could come
    with it, and a pasted list arrived as a header alone."""
    upload = UploadedFile("signatories.csv", CSV, "text/csv")
    answer = await slash(standin, server.olive, server.general, "signatures", {"file": upload}, subcommand="import")
    assert answer.ephemeral and answer.content is not None
    assert answer.content.startswith("Imported: 2 new, 0 updated, 0 unchanged, 0 skipped."), answer.content
    assert len(standin.downloads) == 1
    big = UploadedFile("huge.csv", b"name\n" + b"x" * (6 * 1024 * 1024), "text/csv")
    refused = await slash(standin, server.olive, server.general, "signatures", {"file": big}, subcommand="import")
    assert refused.content is not None and "I read lists up to 5 MB" in refused.content
    assert len(standin.downloads) == 1  # never the 6 MB one
