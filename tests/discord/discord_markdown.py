"""A small reference for how Discord shows the markdown this bot sends, strict enough to prove
that what a user typed comes out as typed.

`shown(content)` reads one message the way Discord's renderer does for the subset the bot writes
(backslash escapes, `**bold**`, inline code, `<@id>` pings, links) and returns what a reader
sees, character by character with its style. Anything else Discord would turn into markup (a
masked link, a `<…>` form, a heading, quote or list, a lone `*`, `_`, `~` or `|`, an unclosed
bold or code span, `@everyone`) raises `LiveMarkup`: the bot sent something that renders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.text import Code, Mention, Plain, Strong
from bot.ids import PersonId

#: (style, text): style is "plain", "bold", "code" or "ping"; text is one character, or a user
#: id for a ping.
Shown = tuple[str, str]

ZWSP = "\u200b"

#: Discord's link rule (simple-markdown's `url`): a link takes backslashes and brackets as typed.
_URL = re.compile(r"(?:https?|steam)://[^\s<]+[^<.,:;\"')\]\s]")
#: Line-start blocks: heading, subtext, quote, list item (Discord allows them indented).
_BLOCK = re.compile(r"[^\S\n\r]*(?:#{1,3}\s|-#\s|>>>\s|>\s|[-*+]\s|\d+\.\s)")
_FORM = re.compile(r"<(?:@[!&]?\d+|#\d+|/[^>]+:\d+|t:-?\d+(?::\w)?|a?:\w+:\d+|id:[\w-]+(?::\d+)?|https?://[^>\s]+)>")
_PING = re.compile(r"<@(\d+)>")
_MASKED_LINK = re.compile(r"\[[^\]]*\]\(")
_MASS = re.compile(r"@(everyone|here)")


class LiveMarkup(AssertionError):
    """The message holds markup Discord would render: not what anyone typed."""


def shown(content: str) -> list[Shown]:
    """What Discord shows for `content` (one message), or `LiveMarkup`."""
    out: list[Shown] = []
    bold = False
    i = 0
    while i < len(content):
        rest = content[i:]
        style = "bold" if bold else "plain"
        if (i == 0 or content[i - 1] in "\n\r") and _BLOCK.match(rest):
            raise LiveMarkup(f"a line starts a block at {i}: {rest[:30]!r}")
        if rest[0] == "\\" and len(rest) > 1 and not rest[1].isalnum() and not rest[1].isspace():
            out.append((style, rest[1]))
            i += 2
        elif rest.startswith("**"):
            bold = not bold
            i += 2
        elif rest[0] == "`":
            i = _code(content, i, out)
        elif ping := _PING.match(rest):
            out.append(("ping", ping[1]))
            i += len(ping[0])
        elif form := _FORM.match(rest):
            raise LiveMarkup(f"a live form at {i}: {form[0]!r}")
        elif _MASKED_LINK.match(rest):
            raise LiveMarkup(f"a live masked link at {i}: {rest[:40]!r}")
        elif link := _URL.match(rest):
            # Discord finds bold first (`**…**` not followed by `*`), and links inside it: a link
            # in bold ends where the bold does.
            close = re.search(r"\*\*(?!\*)", link[0]) if bold else None
            text = link[0][: close.start()] if close else link[0]
            out.extend((style, char) for char in text)
            i += len(text)
        elif rest[0] in "*_~|":
            raise LiveMarkup(f"unescaped {rest[0]!r} at {i}: {content[max(0, i - 10) : i + 10]!r}")
        elif _MASS.match(rest):
            raise LiveMarkup(f"a mass mention at {i}")
        else:
            out.append((style, rest[0]))
            i += 1
    if bold:
        raise LiveMarkup("a bold span is left open")
    return out


def _code(content: str, start: int, out: list[Shown]) -> int:
    fence = re.match(r"`+", content[start:])
    assert fence is not None
    width = len(fence[0])
    end = re.compile(rf"(?<!`)`{{{width}}}(?!`)").search(content, start + width)
    if end is None:
        raise LiveMarkup(f"a code span opened at {start} is never closed")
    inside = content[start + width : end.start()]
    if width > 1 and inside.startswith(" ") and inside.endswith(" ") and inside.strip():
        inside = inside[1:-1]
    out.extend(("code", char) for char in inside)
    return end.end()


def typed(text: Iterable[Plain | Strong | Code | Mention], pinged: dict[PersonId, str]) -> list[Shown]:
    """What a reader should see for rich text: every character as typed, in its span's style."""
    out: list[Shown] = []
    for span in text:
        if isinstance(span, Mention):
            user_id = pinged.get(span.person_id)
            out.extend([("ping", user_id)] if user_id else [("plain", char) for char in f"@{span.name}"])
        else:
            style = "code" if isinstance(span, Code) else "bold" if isinstance(span, Strong) else "plain"
            out.extend((style, char) for char in span.text)
    return out


def seen(parts: Iterable[str]) -> list[Shown]:
    """What a reader sees across messages, white space and zero-width spaces aside (a cut inside a
    line shows as the next message, and Discord drops a message that is only white space); a code
    span's modifier grave reads as a backtick."""
    out: list[Shown] = []
    for part in parts:
        out.extend(_tidy(shown(part)))
    return out


def _tidy(items: Iterable[Shown]) -> list[Shown]:
    return [
        (style, "`" if style == "code" and char == "ˋ" else char)
        for style, char in items
        if char != ZWSP and not char.isspace()
    ]


def as_typed(text: Iterable[Plain | Strong | Code | Mention], pinged: dict[PersonId, str]) -> list[Shown]:
    """`typed`, tidied the way `seen` is."""
    return _tidy(typed(text, pinged))
