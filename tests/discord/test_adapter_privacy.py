"""Private stays private (ephemeral replies, DMs) and nothing a user types can ping anyone."""

from __future__ import annotations

import re

import pytest

from bot.adapters.discord_render import code, escape, nonce, render
from bot.core.text import Code, Mention, Plain, Strong
from bot.ids import PersonId

from .conftest import DiscordBot, Server, StartBot, slash
from .standin import DiscordStandin
from .standin_model import Message

POINTER = "I've sent you the details privately."


def from_bot(standin: DiscordStandin, messages: list[Message]) -> list[Message]:
    return [m for m in messages if m.author_id == standin.bot.id]


async def test_a_private_reply_to_a_slash_command_is_ephemeral_and_nothing_else_is_said(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    answer = await slash(standin, server.bob, server.general, "mine")

    assert answer.ephemeral and answer.content is not None
    assert POINTER not in answer.content
    assert from_bot(standin, standin.messages_in(server.general)) == []
    assert standin.dm_messages_to(server.bob) == []


async def test_a_private_reply_to_a_bang_command_goes_to_dms_and_the_channel_gets_a_pointer(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    said = await standin.user_says(server.bob, server.general, "!mine")

    private = await standin.wait_for_message(standin.dm_channel(server.bob), after=said)
    pointer = await standin.wait_for_message(server.general, after=said)
    assert private.content == (await slash(standin, server.bob, server.general, "mine")).content
    assert pointer.content == POINTER and pointer.reference_id == said.id


async def test_when_dms_are_closed_the_channel_is_told_how_to_get_the_answer(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    refused = standin.fail_next("POST", f"/channels/{standin.dm_channel(server.bob).id}/messages", status=403)

    said = await standin.user_says(server.bob, server.general, "!mine")

    note = await standin.wait_for_message(server.general, after=said)
    assert note.content.startswith("I couldn't message you privately")
    assert len(refused.hits) == 1 and standin.dm_messages_to(server.bob) == []
    assert [m.content for m in from_bot(standin, standin.messages_in(server.general))] == [note.content]


async def test_a_slow_private_command_is_deferred_privately_and_answered_privately(
    standin: DiscordStandin, server: Server, start_bot: StartBot
) -> None:
    await start_bot(answer_within=0)

    handle = await standin.user_runs_slash(server.bob, server.general, "mine")

    deferred = await handle.response()
    assert deferred.type == 5 and deferred.ephemeral  # "thinking…", only bob sees it
    answer = await handle.wait_for_original()  # the "thinking…" message, filled in
    assert answer.ephemeral and answer.content and handle.followups == []
    assert from_bot(standin, standin.messages_in(server.general)) == []


async def test_a_slow_public_command_is_deferred_and_answered_in_the_channel(
    standin: DiscordStandin, server: Server, start_bot: StartBot
) -> None:
    await start_bot(answer_within=0)

    handle = await standin.user_runs_slash(server.bob, server.general, "volunteer", {"skill": "research"})

    deferred = await handle.response()
    assert deferred.type == 5 and not deferred.ephemeral
    answer = await handle.wait_for_original()
    assert answer.content.startswith("Welcome aboard, bob!") and handle.followups == []
    assert [m.id for m in from_bot(standin, standin.messages_in(server.general))] == [answer.id]


async def test_mass_mentions_typed_into_an_ask_ping_nobody_anywhere(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    await slash(standin, server.bob, server.general, "volunteer", {"skill": "research"})
    loud = standin.add_user("loud", global_name="@everyone")
    standin.add_member(server.guild, loud, roles=(server.lead,))
    title = f"@everyone @here <@&{server.lead.id}> <@{server.carol.id}> **now** [x](https://evil.example)"

    reply = await slash(standin, loud, server.general, "ask", {"title": title, "skill": "research"}, subcommand="post")

    announced = await standin.wait_for_message(server.asks)
    told = await standin.wait_for_message(standin.dm_channel(server.bob))
    posted = next(m for m in standin.messages_in(server.general) if m.content == reply.content)
    for message in (posted, announced, told):
        assert not message.pings_everyone and message.pinged_role_ids == []
        assert message.mentioned_user_ids == [] and message.mentioned_role_ids == []
        assert message.allowed_mentions == {"parse": [], "users": []}
        assert "\\*\\*now\\*\\* \\[x](https://evil.example)" in message.content  # shown as typed
    assert announced.content.startswith("New ask from @\u200beveryone:")


async def test_a_mention_in_a_message_command_is_not_echoed_as_a_ping(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    said = await standin.user_says(server.bob, server.general, f"!volunteer <@{server.carol.id}> @everyone")

    reply = await standin.wait_for_message(server.general, after=said)
    assert reply.pinged_user_ids == [] and not reply.pings_everyone and reply.pinged_role_ids == []


def test_plain_text_is_shown_literally() -> None:
    assert escape("**bold** _it_ `code` ~~s~~ ||spoiler||") == (
        "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\|\\|spoiler\\|\\|"
    )
    assert escape("# Heading\n> quote\n- item") == "\\# Heading\n\\> quote\n\\- item"
    assert escape("@everyone @here <@12> <@!34> <@&56>") == (
        "@\u200beveryone @\u200bhere \\<@\u200b12> \\<@\u200b!34> \\<@\u200b&56>"
    )
    assert escape("see https://example.org/a_b_c") == "see https://example.org/a_b_c"


#: A masked link Discord would render: an opening bracket not escaped (an even run of backslashes
#: before it), its text, and a URL in parentheses.
RENDERED_LINK = re.compile(r"(?<!\\)(?:\\\\)*\[[^\]]*\]\(\S+\)")


@pytest.mark.parametrize(
    "typed",
    [
        "[x](https://evil.example)",
        "[a](https://e.example) and [b](https://f.example) and [c](<https://g.example>)",
        "[a](https://e.example)[b](https://f.example)",
        "\\[x](https://evil.example) \\\\[y](https://evil.example)",
        "[[x](https://e.example)](https://f.example)",
    ],
)
def test_every_masked_link_in_a_line_is_shown_as_typed(typed: str) -> None:
    shown = escape(typed)

    assert RENDERED_LINK.search(shown) is None
    assert shown.replace("\\", "") == typed.replace("\\", "")  # only backslashes were added


def test_code_survives_backticks_and_cannot_mention() -> None:
    assert code("claim 12") == "`claim 12`"
    assert code("a`b") == "`` a`b ``"
    assert code("a``b") == "`aˋˋb`"
    assert code("@everyone") == "`@\u200beveryone`"


def test_a_mention_pings_only_the_people_the_reply_is_about() -> None:
    text = (Plain("Meet "), Mention(PersonId(1), "bob"), Plain(" and "), Mention(PersonId(2), "eve"))
    assert render(text, {PersonId(1): "123"}) == "Meet <@123> and @eve"
    assert render((Strong("@here"), Code("x")), {}) == "**@\u200bhere**`x`"


def test_the_nonce_is_a_stable_25_character_digest_of_the_key() -> None:
    first = nonce("nudges:p7:2026-11-24")
    assert first == nonce("nudges:p7:2026-11-24") and len(first) == 25
    assert first != nonce("nudges:p7:2026-11-25")
