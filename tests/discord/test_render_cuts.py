"""A reply too long for one Discord message is cut so that no cut changes how anything renders:
never inside an escape, a bold or code span, or a mention, whatever the user typed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.discord_render import MAX_CONTENT, parts
from bot.core.text import Code, Mention, Plain, Strong
from bot.ids import PersonId

from .conftest import DiscordBot, Server, slash
from .discord_markdown import LiveMarkup, as_typed, seen, shown
from .standin import DiscordStandin

Span = Plain | Strong | Code | Mention
PINGED = {PersonId(1): "123456789012345678"}


def check(text: tuple[Span, ...], limit: int = MAX_CONTENT) -> list[str]:
    """Cut `text` and prove each part fits and renders on its own (no lone backslash at its end;
    `seen` fails on a live masked link, an open bold or code span or any other live markup), and
    that together the parts read as typed, each character in its span's style."""
    cut = parts(text, PINGED, limit)
    for part in cut:
        assert 0 < len(part) <= limit
        trailing = len(part) - len(part.rstrip("\\"))
        assert trailing % 2 == 0, f"a part ends with a lone backslash: {part[-20:]!r}"
    assert seen(cut) == as_typed(text, PINGED)
    return cut


def test_the_audits_escapes_cannot_move_the_cut_onto_a_masked_link() -> None:
    typed = "_" * 999 + "a" + "[click here](https://evil.example)"

    cut = check((Plain("Details: "), Plain(typed)))

    assert len(cut) == 2 and cut[1].endswith("a\\[click here](https://evil.example)")


@pytest.mark.parametrize("char", [*"\\*_~|`[]<>#-+.@:", "1.", "@everyone", "<#1>", "[x](https://e.example) "])
@pytest.mark.parametrize("offset", [0, 1])
def test_a_long_run_of_any_markup_character_is_cut_between_escapes(char: str, offset: int) -> None:
    check((Plain("a" * offset + char * (4500 // len(char))),))


def test_a_long_bold_span_is_closed_before_each_cut_and_reopened_after() -> None:
    cut = check((Plain("Note: "), Strong("*_" * 1500 + "end")))

    assert len(cut) > 1 and all(part.endswith("**") for part in cut)


@pytest.mark.parametrize("inside", ["y", "a`", "@everyone ", "``x"])
def test_a_long_code_span_is_closed_before_each_cut_and_reopened_after(inside: str) -> None:
    cut = check((Code(inside * (4500 // len(inside))),))

    assert len(cut) > 1 and all(part.endswith("`") for part in cut)


def test_many_masked_links_in_one_line_stay_text_in_every_part() -> None:
    check((Plain("[x](https://evil.example) [y](<https://evil.example>) " * 120),))


def test_a_mention_is_never_cut_and_still_pings() -> None:
    line = (Plain("\\" * 1990), Mention(PersonId(1), "bob"), Plain(" <@1> " * 10), Mention(PersonId(2), "eve"))

    cut = check(line)

    assert sum(part.count("<@123456789012345678>") for part in cut) == 1


def test_a_cut_prefers_a_space_near_the_end() -> None:
    cut = check((Plain("word " * 600),))

    assert all(part.endswith("word ") for part in cut[:-1])


def test_line_starts_made_by_a_cut_are_escaped() -> None:
    # Each cut starts a new message, so what follows it is at a line start there.
    check((Plain("x" * 1999 + "# heading > quote - item 1. item -# sub"),))
    check((Plain("x" * 1998 + "\n# heading\n1. item"),))


def test_long_text_is_cut_at_line_ends_into_messages_discord_accepts() -> None:
    line = "x" * 1500
    assert parts((Plain(f"{line}\n{line}\n{line}"),)) == [line, line, line]
    assert parts((Plain("short\ntext"),)) == ["short\ntext"]
    assert [len(p) for p in parts((Plain("y" * 4500),))] == [MAX_CONTENT, MAX_CONTENT, 500]
    assert parts(()) == [] and parts((Plain("\n \n"),)) == []


def test_the_reference_renderer_sees_what_the_old_cut_did() -> None:
    """The test's own reference: a part starting with a masked link, or ending inside an escape
    or a bold span, is markup."""
    for live in ("[click](https://evil.example)", "**open", "`open", "# heading", "<t:1700000000:R>", "a_b"):
        with pytest.raises(LiveMarkup):
            seen([live])
    with pytest.raises(LiveMarkup):  # the old cut of `\_\[x](…)`
        seen(["\\_\\", "[x](https://e.example)"])
    assert shown("\\[x](https://e.example) **b** `c` <@12>") == [
        *[("plain", char) for char in "[x](https://e.example) "],
        ("bold", "b"),
        ("plain", " "),
        ("code", "c"),
        ("plain", " "),
        ("ping", "12"),
    ]


#: Markup characters, and whole forms a character-by-character search would rarely build.
#: Links end in a space: Discord's link rule would take a backslash (an escaped `\\` or `[`)
#: typed right after a link into the link, which shows that backslash but renders nothing.
_PIECES = [*"\\*_~|`[]()<>#-+.1 @:/\n\rxé", "@everyone", "<#1>", "[x](", "](https://e.example) ", "1. ", "-# "]
_HOSTILE = st.lists(st.sampled_from([*_PIECES, ">>> ", "https://e.example/a_b*c~d "]), max_size=120).map("".join)
_SPAN = st.one_of(
    _HOSTILE.map(Plain),
    _HOSTILE.map(Strong),
    _HOSTILE.map(Code),
    st.sampled_from([Mention(PersonId(1), "bob"), Mention(PersonId(3), "everyone")]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SPAN, max_size=8), st.sampled_from([24, 40, 120]))
def test_any_text_cut_at_any_limit_reads_as_typed(text: list[Span], limit: int) -> None:
    # Code spans that a cut leaves as only spaces, or with spaces at both ends and a backtick
    # inside, read differently in any markdown; the bot never writes such code, so skip them.
    for span in text:
        if isinstance(span, Code) and (not span.text.strip() or "`" in span.text or "\n" in span.text):
            return
    check(tuple(text), limit)


async def test_a_long_line_of_escapes_reaches_discord_with_its_masked_link_still_text(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    details = "_" * 999 + "a" + "[click here](https://evil.example)"
    await slash(
        standin, server.alice, server.general, "ask", {"title": "Research", "details": details}, subcommand="post"
    )

    said = await standin.user_says(server.bob, server.general, "!ask 1")
    await standin.wait_for_message(server.general, lambda m: "Posted by" in m.content, after=said)
    replies = [
        m.content for m in standin.messages_in(server.general) if m.author_id == standin.bot.id and m.id > said.id
    ]
    handle = await standin.user_runs_slash(server.bob, server.general, "ask", {"id": 1}, subcommand="show")
    first = (await handle.response()).content or ""
    await standin.wait_until(lambda: any("Posted by" in m.content for m in handle.followups))
    followups = [m.content for m in handle.followups]

    for sent in (replies, [first, *followups]):
        assert len(sent) > 1 and all(len(content) <= MAX_CONTENT for content in sent)
        reads = "".join(char for _, char in seen(sent))  # raises on any live markup
        assert details.replace(" ", "") in reads  # `seen` leaves white space out
