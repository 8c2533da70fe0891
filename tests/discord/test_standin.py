"""The stand-in works with the real discord.py: each test builds a small Client (and CommandTree)
of its own, connects it to the stand-in and acts as a user would. Where it is as strict as
Discord (deadlines, tokens, error codes, rate limits, intents, refused bodies) is tested in
``test_standin_deadlines.py`` and ``test_standin_refusals.py``."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from .conftest import StartClient
from .standin import RESUME_PATH, DiscordStandin
from .standin_gateway import Op
from .standin_model import Channel, Guild, Intent, Permission, Role, User

WAIT = 5.0


@dataclass(frozen=True)
class LibraryUnion:
    """The world of these tests: one guild, two channels, a lead role and three people."""

    guild: Guild
    general: Channel
    asks: Channel
    lead: Role
    olive: User  # owns the guild
    alice: User  # a lead
    bob: User


@pytest.fixture
def union(standin: DiscordStandin) -> LibraryUnion:
    standin.privileged_intents |= Intent.GUILD_MEMBERS  # the test clients chunk members
    olive, alice, bob = (standin.add_user(n) for n in ("olive", "alice", "bob"))
    guild = standin.add_guild("Library Workers", owner=olive)
    lead = standin.add_role(guild, "lead", permissions=Permission.ADMINISTRATOR)
    standin.add_member(guild, alice, roles=(lead,))
    standin.add_member(guild, bob)
    general = standin.add_text_channel(guild, "general")
    asks = standin.add_text_channel(guild, "asks", topic="open asks")
    return LibraryUnion(guild, general, asks, lead, olive, alice, bob)


class Inbox:
    """What the test client received, in order, with a way to wait for it without sleeping."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._arrived = asyncio.Condition()

    async def put(self, item: Any) -> None:
        async with self._arrived:
            self.items.append(item)
            self._arrived.notify_all()

    async def wait_for(self, predicate: Callable[[Any], bool], *, count: int = 1) -> list[Any]:
        def matching() -> list[Any]:
            return [i for i in self.items if predicate(i)]

        async with asyncio.timeout(WAIT), self._arrived:
            await self._arrived.wait_for(lambda: len(matching()) >= count)
        return matching()


def new_client(*, message_content: bool = True) -> discord.Client:
    intents = discord.Intents.default()
    intents.members = True
    intents.message_content = message_content
    return discord.Client(intents=intents)


def messages_inbox(client: discord.Client) -> Inbox:
    inbox = Inbox()

    @client.event
    async def on_message(message: discord.Message) -> None:
        await inbox.put(message)

    return inbox


# --- connecting -----------------------------------------------------------------------------------


