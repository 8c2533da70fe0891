"""The slash commands are the registry's: every command, typed options, descriptions, autocomplete,
and `python -m bot discord-sync` to push them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.adapters.discord_commands import BASE_FORM, MAX_DESCRIPTION, SlashCommands, describe
from bot.catalog import REGISTRY

from .conftest import DiscordBot, Server, slash
from .standin import DiscordStandin

SLASH = SlashCommands(REGISTRY)


def synced_labels(standin: DiscordStandin, server: Server) -> set[str]:
    """Every invocable `/name` or `/name sub` Discord knows for the server."""
    labels = set()
    for command in standin.synced_commands(server.guild):
        subs = [o["name"] for o in command.body.get("options", []) if o["type"] == 1]
        labels.update(f"/{command.name} {sub}" for sub in subs) if subs else labels.add(f"/{command.name}")
    return labels


def options_of(label: str) -> dict[str, dict[str, object]]:
    top, _, sub = label.removeprefix("/").partition(" ")
    body = next(c for c in SLASH.payload() if c["name"] == top)
    options = body["options"]
    if sub:
        options = next(o for o in options if o["name"] == sub)["options"]
    return {o["name"]: o for o in options}


async def test_every_registry_command_is_a_slash_command_synced_at_start(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    expected = {SLASH.of(command).label for command in REGISTRY.commands}

    assert synced_labels(standin, server) == expected
    assert len(expected) == len(REGISTRY.commands)  # one slash command (or subcommand) per form


def test_commands_with_several_forms_become_subcommands_named_by_their_form() -> None:
    labels = {command.key: SLASH.of(command).label for command in REGISTRY.commands}

    assert labels["ask.post"] == "/ask post" and labels["ask.show"] == "/ask show"
    assert labels["checkin"] == f"/checkin {BASE_FORM}"
    assert labels["checkin.off"] == "/checkin off" and labels["checkin.reply"] == "/checkin reply"
    assert labels["claim"] == "/claim" and labels["volunteer"] == "/volunteer"


def test_descriptions_are_the_registrys_within_discords_limit() -> None:
    for command in REGISTRY.commands:
        slash = SLASH.of(command)
        top = next(c for c in SLASH.payload() if c["name"] == slash.top)
        node = top if slash.sub is None else next(o for o in top["options"] if o["name"] == slash.sub)
        assert node["description"] == describe(command.summary)
        for param in command.params:
            assert options_of(slash.label)[param.name]["description"] == describe(param.help)
    assert describe("Use `mine` or `stale`.") == "Use mine or stale."
    assert len(describe("word " * 40)) == MAX_DESCRIPTION


def test_options_are_typed_from_the_argument_kinds() -> None:
    claim, asks = options_of("/claim"), options_of("/asks")
    profile, post = options_of("/profile"), options_of("/ask post")

    assert claim["id"] == {
        "name": "id",
        "description": "The ask's number.",
        "required": True,
        "type": 4,
        "min_value": 1,
        "max_value": 999_999_999,
        "autocomplete": True,
    }
    assert asks["mine"]["type"] == 5 and asks["mine"]["required"] is False
    assert [c["value"] for c in profile["library"]["choices"]] == [
        "public",
        "academic",
        "school",
        "special",
        "archive",
        "other",
    ]
    assert post["title"]["type"] == 3 and post["title"]["max_length"] == 200
    assert options_of("/volunteer")["skill"]["max_length"] == 41 * 30 - 1  # 30 skills of 40
    assert options_of("/whois")["member"]["type"] == 3 and options_of("/whois")["member"]["autocomplete"]
    assert list(post) == ["title", "skill", "need", "due", "details"]  # required ones first
    assert (post["need"]["min_value"], post["need"]["max_value"]) == (1, 100)  # Discord refuses need:0 itself
    assert (asks["page"]["min_value"], profile["load"]["max_value"]) == (1, 50)


async def test_a_flag_and_a_number_arrive_as_the_dispatcher_expects(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    await slash(standin, server.alice, server.general, "ask", {"title": "Old"}, subcommand="post")
    await slash(standin, server.alice, server.general, "ask", {"title": "New"}, subcommand="post")
    await slash(standin, server.bob, server.general, "claim", {"id": 1})

    mine = await slash(standin, server.bob, server.general, "asks", {"mine": True})
    everything = await slash(standin, server.bob, server.general, "asks", {"mine": False})

    assert mine.content is not None and "Old" in mine.content and "New" not in mine.content
    assert everything.content is not None and "Old" in everything.content and "New" in everything.content


async def test_autocomplete_suggests_open_asks_by_number_or_title(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    for title in ("Shelve the zines", "Call the archive", "Zine fair table"):
        await slash(standin, server.alice, server.general, "ask", {"title": title}, subcommand="post")

    by_title = await standin.user_autocompletes(server.bob, server.general, "claim", {"id": "zine"}, focused="id")
    by_number = await standin.user_autocompletes(server.bob, server.general, "claim", {"id": "2"}, focused="id")

    assert (await by_title.response()).choices == [
        {"name": "3 · Zine fair table", "value": 3},
        {"name": "1 · Shelve the zines", "value": 1},
    ]
    assert (await by_number.response()).choices == [{"name": "2 · Call the archive", "value": 2}]
    # A broken character half-typed (a lone surrogate) raised, and no suggestions came at all.
    broken = await standin.user_autocompletes(server.bob, server.general, "claim", {"id": "zine\ud800"}, focused="id")
    assert [choice["value"] for choice in (await broken.response()).choices] == [3, 1]


async def test_a_member_option_naming_someone_without_an_account_here_names_them_not_their_id(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    """`/whois member:@olive` said "I don't know anyone called @user 1579… yet"; `!whois @olive`
    said her name. The interaction carries it (`data.resolved`)."""
    await slash(standin, server.bob, server.general, "volunteer", {"skill": "research"})
    answer = await slash(standin, server.bob, server.general, "whois", {"member": server.olive.mention})
    assert answer.content is not None and "anyone called @olive yet" in answer.content, answer.content


async def test_autocomplete_suggests_skills_in_use_and_completes_the_last_of_several(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    await slash(standin, server.bob, server.general, "volunteer", {"skill": "research writing"})
    await slash(standin, server.carol, server.general, "volunteer", {"skill": "research"})

    handle = await standin.user_autocompletes(
        server.alice, server.general, "volunteer", {"skill": "writing Re"}, focused="skill"
    )

    assert (await handle.response()).choices == [{"name": "writing research (2)", "value": "writing research"}]


async def test_autocomplete_suggests_members_as_mentions_and_the_askers_own_intros(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    for person in (server.alice, server.bob):
        await slash(standin, person, server.general, "volunteer", {"skill": "organising"})
    await slash(
        standin,
        server.carol,
        server.general,
        "intro",
        {"member": f"<@{server.alice.id}>", "other": f"<@{server.bob.id}>", "why": "neighbours"},
    )

    members = await standin.user_autocompletes(server.carol, server.general, "whois", {"member": "B"}, focused="member")
    intros = await standin.user_autocompletes(server.alice, server.general, "accept", {"id": ""}, focused="id")
    nobody = await standin.user_autocompletes(server.carol, server.general, "accept", {"id": ""}, focused="id")

    assert (await members.response()).choices == [{"name": "bob", "value": f"<@{server.bob.id}>"}]
    assert (await intros.response()).choices == [{"name": "1 · with bob", "value": 1}]
    assert (await nobody.response()).choices == []


async def test_a_member_picked_from_the_suggestions_is_passed_on_as_a_mention(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    await slash(standin, server.bob, server.general, "volunteer", {"skill": "research"})

    answer = await slash(standin, server.carol, server.general, "whois", {"member": f"<@{server.bob.id}>"})

    assert answer.content is not None and answer.content.startswith("**bob**")


def run_cli(*args: str) -> int:
    """`python -m bot …` in this process; in a thread, since it runs its own event loop while
    the stand-in serves on the test's."""
    return main(list(args))


