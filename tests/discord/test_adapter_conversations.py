"""Whole conversations on Discord: the real discord.py client in the bot, people acting through
the stand-in with slash commands, `!` messages, DMs and buttons."""

from __future__ import annotations

import discord

from .conftest import DiscordBot, Server, StartBot, slash
from .standin import DiscordStandin
from .standin_model import Intent, Message


def button_ids(message: Message) -> list[str]:
    return sorted(message.custom_ids())


def from_bot(standin: DiscordStandin, messages: list[Message]) -> list[Message]:
    return [m for m in messages if m.author_id == standin.bot.id]


async def test_signing_up_with_a_slash_command_answers_in_the_channel(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    answer = await slash(standin, server.bob, server.general, "volunteer", {"skill": "research"})

    assert answer.type == 4 and not answer.ephemeral
    assert answer.content is not None and answer.content.startswith("Welcome aboard, bob!")
    assert "Your skills: research." in answer.content
    assert answer.data["allowed_mentions"] == {"parse": [], "users": []}


async def test_signing_up_with_a_bang_command_replies_to_the_message(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    said = await standin.user_says(server.carol, server.general, "!volunteer cataloguing Research")

    reply = await standin.wait_for_message(server.general, after=said)
    assert reply.reference_id == said.id
    assert "Your skills: cataloguing, research." in reply.content
    sent = await standin.wait_for_request("POST", f"/channels/{server.general.id}/messages")
    assert sent.json["enforce_nonce"] is True and len(sent.json["nonce"]) == 25


async def test_messages_without_the_prefix_and_messages_from_bots_are_not_commands(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    other_bot = standin.world.add_user("another-bot", bot=True)
    standin.add_member(server.guild, other_bot)
    await standin.user_says(server.bob, server.general, "volunteer research, anyone?")
    await standin.user_says(other_bot, server.general, "!volunteer research")
    said = await standin.user_says(server.bob, server.general, "!skills")

    reply = await standin.wait_for_message(server.general, after=said)
    assert reply.content.startswith("No skills yet.")  # nobody signed up
    assert [m.id for m in from_bot(standin, standin.messages_in(server.general))] == [reply.id]


async def test_in_a_dm_the_prefix_can_be_left_out(standin: DiscordStandin, server: Server, bot: DiscordBot) -> None:
    said = await standin.user_dms(server.bob, "volunteer research")

    reply = await standin.wait_for_message(standin.dm_channel(server.bob), after=said)
    assert reply.content.startswith("Welcome aboard, bob!")


async def test_a_lead_posts_an_ask_it_is_announced_and_matching_volunteers_hear_privately(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    await slash(standin, server.bob, server.general, "volunteer", {"skill": "research"})
    await slash(standin, server.carol, server.general, "volunteer", {"skill": "cataloguing"})

    answer = await slash(
        standin,
        server.alice,
        server.general,
        "ask",
        {"title": "Compile sectoral-bargaining resources", "skill": "research", "need": 2},
        subcommand="post",
    )

    # alice is a lead through her Discord role "Lead"
    assert answer.content is not None and answer.content.startswith("Posted ask **1**.")
    assert "I'm telling 1 matching volunteer privately." in answer.content
    announced = await standin.wait_for_message(server.asks)
    assert announced.content.startswith("New ask from alice:")
    assert button_ids(announced) == ["vb:claim 1"]
    told = await standin.wait_for_message(standin.dm_channel(server.bob))
    assert told.content.startswith("A new ask matches your skills:")
    assert button_ids(told) == ["vb:claim 1"]
    assert standin.dm_messages_to(server.carol) == []


async def test_a_member_without_the_lead_role_is_told_who_can_post_asks(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    answer = await slash(standin, server.bob, server.general, "ask", {"title": "Anything"}, subcommand="post")

    assert answer.content is not None and answer.content.startswith("Only leads can use `ask`.")
    assert standin.messages_in(server.asks) == []


async def test_a_lead_whose_lead_role_is_taken_away_is_a_member_again_in_the_channel_and_in_dms(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    """A moderator removed alice's Lead role, and she could still post asks and read the
    signatories: a member with none of the mapped roles was "can't tell", and nothing changed."""
    first = await slash(standin, server.alice, server.general, "ask", {"title": "One"}, subcommand="post")
    assert first.content is not None and first.content.startswith("Posted ask")
    server.guild.members[server.alice.id].role_ids.clear()
    second = await slash(standin, server.alice, server.general, "ask", {"title": "Two"}, subcommand="post")
    assert second.content is not None and second.content.startswith("Only leads can use `ask`."), second.content
    async with bot.app.db.reading() as tx:
        row = await tx.one("SELECT role, role_source FROM people WHERE display_name = 'alice'")
    assert row is not None and (row["role"], row["role_source"]) == ("member", "platform")
    said = await standin.user_dms(server.alice, "signatures")
    in_dm = await standin.wait_for_message(standin.dm_channel(server.alice), after=said)
    assert in_dm.content is not None and "Only leads" in in_dm.content, in_dm.content


async def test_claiming_with_the_announcements_button_runs_claim_as_the_person_who_clicked(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    await slash(
        standin,
        server.alice,
        server.general,
        "ask",
        {"title": "Shelve the zines", "need": 2},
        subcommand="post",
    )
    announced = await standin.wait_for_message(server.asks)

    first = await (await standin.user_clicks(server.bob, announced, "vb:claim 1")).response()
    again = await (await standin.user_clicks(server.bob, announced, "vb:claim 1")).response()

    assert first.content is not None and first.content.startswith("It's yours: ask **1**")
    assert again.content is not None and "already" in again.content
    shown = await slash(standin, server.carol, server.general, "ask", {"id": 1}, subcommand="show")
    assert shown.content is not None and "Claimed by: bob." in shown.content


async def test_a_lead_can_post_an_ask_from_a_dm(standin: DiscordStandin, server: Server, bot: DiscordBot) -> None:
    said = await standin.user_dms(server.alice, 'ask title:"Call the archive"')

    reply = await standin.wait_for_message(standin.dm_channel(server.alice), after=said)
    assert reply.content.startswith("Posted ask **1**.")  # her role was looked up in the server
    await standin.wait_for_request("GET", f"/guilds/{server.guild.id}/members/{server.alice.id}")


async def test_an_intro_is_accepted_with_buttons_in_dms_and_pings_only_the_two_people(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    for person in (server.alice, server.bob):
        await slash(standin, person, server.general, "volunteer", {"skill": "organising"})
    proposed = await slash(
        standin,
        server.carol,
        server.general,
        "intro",
        {"member": f"<@{server.alice.id}>", "other": f"<@{server.bob.id}>", "why": "both organise schools"},
    )
    assert proposed.content is not None
    asked_alice = await standin.wait_for_message(standin.dm_channel(server.alice))
    asked_bob = await standin.wait_for_message(standin.dm_channel(server.bob))
    assert button_ids(asked_alice) == button_ids(asked_bob) == ["vb:accept 1", "vb:decline 1"]

    alice_said = await (await standin.user_clicks(server.alice, asked_alice, "vb:accept 1")).response()
    bob_said = await (await standin.user_clicks(server.bob, asked_bob, "vb:accept 1")).response()

    assert alice_said.content is not None and alice_said.content.startswith("Thanks, you said yes to intro 1.")
    assert not alice_said.ephemeral and not bob_said.ephemeral  # a DM is private already
    assert bob_said.content is not None and bob_said.content.startswith(f"Meet <@{server.alice.id}>!")
    assert bob_said.data["allowed_mentions"]["users"] == [server.alice.id]
    introduced = await standin.wait_for_message(
        standin.dm_channel(server.alice), lambda m: m.content.startswith("Meet")
    )
    assert introduced.content.startswith(f"Meet <@{server.bob.id}>!")
    assert introduced.pinged_user_ids == [server.bob.id]
    assert "both organise schools" in introduced.content


async def test_without_message_commands_only_slash_commands_buttons_and_dms_are_used(
    standin: DiscordStandin, server: Server, start_bot: StartBot
) -> None:
    bot = await start_bot(message_commands=False)

    await standin.user_says(server.bob, server.general, "!volunteer research")
    answer = await slash(standin, server.bob, server.general, "skills")
    said = await standin.user_dms(server.bob, "!volunteer research")

    assert answer.content is not None and answer.content.startswith("No skills yet.")
    assert (await standin.wait_for_message(standin.dm_channel(server.bob), after=said)).content
    intents = standin.gateway_sessions[0].intents
    assert not intents & Intent.MESSAGE_CONTENT and not intents & Intent.GUILD_MESSAGES
    assert bot.adapter.client.intents == discord.Intents(guilds=True, dm_messages=True)
    said_by_bot = [m.content for m in from_bot(standin, standin.messages_in(server.general))]
    assert said_by_bot == [answer.content]  # the slash answer; the `!` message went unheard


async def test_messages_in_a_server_the_bot_does_not_serve_are_ignored(
    standin: DiscordStandin, server: Server, start_bot: StartBot
) -> None:
    elsewhere = standin.add_guild("Another Union", owner=server.bob)
    lobby = standin.add_text_channel(elsewhere, "lobby")
    await start_bot()

    await standin.user_says(server.bob, lobby, "!volunteer research")
    said = await standin.user_says(server.bob, server.general, "!skills")

    reply = await standin.wait_for_message(server.general, after=said)
    assert reply.content.startswith("No skills yet.")  # the message elsewhere ran nothing
    assert from_bot(standin, standin.messages_in(lobby)) == []
