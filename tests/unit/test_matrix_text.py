"""How replies look on Matrix and how messages are read, without a homeserver."""

from __future__ import annotations

from bot.adapters.matrix_read import pills_in, read
from bot.adapters.matrix_render import ZERO_WIDTH_JOINER, render
from bot.core.messages import Button, Outgoing
from bot.core.text import Code, Mention, Plain, Strong, fmt
from bot.ids import PersonId

BOT = "@bot:example.org"


def test_a_reply_is_a_notice_with_escaped_html_a_plain_body_and_empty_mentions() -> None:
    text = (Plain("Title: <b>x</b> & <script>\n"), Code("claim 3"), Plain(" "), Strong("now"))

    content = render(Outgoing(text, False), reply_to="$cmd")

    assert content["msgtype"] == "m.notice"
    assert content["body"] == "Title: <b>x</b> & <script>\n`claim 3` now"
    assert content["formatted_body"] == (
        "Title: &lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;<br><code>claim 3</code> <strong>now</strong>"
    )
    assert content["m.mentions"] == {"user_ids": []}
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": "$cmd"}}


def test_a_message_the_bot_starts_in_a_direct_chat_is_text_so_that_it_notifies() -> None:
    assert render(Outgoing((Plain("Ask 3: no update for 7 days."),), True), notify=True)["msgtype"] == "m.text"


def test_only_people_in_mention_ids_become_pills_and_mentions() -> None:
    text = (Mention(PersonId(1), "Ann <i>"), Plain(" and "), Mention(PersonId(2), "Bo"))

    content = render(Outgoing(text, False, mention_ids={PersonId(1): "@ann:example.org"}))

    assert content["m.mentions"] == {"user_ids": ["@ann:example.org"]}
    assert content["formatted_body"] == '<a href="https://matrix.to/#/@ann:example.org">Ann &lt;i&gt;</a> and Bo'
    assert content["body"] == "Ann <i> and Bo"


def test_mass_mentions_typed_by_users_are_broken_in_body_and_html() -> None:
    content = render(Outgoing((Plain("hi @room, @Everyone and @here; mail@roomy.org"),), False))

    broken = "@" + ZERO_WIDTH_JOINER
    assert content["body"] == f"hi {broken}room, {broken}Everyone and {broken}here; mail@roomy.org"
    assert "@room," not in content["formatted_body"]
    assert "room" not in content["m.mentions"]


def test_buttons_become_a_hint_unless_the_text_already_shows_the_command() -> None:
    shown = render(Outgoing((Plain("New ask. "), Code("claim 12")), False, (Button("Claim", "claim 12"),)))
    hinted = render(
        Outgoing(
            (Plain("Meet Bo?"),),
            False,
            (Button("Yes, introduce us", "accept 5"), Button("Not now", "decline 5")),
        )
    )

    assert shown["body"] == "New ask. `claim 12`"
    assert hinted["body"] == "Meet Bo?\nReply `!accept 5` (Yes, introduce us) or `!decline 5` (Not now)."


def test_a_reply_in_a_thread_stays_in_the_thread() -> None:
    content = render(Outgoing((Plain("ok"),), False), reply_to="$cmd", thread_root="$root")

    assert content["m.relates_to"] == {
        "rel_type": "m.thread",
        "event_id": "$root",
        "is_falling_back": False,
        "m.in_reply_to": {"event_id": "$cmd"},
    }


def test_pills_are_read_from_permalinks_and_matrix_uris_but_not_room_links() -> None:
    html = (
        '<a href="https://matrix.to/#/%40ann%3Aexample.org?via=x">Ann</a> '
        '<a href="matrix:u/bo:example.org">Bo</a> <a href="https://matrix.to/#/#room:example.org">r</a>'
    )

    assert [(p.user_id, p.text) for p in pills_in(html)] == [
        ("@ann:example.org", "Ann"),
        ("@bo:example.org", "Bo"),
    ]


def test_a_pill_with_spaces_is_replaced_by_the_user_id_so_the_parser_sees_one_word() -> None:
    content = {
        "body": "!intro Jo Lee Ann why:books",
        "format": "org.matrix.custom.html",
        "formatted_body": '!intro <a href="https://matrix.to/#/@jo:x">Jo Lee</a> '
        '<a href="https://matrix.to/#/@ann:x">Ann</a> why:books',
        "m.mentions": {"user_ids": ["@jo:x", "@ann:x", "@cy:x"]},
    }

    command = read(content, BOT, {"@jo:x": "Jo Lee"}.get, None)

    assert command.text == "!intro @jo:x Ann why:books"
    assert [(m.raw, m.user_id, m.display_name) for m in command.mentions] == [
        ("@jo:x", "@jo:x", "Jo Lee"),
        ("Ann", "@ann:x", "Ann"),
        ("@cy:x", "@cy:x", "@cy:x"),
    ]


def test_a_leading_mention_of_the_bot_and_a_quoted_reply_are_not_part_of_the_command() -> None:
    pill = '<a href="https://matrix.to/#/@bot:example.org">Volunteer Bot</a>: !help'
    mentioned = read(
        {"body": "Volunteer Bot: !help", "format": "org.matrix.custom.html", "formatted_body": pill},
        BOT,
        _nobody,
        "Volunteer Bot",
    )
    replying = read(
        {
            "body": "> <@ann:x> earlier words\n> more\n\n!claim 3",
            "m.relates_to": {"m.in_reply_to": {"event_id": "$e"}},
        },
        BOT,
        _nobody,
        None,
    )

    assert (mentioned.text, mentioned.mentions) == ("!help", ())
    assert replying.text == "!claim 3"


def _nobody(user_id: str) -> str | None:
    return None


def test_m_mentions_is_left_out_only_where_nobody_but_the_reader_could_be_pinged() -> None:
    nobody = Outgoing(fmt("Saved. Next: `mine`."), False)
    someone = Outgoing((Plain("Meet "), Mention(PersonId(1), "Ann")), False, mention_ids={PersonId(1): "@ann:x"})

    assert render(nobody)["m.mentions"] == {"user_ids": []}  # a room with others in it
    assert "m.mentions" not in render(nobody, alone=True)  # the bot and the reader: nobody else to ping
    assert render(someone, alone=True)["m.mentions"] == {"user_ids": ["@ann:x"]}