async def test_discord_sync_pushes_the_commands_to_the_configured_server(
    discord_at_standin: DiscordStandin,
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"discord:\n  guild_ids: [{server.guild.id}]\n")
    monkeypatch.setenv("DISCORD_TOKEN", discord_at_standin.token)

    assert await asyncio.to_thread(run_cli, "discord-sync", "--config", str(config)) == 0

    assert synced_labels(discord_at_standin, server) == {s.label for s in SLASH.slashes}
    assert capsys.readouterr().out == f"synced the slash commands to server {server.guild.id}\n"
    assert discord_at_standin.gateway_sessions == []  # HTTP only: no gateway connection


async def test_discord_sync_says_what_is_wrong_with_the_token(
    discord_at_standin: DiscordStandin, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "not-the-token")
    assert await asyncio.to_thread(run_cli, "discord-sync") == 2
    assert "Discord refused DISCORD_TOKEN" in capsys.readouterr().err

    monkeypatch.delenv("DISCORD_TOKEN")
    assert await asyncio.to_thread(run_cli, "discord-sync") == 2
    assert "set DISCORD_TOKEN" in capsys.readouterr().err


async def test_a_slash_command_this_version_does_not_have_gets_a_private_explanation(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    client = bot.adapter.client
    retired = {"name": "retired", "description": "Gone in this version.", "type": 1}
    assert client.application_id is not None
    await client.http.bulk_upsert_guild_commands(client.application_id, server.guild.id, [*SLASH.payload(), retired])

    answer = await slash(standin, server.bob, server.general, "retired")

    assert answer.ephemeral and answer.content is not None and answer.content.startswith("That command is out of date")
