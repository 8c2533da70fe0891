"""A message too large for one Matrix event, cut into several (`matrix_render.render_parts`),
without a homeserver: each part fits, nothing is lost or changed, and every part's HTML holds."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from bot.adapters.matrix_render import MAX_CONTENT_BYTES, ZERO_WIDTH_JOINER, event_bytes, render, render_parts
from bot.core.messages import Button, Outgoing
from bot.core.text import Code, Mention, Plain, Private, Strong
from bot.ids import PersonId

ANN = "@ann:example.org"
SCIENTIST = "\U0001f469\u200d\U0001f52c"  # one emoji made of three code points


def test_a_message_that_fits_one_event_is_that_one_event() -> None:
    message = Outgoing((Plain("Posted ask 1."),), False, (Button("Claim", "claim 1"),))

    assert render_parts(message, reply_to="$cmd") == [render(message, reply_to="$cmd")]


def test_the_audits_ten_long_notes_are_cut_at_line_ends_into_events_that_fit() -> None:
    notes = tuple(Private(f"\n· alice: {n} " + "<" * 1990) for n in range(10))
    message = Outgoing((Strong("Pat Union"), Plain(" (contact 1)"), *notes, Plain("\nNext: "), Code("contact 1")), True)

    parts = render_parts(message, reply_to="$cmd")

    assert len(parts) > 1 and event_bytes(render(message)) > MAX_CONTENT_BYTES
    _assert_the_same_message_in_parts(message, parts, reply_to="$cmd")
    assert all(not part["body"].startswith("\n") and "<" * 1990 in part["body"] for part in parts[1:])  # line ends
    assert "".join(part["body"] for part in parts).count("<" * 1990) == 10


def test_a_line_too_long_for_an_event_is_cut_between_words_never_inside_an_entity() -> None:
    line = '&<>é "quoted" \\ ' * 6000  # every character of it is escaped in the JSON, the HTML or both
    message = Outgoing((Plain("Note: "), Plain(line), Strong(" end")), False)

    parts = render_parts(message)

    assert len(parts) > 2
    _assert_the_same_message_in_parts(message, parts)
    assert all(part["body"].endswith(" ") for part in parts[:-1])  # at a space, which one was in reach


def test_pills_code_spans_and_joined_characters_stay_whole_however_small_the_parts() -> None:
    words = []
    for n in range(120):
        words += [Plain(f"word{n} @room {SCIENTIST}e\u0301 "), Mention(PersonId(1), "Ann <Lee>"), Plain(" ")]
        words += [Code(f"claim {n}"), Plain(" " if n % 7 else "\n"), Mention(PersonId(2), "Bo (no account)")]
    message = Outgoing(tuple(words), False, (Button("Claim", "claim 999"),), mention_ids={PersonId(1): ANN})

    for limit in (700, 1500, 4000):
        parts = render_parts(message, reply_to="$cmd", thread_root="$root", limit=limit)

        assert len(parts) > 3
        _assert_the_same_message_in_parts(message, parts, limit, reply_to="$cmd", thread_root="$root")
        formatted = [part["formatted_body"] for part in parts]
        assert sum(f.count(f'<a href="https://matrix.to/#/{ANN}">Ann &lt;Lee&gt;</a>') for f in formatted) == 120
        assert sum(f.count("<code>claim ") for f in formatted) == 120 and "<code>!claim 999</code>" in formatted[-1]
        for body in (part["body"] for part in parts):
            assert body.count(SCIENTIST) == body.count("\U0001f469") and not body.startswith(("\u0301", "\u200d"))
            assert "@room" not in body and body.count("@") == body.count("@" + ZERO_WIDTH_JOINER)
        assert all(part["m.mentions"] == {"user_ids": [ANN]} for part in parts if ANN in part["formatted_body"])


def test_a_code_span_longer_than_an_event_is_cut_into_code_spans() -> None:
    message = Outgoing((Plain("Try "), Code("x<" * 30000), Plain(".")), False)

    parts = render_parts(message)

    assert all(event_bytes(part) <= MAX_CONTENT_BYTES for part in parts) and len(parts) > 2
    assert "".join(part["body"] for part in parts).replace("`", "") == render(message)["body"].replace("`", "")
    assert all(part["formatted_body"].count("<code>") == 1 for part in parts[1:-1])
    for part in parts:
        _assert_well_formed(part["formatted_body"])


def _assert_the_same_message_in_parts(
    message: Outgoing,
    parts: list[dict[str, Any]],
    limit: int = MAX_CONTENT_BYTES,
    *,
    reply_to: str | None = None,
    thread_root: str | None = None,
) -> None:
    """Each part fits and is well-formed; the parts' text, put back together with nothing but line
    breaks between them, is the whole message's, as plain text and as the text its HTML shows;
    the first part is the reply, and all keep the message's kind and thread."""
    whole = render(message)
    assert all(event_bytes(part) <= limit for part in parts), [event_bytes(part) for part in parts]
    assert _rejoins(whole["body"], [part["body"] for part in parts])
    assert _rejoins(_shown(whole["formatted_body"]), [_shown(part["formatted_body"]) for part in parts])
    for part in parts:
        _assert_well_formed(part["formatted_body"])
        assert part["msgtype"] == whole["msgtype"] and part["format"] == whole["format"]
    relations = [part.get("m.relates_to") for part in parts]
    if thread_root is None:
        first = {"m.in_reply_to": {"event_id": reply_to}} if reply_to else None
        assert relations == [first] + [None] * (len(parts) - 1)
    else:
        assert all(relation and relation["event_id"] == thread_root for relation in relations)


def _rejoins(whole: str, parts: list[str]) -> bool:
    """Whether `whole` is the parts in order, with nothing between them but the line breaks the
    cuts fell on."""
    return re.fullmatch("\n*".join(re.escape(part) for part in parts), whole) is not None


def _shown(formatted: str) -> str:
    """The text an HTML body shows (code spans in backticks, as in the plain body)."""
    text = formatted.replace("<br>", "\n").replace("<code>", "`").replace("</code>", "`")
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def _assert_well_formed(formatted: str) -> None:
    """Only the tags the renderer writes, each closed in order, and every `&` an entity."""
    assert re.fullmatch(r"(?:[^&]|&(?:amp|lt|gt|quot);)*", formatted, re.S)

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.open: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            assert tag in ("strong", "code", "a", "br"), tag
            if tag != "br":
                self.open.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.open and self.open.pop() == tag, (tag, self.open)

    parser = Tags()
    parser.feed(formatted)
    parser.close()
    assert not parser.open and not re.search(r"<(?!/?(?:strong|code|a|br)\b)", formatted)