async def test_a_client_logs_in_and_sees_the_guild_its_channels_members_and_roles(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = await start_client(new_client())

    assert client.user is not None and client.user.id == standin.bot.id
    assert client.application_id == standin.application_id
    guild = client.get_guild(union.guild.id)
    assert guild is not None and guild.name == "Library Workers"
    assert [c.name for c in guild.text_channels] == ["general", "asks"]
    assert {m.name for m in guild.members} == {"olive", "alice", "bob", standin.bot.username}
    assert {r.name for r in guild.roles} == {"@everyone", "lead"}
    alice = guild.get_member(union.alice.id)
    assert alice is not None and [r.name for r in alice.roles] == ["@everyone", "lead"]
    assert guild.owner_id == union.olive.id
    # Without the presences intent GUILD_CREATE lists only the bot; the client chunked the rest.
    request = next(f for f in standin.gateway_frames if f.op == Op.REQUEST_GUILD_MEMBERS)
    chunk = next(d for d in standin.gateway_sessions[0].log if d.event == "GUILD_MEMBERS_CHUNK")
    assert chunk.data["nonce"] == request.d["nonce"]


async def test_an_auto_sharded_client_finds_the_gateway_through_gateway_bot(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = await start_client(discord.AutoShardedClient(intents=discord.Intents.default()))

    assert [g.id for g in client.guilds] == [union.guild.id]
    await standin.wait_for_request("GET", "/gateway/bot")
    identify = next(f for f in standin.gateway_frames if f.op == Op.IDENTIFY)
    assert identify.d["shard"] == [0, 1]


async def test_acting_as_a_user_before_any_bot_connected_fails_the_test(
    standin: DiscordStandin, union: LibraryUnion
) -> None:
    with pytest.raises(AssertionError, match="no bot is connected"):
        await standin.user_says(union.alice, union.general, "anyone there?")


async def test_a_bad_token_fails_login(discord_at_standin: DiscordStandin) -> None:
    client = new_client()
    with pytest.raises(discord.LoginFailure):
        await client.login("not-the-token")
    await client.close()
    assert discord_at_standin.requests[-1].status == 401


async def test_json_answers_have_exactly_the_content_type_discord_py_expects(
    standin: DiscordStandin,
) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{standin.api_base}/users/@me", headers={"Authorization": f"Bot {standin.token}"}) as response,
    ):
        assert response.headers["Content-Type"] == "application/json"


# --- messages -------------------------------------------------------------------------------------


async def test_a_message_command_gets_a_reply_with_nonce_and_allowed_mentions(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()
    inbox = Inbox()

    @client.event
    async def on_message(message: discord.Message) -> None:
        await inbox.put(message)
        if message.content == "!ping":
            await message.channel.send(
                f"pong {message.author.mention}", allowed_mentions=discord.AllowedMentions.none()
            )

    await start_client(client)
    said = await standin.user_says(union.alice, union.general, "!ping")

    reply = await standin.wait_for_message(union.general, after=said)
    assert reply.content == f"pong <@{union.alice.id}>"
    assert reply.pinged_user_ids == []  # mentioned, but allowed_mentions keeps it silent
    sent = await standin.wait_for_request("POST", "/channels/{channel_id}/messages")
    assert sent.json["enforce_nonce"] is True and sent.json["nonce"]
    assert sent.json["allowed_mentions"] == {"parse": []}
    # The bot's own message comes back as MESSAGE_CREATE, as on Discord.
    echoes = await inbox.wait_for(lambda m: m.author.id == standin.bot.id)
    assert echoes[0].id == reply.id


async def test_without_the_message_content_intent_content_is_blank_unless_the_bot_is_mentioned(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client(message_content=False)
    inbox = messages_inbox(client)
    await start_client(client)

    await standin.user_says(union.bob, union.general, "hello all")
    await standin.user_says(union.bob, union.general, f"hello {standin.bot.mention}")
    await standin.user_dms(union.bob, "hello in private")

    plain, mentioning, private = await inbox.wait_for(lambda m: True, count=3)
    assert plain.content == ""
    assert mentioning.content == f"hello <@{standin.bot.id}>"
    assert [u.id for u in mentioning.mentions] == [standin.bot.id]
    assert private.content == "hello in private"


async def test_the_bot_opens_a_dm_and_reads_dms(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()
    inbox = Inbox()

    @client.event
    async def on_message(message: discord.Message) -> None:
        await inbox.put(message)
        if message.content == "!private":
            await message.author.send("Here are your details.")

    await start_client(client)
    await standin.user_says(union.alice, union.general, "!private")
    reply = await standin.wait_for_message(standin.dm_channel(union.alice))
    assert reply.content == "Here are your details."
    opened = await standin.wait_for_request("POST", "/users/@me/channels")
    assert opened.json == {"recipient_id": union.alice.id}

    await standin.user_dms(union.alice, "thanks")
    (dm,) = await inbox.wait_for(lambda m: m.content == "thanks")
    assert isinstance(dm.channel, discord.DMChannel) and dm.author.id == union.alice.id
    assert [m.content for m in standin.dm_messages_to(union.alice)] == ["Here are your details."]


async def test_a_reply_with_a_file_keeps_its_reference_and_attachment(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()

    @client.event
    async def on_message(message: discord.Message) -> None:
        if message.content == "!export me":
            export = discord.File(io.BytesIO(b'{"name": "alice"}'), filename="alice.json")
            await message.reply("Your data", file=export)

    await start_client(client)
    said = await standin.user_says(union.alice, union.general, "!export me")

    reply = await standin.wait_for_message(union.general, after=said)
    assert reply.type == 19 and reply.reference_id == said.id
    (attachment,) = reply.attachments
    assert (attachment.filename, attachment.data) == ("alice.json", b'{"name": "alice"}')
    upload = await standin.wait_for_request("POST", "/channels/{channel_id}/messages")
    assert upload.json["content"] == "Your data" and [f.filename for f in upload.files] == ["alice.json"]


async def test_edits_and_deletions_reach_the_history_and_the_gateway(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()
    edits, deletions = Inbox(), Inbox()

    @client.event
    async def on_raw_message_edit(event: discord.RawMessageUpdateEvent) -> None:
        await edits.put(event.message.content)

    @client.event
    async def on_raw_message_delete(event: discord.RawMessageDeleteEvent) -> None:
        await deletions.put(event.message_id)

    await start_client(client)
    channel = client.get_partial_messageable(union.asks.id)
    first = await channel.send("Ask 7: open")
    second = await channel.send("Ask 8: open")

    await first.edit(content="Ask 7: claimed")
    await second.delete()

    assert await edits.wait_for(lambda content: True) == ["Ask 7: claimed"]
    assert await deletions.wait_for(lambda message_id: True) == [second.id]
    assert [m.content for m in standin.messages_in(union.asks)] == ["Ask 7: claimed"]
    assert standin.messages_in(union.asks)[0].edited_timestamp is not None


async def test_the_transcript_keeps_headers_such_as_the_audit_log_reason(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = await start_client(new_client())
    sent = await client.get_partial_messageable(union.general.id).send("Ask 7 (duplicate)")

    await client.http.delete_message(union.general.id, sent.id, reason="duplicate of ask 6")

    deletion = await standin.wait_for_request("DELETE", "/channels/{c}/messages/{m}")
    assert deletion.status == 204 and deletion.audit_log_reason == "duplicate of ask 6"


async def test_a_resend_with_the_same_nonce_creates_no_second_message(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = await start_client(new_client())
    channel = client.get_partial_messageable(union.general.id)

    first = await channel.send("Reminder: ask 7 is due", nonce="outbox:7")
    second = await channel.send("Reminder: ask 7 is due", nonce="outbox:7")

    assert first.id == second.id
    assert [m.content for m in standin.messages_in(union.general)] == ["Reminder: ask 7 is due"]


async def test_a_nonce_is_unique_per_author_across_channels_and_at_most_25_characters(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = await start_client(new_client())
    general = client.get_partial_messageable(union.general.id)
    asks = client.get_partial_messageable(union.asks.id)

    first = await general.send("Weekly digest", nonce="digest:2026-48")
    elsewhere = await asks.send("Weekly digest", nonce="digest:2026-48")
    with pytest.raises(discord.HTTPException) as too_long:
        await general.send("Weekly digest", nonce="digest:alice:2026-11-23:weekly")

    assert elsewhere.id == first.id and standin.messages_in(union.asks) == []
    assert too_long.value.code == 50035


async def test_a_lost_response_is_retried_and_deduplicated_by_nonce(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = await start_client(new_client())
    fault = standin.fail_next("POST", "/channels/{channel_id}/messages", status=500, lose_response=True)

    sent = await client.get_partial_messageable(union.general.id).send("once", nonce="k1")

    assert len(fault.hits) == 1
    assert [m.id for m in standin.messages_in(union.general)] == [sent.id]


async def test_a_429_on_send_is_waited_out_and_the_message_sent_once(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = await start_client(new_client())
    fault = standin.fail_next("POST", f"/channels/{union.general.id}/messages", retry_after=0.05)

    await client.get_partial_messageable(union.general.id).send("after the wait")

    assert len(fault.hits) == 1
    sends = [r.status for r in standin.requests if r.method == "POST"]
    assert sends == [429, 200]
    assert [m.content for m in standin.messages_in(union.general)] == ["after the wait"]


async def test_a_global_429_holds_requests_back_until_it_is_over(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = await start_client(new_client())
    fault = standin.fail_next("POST", "/channels/{channel_id}/messages", is_global=True)

    await client.get_partial_messageable(union.general.id).send("after the global wait")

    (limited,) = fault.hits
    assert limited.response == {
        "message": "You are being rate limited.",
        "retry_after": 0.05,
        "global": True,
    }
    assert len(standin.messages_in(union.general)) == 1


async def test_a_503_reaches_the_caller_as_a_server_error(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = await start_client(new_client())
    standin.fail_next("POST", "/channels/{channel_id}/messages", status=503)

    with pytest.raises(discord.DiscordServerError):
        await client.get_partial_messageable(union.general.id).send("lost")
    assert standin.messages_in(union.general) == []


async def test_a_client_that_respects_rate_limit_headers_never_gets_a_429(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = await start_client(new_client())
    standin.set_message_rate_limit(2, per_seconds=0.2)
    channel = client.get_partial_messageable(union.general.id)

    for n in range(3):
        await channel.send(f"digest part {n}")

    sends = [r for r in standin.requests if r.method == "POST"]
    assert [r.status for r in sends] == [200, 200, 200]
    assert sends[0].response_headers["X-RateLimit-Remaining"] == "1"
    assert sends[0].response_headers["X-RateLimit-Bucket"] == "standin-messages"
    assert len(standin.messages_in(union.general)) == 3


# --- slash commands, buttons, autocomplete --------------------------------------------------------


def command_tree(client: discord.Client) -> app_commands.CommandTree[discord.Client]:
    """A tree with /claim (ephemeral reply and a followup), /volunteer skill add (deferred, then
    the "thinking…" message edited, then a followup) and /purge (for members who may manage the
    guild)."""
    tree = app_commands.CommandTree(client)

    @tree.command(description="Claim an ask")
    async def claim(interaction: discord.Interaction, ask: int, helper: discord.Member | None = None) -> None:
        name = helper.display_name if helper else interaction.user.display_name
        await interaction.response.send_message(f"Ask {ask} is {name}'s", ephemeral=True)
        await interaction.followup.send(f"Ask {ask} was claimed")

    volunteer = app_commands.Group(name="volunteer", description="Your volunteer profile")
    skill = app_commands.Group(name="skill", description="Your skills", parent=volunteer)

    @skill.command(description="Add a skill")
    async def add(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content=f"Added {name}")
        await interaction.followup.send(f"{name} is on your profile now")

    @tree.command(description="Remove a stale ask")
    @app_commands.default_permissions(manage_guild=True)
    async def purge(interaction: discord.Interaction, ask: int) -> None:
        await interaction.response.send_message(f"Removed ask {ask}")

    tree.add_command(volunteer)
    return tree


async def sync_to_guild(tree: app_commands.CommandTree[discord.Client], guild: Guild) -> list[app_commands.AppCommand]:
    """``tree.sync(guild=…)`` sends only that guild's commands: copy the global ones first."""
    target = discord.Object(guild.id)
    tree.copy_global_to(guild=target)
    return await tree.sync(guild=target)


async def test_a_synced_slash_command_gets_an_ephemeral_answer_and_a_followup(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()
    tree = command_tree(client)
    await start_client(client)
    synced = await sync_to_guild(tree, union.guild)
    assert {c.name for c in synced} == {"claim", "volunteer", "purge"}
    assert [c.id for c in synced] == [c.id for c in standin.synced_commands(union.guild)]
    fetched = await tree.fetch_commands(guild=discord.Object(union.guild.id))
    assert [c.id for c in fetched] == [c.id for c in synced]

    handle = await standin.user_runs_slash(union.alice, union.asks, "claim", {"ask": 7, "helper": union.bob})

    answer = await handle.response()
    assert answer.type == 4 and answer.flags == 64 and answer.ephemeral
    assert answer.content == "Ask 7 is bob's"
    (followup,) = await handle.wait_for_followups(1)
    assert followup.content == "Ask 7 was claimed" and not followup.ephemeral
    assert [m.content for m in standin.messages_in(union.asks)] == ["Ask 7 was claimed"]


async def test_a_deferred_subcommand_is_answered_by_editing_its_original_response(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()
    tree = command_tree(client)
    await start_client(client)
    await sync_to_guild(tree, union.guild)

    handle = await standin.user_runs_slash(
        union.bob, union.general, "volunteer", {"name": "cataloguing"}, subcommand="skill add"
    )

    assert (await handle.response()).type == 5
    answer = await handle.wait_for_original()
    assert answer.content == "Added cataloguing" and answer.edited_timestamp is not None
    (followup,) = await handle.wait_for_followups(1)
    assert followup.id != answer.id
    edit = await standin.wait_for_request("PATCH", "/webhooks/{app}/{token}/messages/@original")
    assert edit.status == 200 and edit.json["content"] == "Added cataloguing"
    contents = [m.content for m in standin.messages_in(union.general)]
    assert contents == ["Added cataloguing", "cataloguing is on your profile now"]


async def test_commands_discord_would_not_offer_are_refused(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()
    tree = command_tree(client)
    await start_client(client)
    await sync_to_guild(tree, union.guild)

    with pytest.raises(AssertionError, match="never synced"):
        await standin.user_runs_slash(union.alice, union.general, "nope")
    with pytest.raises(AssertionError, match="never synced"):  # guild commands are not in DMs
        await standin.user_runs_slash(union.alice, standin.dm_channel(union.alice), "claim")
    with pytest.raises(AssertionError, match="required"):
        await standin.user_runs_slash(union.alice, union.general, "claim")
    with pytest.raises(AssertionError, match="needs a subcommand"):
        await standin.user_runs_slash(union.alice, union.general, "volunteer")
    with pytest.raises(AssertionError, match="lacks the permissions"):
        await standin.user_runs_slash(union.bob, union.general, "purge", {"ask": 3})
    handle = await standin.user_runs_slash(union.alice, union.general, "purge", {"ask": 3})
    assert (await handle.response()).content == "Removed ask 3"  # alice is a lead (administrator)


async def test_a_command_payload_discord_would_reject_fails_to_sync(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = await start_client(new_client())
    bad = {"name": "Claim", "description": "x" * 101, "type": 1}

    with pytest.raises(discord.HTTPException) as raised:
        await client.http.bulk_upsert_guild_commands(standin.application_id, union.guild.id, payload=[bad])
    assert raised.value.code == 50035
    assert standin.synced_commands(union.guild) == []


class ClaimView(discord.ui.View):
    """A persistent view: fixed custom_id, no timeout, registered with ``client.add_view``."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Claim", custom_id="claim:7", style=discord.ButtonStyle.primary)
    async def claim(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(content=f"Ask 7: claimed by {interaction.user.display_name}", view=None)


async def test_a_button_on_a_persistent_view_is_clicked(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()

    @client.event
    async def on_message(message: discord.Message) -> None:
        if message.content == "!asks":
            await message.channel.send("Ask 7: shelve returns", view=ClaimView())

    await start_client(client)
    client.add_view(ClaimView())
    said = await standin.user_says(union.bob, union.asks, "!asks")
    posted = await standin.wait_for_message(union.asks, after=said)
    assert posted.custom_ids() == {"claim:7": 2}

    handle = await standin.user_clicks(union.alice, posted, "claim:7")

    answer = await handle.response()
    assert answer.type == 7 and answer.components == []
    assert handle.payload["data"] == {"custom_id": "claim:7", "component_type": 2}
    assert posted.content == "Ask 7: claimed by alice" and posted.components == []
    with pytest.raises(AssertionError, match="no component"):
        await standin.user_clicks(union.alice, posted, "claim:7")


async def test_a_button_answered_with_a_deferred_update_edits_its_message_through_original(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()

    class SlowClaimView(discord.ui.View):
        @discord.ui.button(label="Claim", custom_id="slow-claim:8")
        async def claim(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
            await interaction.response.defer()
            await interaction.edit_original_response(content="Ask 8: claimed", view=None)

    await start_client(client)
    posted_by_bot = await client.get_partial_messageable(union.asks.id).send(
        "Ask 8: catalogue the zines", view=SlowClaimView()
    )
    posted = standin.messages_in(union.asks)[0]
    assert posted.id == posted_by_bot.id

    handle = await standin.user_clicks(union.bob, posted, "slow-claim:8")

    assert (await handle.response()).type == 6
    await standin.wait_for_request("PATCH", "/webhooks/{app}/{token}/messages/@original")
    assert handle.original is posted
    assert posted.content == "Ask 8: claimed" and posted.components == []


async def test_autocomplete_suggestions_come_back_as_choices(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()
    tree = app_commands.CommandTree(client)
    skills = ["cataloguing", "campaigning", "translation"]

    async def suggest(interaction: discord.Interaction, typed: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=s, value=s) for s in skills if s.startswith(typed)]

    @tree.command(description="Find volunteers with a skill")
    @app_commands.autocomplete(skill=suggest)
    async def find(interaction: discord.Interaction, skill: str) -> None:
        await interaction.response.send_message(skill)

    await start_client(client)
    await sync_to_guild(tree, union.guild)

    handle = await standin.user_autocompletes(union.bob, union.general, "find", {"skill": "ca"}, focused="skill")

    answer = await handle.response()
    assert answer.type == 8
    assert [c["value"] for c in answer.choices] == ["cataloguing", "campaigning"]
    assert handle.payload["data"]["options"][0]["focused"] is True


# --- the gateway ------------------------------------------------------------------------------------


async def test_op_7_makes_the_client_resume_on_the_resume_url(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()
    inbox = messages_inbox(client)
    await start_client(client)
    await standin.user_says(union.bob, union.general, "before")
    await inbox.wait_for(lambda m: m.content == "before")
    session = standin.gateway_sessions[0]

    await standin.reconnect()

    resume = next(f for f in standin.gateway_frames if f.op == Op.RESUME)
    assert resume.path == RESUME_PATH
    assert resume.d["session_id"] == session.session_id
    assert resume.d["seq"] == next(d.seq for d in session.log if d.event == "MESSAGE_CREATE")
    await standin.user_says(union.bob, union.general, "after")
    await inbox.wait_for(lambda m: m.content == "after")
    assert [m.content for m in inbox.items] == ["before", "after"]  # nothing replayed twice


async def test_a_resume_can_replay_an_event_the_client_already_had(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()
    inbox = messages_inbox(client)
    await start_client(client)
    said = await standin.user_says(union.bob, union.general, "!claim 7")
    await inbox.wait_for(lambda m: m.id == said.id)

    await standin.reconnect(replay_last=1)

    twice = await inbox.wait_for(lambda m: m.id == said.id, count=2)
    assert [m.content for m in twice] == ["!claim 7", "!claim 7"]


async def test_events_sent_while_the_connection_is_down_arrive_after_the_resume(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()
    inbox = messages_inbox(client)
    await start_client(client)

    await standin.drop_connection()
    await standin.user_says(union.bob, union.general, "while away?")
    await standin.invalidate_session(resumable=True)

    await inbox.wait_for(lambda m: m.content == "while away?")
    assert len(standin.gateway_sessions) == 1 and standin.gateway_sessions[0].resumes == 2


async def test_a_non_resumable_invalid_session_makes_the_client_identify_again(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = new_client()
    inbox = messages_inbox(client)
    await start_client(client)

    await standin.invalidate_session(resumable=False)

    first, second = standin.gateway_sessions
    assert first.ended and second.ready_sent and second.session_id != first.session_id
    await standin.user_says(union.bob, union.general, "hello again")
    await inbox.wait_for(lambda m: m.content == "hello again")


# --- the stand-in's own safety net ----------------------------------------------------------------


async def test_an_unknown_route_answers_404_and_is_recorded_for_the_fixture_to_fail(
    standin: DiscordStandin, union: LibraryUnion, start_client: StartClient
) -> None:
    client = await start_client(new_client())

    with pytest.raises(discord.NotFound):
        await client.get_partial_messageable(union.general.id).get_partial_message(1).pin()

    (unknown,) = standin.unknown_routes
    assert (unknown.method, unknown.path) == ("PUT", f"/channels/{union.general.id}/messages/pins/1")
    standin.unknown_routes.clear()  # expected here; anywhere else it fails the test at teardown
