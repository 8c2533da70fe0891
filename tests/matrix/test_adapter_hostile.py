"""Hostile and awkward input: mass mentions, HTML, huge messages, mentions of names with spaces."""

from __future__ import annotations

from bot.adapters.matrix_render import ZERO_WIDTH_JOINER

from .bots import BotFactory, command, room_with
from .humans import HumanFactory

EVIL = '@room <b>urgent</b> <a href="https://evil.example">click</a> @everyone'


async def test_mass_mentions_and_html_in_arguments_are_shown_as_text_and_ping_nobody(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    alice = await make_human("alice")
    bob = await make_human("bob")
    bot = await make_bot(admins=[f"matrix:{alice.user_id}"])
    room = await room_with(alice, bob, bot)

    reply = await command(alice, room, f"!ask title:'{EVIL}'")
    seen_by_bob = await bob.wait_for_message(room, lambda m: m.event_id == reply.event_id)

    assert f"@{ZERO_WIDTH_JOINER}room <b>urgent</b>" in reply.body
    assert f"@{ZERO_WIDTH_JOINER}everyone" in reply.body
    assert reply.formatted_body is not None
    assert "&lt;b&gt;urgent&lt;/b&gt; &lt;a href=" in reply.formatted_body
    assert "<b>" not in reply.formatted_body and 'evil.example">' not in reply.formatted_body
    assert seen_by_bob.content["m.mentions"] == {"user_ids": []}  # not even `"room": false`
    assert seen_by_bob.msgtype == "m.notice"  # default push rules never notify for notices


async def test_a_huge_message_gets_a_short_answer_that_does_not_repeat_it(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot()
    alice = await make_human("alice")
    bob = await make_human("bob")
    room = await room_with(alice, bob, bot)

    reply = await command(alice, room, "!volunteer " + "x" * 50_000)
    profile = await command(alice, room, "!skills")

    assert reply.body.startswith("That message is too long for me (50011 characters; the limit is 4000)")
    assert len(reply.body) < 300
    assert profile.body.startswith("No skills yet"), "nothing was changed"


async def test_a_mention_pill_for_a_name_with_spaces_finds_that_member(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot()
    alice = await make_human("alice")
    bob = await make_human("bob")
    await bob.client.set_displayname("Bob Smith")
    room = await room_with(alice, bob, bot)
    await command(bob, room, "!volunteer cataloguing")

    pill = f'<a href="https://matrix.to/#/{bob.user_id}">Bob Smith</a>'
    reply = await command(alice, room, "!whois Bob Smith", formatted_body=f"!whois {pill}", mentions=[bob.user_id])

    assert reply.body.startswith("Bob Smith"), reply.body
    assert "cataloguing" in reply.body
