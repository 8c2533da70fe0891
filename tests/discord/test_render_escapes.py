"""Every Discord form a user can type is shown as typed: `<…>` forms (channels, slash commands,
timestamps, custom emoji, guide links), and lists, headings, subtext and quotes at a line start."""

from __future__ import annotations

import pytest

from bot.adapters.discord_render import escape, render
from bot.core.text import Plain, Strong

from .conftest import DiscordBot, Server, slash
from .discord_markdown import ZWSP, LiveMarkup, shown
from .standin import DiscordStandin

FORMS = [
    "<#123456789012345678>",  # a channel link
    "</claim:1234567890123456789>",  # a slash-command mention
    "</ask post:1234567890123456789>",
    "<t:1700000000:R>",  # a timestamp ("in 3 years")
    "<t:1700000000>",
    "<:party:123456789012345678>",  # a custom emoji
    "<a:party:123456789012345678>",  # an animated one
    "<id:customize>",  # guide and navigation links
    "<id:browse>",
    "<id:guide>",
    "<id:linked-roles:123>",
    "<https://evil.example>",  # a link with its brackets hidden
    "<@123456789012345678>",
    "<@&123456789012345678>",
]

LINE_STARTS = [
    "1. item",
    "10. item",
    "- item",
    "* item",
    "+ item",
    "  - nested item",
    "# heading",
    "## heading",
    "### heading",
    "-# subtext",
    "> quote",
    ">>> quote",
    "  > indented quote",
]


def reads(text: str) -> str:
    """What Discord shows for `text` escaped, zero-width spaces aside; raises on any markup."""
    return "".join(char for _, char in shown(escape(text)) if char != ZWSP)


@pytest.mark.parametrize("form", FORMS)
def test_a_discord_form_is_shown_as_typed_not_rendered(form: str) -> None:
    assert reads(f"see {form} now") == f"see {form} now"
    assert escape(form).startswith("\\<")  # the escape Discord shows as nothing


@pytest.mark.parametrize("line", LINE_STARTS)
def test_a_list_heading_or_quote_at_a_line_start_is_shown_as_typed(line: str) -> None:
    for text in (line, f"first\n{line}", f"first\n\n{line}", f"first\r{line}", f"a {line}"):
        assert reads(text) == text


def test_escaping_only_adds_backslashes_so_the_text_stays_readable() -> None:
    typed = "1. see <#1> <t:1700000000:R> </claim:2> <:e:3> <id:customize> [x](https://e.example)"
    assert escape(typed).replace("\\", "") == typed


def test_the_reference_sees_each_form_rendered_when_unescaped() -> None:
    assert shown("<@12>") == [("ping", "12")]  # the one form the bot itself writes
    for text in [*FORMS, *LINE_STARTS]:
        if text != "<@123456789012345678>":
            with pytest.raises(LiveMarkup):
                shown(text)


def test_forms_in_bold_are_shown_as_typed_too() -> None:
    content = render((Strong("<#1> <t:1700000000:R>\n1. x"), Plain(" and </claim:2>")), {})
    assert "".join(char for _, char in shown(content)) == "<#1> <t:1700000000:R>\n1. x and </claim:2>"


async def test_forms_typed_in_an_asks_details_reach_discord_as_text(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    details = "DETAILS_HERE <#123456789012345678> <t:1700000000:R> </claim:1234567890123456789> <:e:1>"
    await slash(standin, server.alice, server.general, "ask", {"title": "T", "details": details}, subcommand="post")

    said = await standin.user_says(server.bob, server.general, "!ask 1")
    reply = await standin.wait_for_message(server.general, after=said)

    assert details in "".join(char for _, char in shown(reply.content))  # raises on any markup
