"""How the bot's replies look on Matrix: an `m.notice` with HTML, a plain fallback and `m.mentions`.

The core hands over rich text whose user-supplied parts are `Plain` spans. Here every `Plain`
span is HTML-escaped, so a title like `<b>hi</b>` or `<a href=…>` shows as typed. Only `Mention`
spans of the people in `Outgoing.mention_ids` become pills, and only they are listed in
`m.mentions` — which is present in every room where someone besides the reader could be pinged,
so clients and servers that implement intentional mentions (Matrix 1.7) never fall back to the
legacy push rules that ping on a display name or `@room` found anywhere in the body. In a room
of the bot and one other person (`alone`: their direct chat, or a room nobody else has joined or
been invited to), those rules can reach nobody but the reader, and an empty `m.mentions` is left
out: Synapse checks each one against a JSON schema, which cost a private answer's two messages
3 ms (`bench/RESULTS.md`). For clients and servers that still use the legacy rules, mass
mentions typed by users (`@room`, `@everyone`, `@here`) are broken with an invisible zero-width
joiner, so no text can ever ping a whole room.

Matrix has no buttons: a button becomes a hint line naming the command to send.

A message too large for one event (Synapse refuses one over 64 KiB) is sent as several
(`render_parts`), cut at line ends; see `MAX_CONTENT_BYTES` for the margin and `split` for where
a cut may fall.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import re
import unicodedata
from collections import deque
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from bot.core.messages import Button, Outgoing
from bot.core.text import Code, Mention, Plain, Rich, Span, Strong
from bot.ids import PersonId

MSGTYPE = "m.notice"
HTML_FORMAT = "org.matrix.custom.html"
ZERO_WIDTH_JOINER = "\u200d"
_MASS_MENTION = re.compile(r"@(?=(?:room|everyone|here|channel)\b)", re.IGNORECASE)
#: Synapse refuses an event over 65,536 bytes, counting the whole event as it stores it: the
#: content, and the event's signatures, hashes and the ids of the events before it (1–2 KB). In
#: an encrypted room the content travels as megolm ciphertext in base64, a third larger than the
#: JSON it hides. So each event's content is kept within this many bytes of JSON with every
#: non-ASCII character escaped (`event_bytes`, never less than the content takes however it is
#: encoded): 40,000 × 4/3, plus what encryption and the event add, stays 9 KB under the limit.
MAX_CONTENT_BYTES = 40_000
_LINE_BREAK = Plain("\n")
_BREAK_BYTES = 2 + 4  # `\n` in the body's JSON, `<br>` in the HTML
#: What a cut piece of a span adds around its text: nothing, `<strong></strong>`, or backticks and `<code></code>`.
_WRAP_BYTES = {Strong: 17, Code: 2 + 13}


def render(
    outgoing: Outgoing,
    reply_to: str | None = None,
    thread_root: str | None = None,
    *,
    notify: bool = False,
    alone: bool = False,
) -> dict[str, Any]:
    """The event content for one outgoing message.

    `reply_to` makes it a reply to that event (the command); `thread_root` keeps it in the
    command's thread when the command was sent in one. Replies are notices, which default push
    rules never notify for: the person is in the conversation already. `notify` makes it a
    plain text message instead, for what the bot says unprompted in someone's direct chat (a
    reminder, an ask, an introduction), which their phone should announce. `alone`: nobody but
    the bot and the reader is in the room (see the module docstring).
    """
    text = outgoing.text + _button_hint(outgoing.text, outgoing.buttons)
    body, formatted, pinged = _render_spans(text, outgoing.mention_ids)
    content: dict[str, Any] = {
        "msgtype": "m.text" if notify else MSGTYPE,
        "body": body,
        "format": HTML_FORMAT,
        "formatted_body": formatted,
    }
    if pinged or not alone:
        content["m.mentions"] = {"user_ids": pinged}
    if thread_root is not None:
        content["m.relates_to"] = {
            "rel_type": "m.thread",
            "event_id": thread_root,
            "is_falling_back": reply_to is None,
            "m.in_reply_to": {"event_id": reply_to or thread_root},
        }
    elif reply_to is not None:
        content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
    return content


def render_parts(
    outgoing: Outgoing,
    reply_to: str | None = None,
    thread_root: str | None = None,
    *,
    notify: bool = False,
    alone: bool = False,
    limit: int = MAX_CONTENT_BYTES,
) -> list[dict[str, Any]]:
    """The event contents for one outgoing message, in order: one (`render`), unless its content
    would take more than `limit` bytes (`event_bytes`); then as many as it takes (`split`). The
    first is the reply to `reply_to`; all of them stay in the thread."""
    whole = render(outgoing, reply_to, thread_root, notify=notify, alone=alone)
    if event_bytes(whole) <= limit:
        return [whole]
    text = outgoing.text + _button_hint(outgoing.text, outgoing.buttons)
    bare = dataclasses.replace(outgoing, text=(), buttons=())
    # Without any text, with `m.mentions` (`alone` or not) and either relation: each part's most.
    overhead = max(event_bytes(render(bare, to, thread_root, notify=notify)) for to in (reply_to, None))
    pieces = split(text, outgoing.mention_ids, max(limit - overhead, 1))
    parts = [dataclasses.replace(bare, text=piece) for piece in pieces]
    first, rest = (reply_to, thread_root), (None, thread_root)
    return [render(part, *(rest if index else first), notify=notify, alone=alone) for index, part in enumerate(parts)]


def event_bytes(content: Mapping[str, Any]) -> int:
    """The size of an event's content as JSON with non-ASCII characters escaped: at least what it
    takes in the event (Synapse's canonical JSON is UTF-8, without spaces) and as the plaintext
    that encryption hides (nio escapes)."""
    return len(json.dumps(content))


def split(text: Rich, mention_ids: Mapping[PersonId, str], budget: int) -> list[Rich]:
    """`text` in pieces, each taking at most `budget` bytes of content (its body and HTML as JSON,
    and the user ids it pings), cut at line ends: a piece holds as many whole lines as fit. A line
    too long for one piece is cut between words where it can and between characters where it
    must, but never inside a pill, never inside a code span unless that span alone is too long,
    and never between a character and the marks or joiners that go with it. Cuts are made in the
    text before it is escaped, so none falls inside an HTML tag or entity, and every piece is
    rendered whole: its HTML is as well-formed as any message's."""
    pieces: list[Rich] = []
    current: list[Span] = []
    used, pinged, started = 0, set[str](), False
    for line in _lines(text):
        cost, users = _cost(line, mention_ids)
        extra = (_BREAK_BYTES if started else 0) + cost + _ping_bytes(users - pinged)
        if used + extra <= budget:
            current.extend([_LINE_BREAK, *line] if started else line)
            used, pinged, started = used + extra, pinged | users, True
            continue
        if current:
            pieces.append(tuple(current))
        chunks = [line] if cost + _ping_bytes(users) <= budget else _cut(line, mention_ids, budget)
        pieces.extend(tuple(chunk) for chunk in chunks[:-1])
        current, started = list(chunks[-1]), True
        used, found = _cost(current, mention_ids)
        used, pinged = used + _ping_bytes(found), found
    if current:
        pieces.append(tuple(current))
    return pieces


def _lines(text: Rich) -> list[list[Span]]:
    """The text's lines, without their line breaks. Plain text is made harmless (`neutralise`)
    first, so that no cut can make or unmake a mass mention; a code span or a pill stays whole."""
    lines: list[list[Span]] = [[]]
    for span in text:
        if isinstance(span, Plain | Strong):
            first, *rest = neutralise(span.text).split("\n")
            for index, part in enumerate([first, *rest]):
                if index:
                    lines.append([])
                if part:
                    lines[-1].append(type(span)(part))
        else:
            lines[-1].append(span)
    return lines


def _cut(line: list[Span], mention_ids: Mapping[PersonId, str], budget: int) -> list[list[Span]]:
    """A line too long for one piece in pieces that fit (see `split`)."""
    chunks: list[list[Span]] = []
    current: list[Span] = []
    used, pinged = 0, set[str]()
    waiting = deque(line)
    while waiting:
        span = waiting.popleft()
        cost, users = _cost([span], mention_ids)
        extra = cost + _ping_bytes(users - pinged)
        if used + extra <= budget:
            current.append(span)
            used, pinged = used + extra, pinged | users
            continue
        head: Span | None = None
        if isinstance(span, Plain | Strong) or (isinstance(span, Code) and not current):
            head, tail = _fit(span, budget - used, force=not current)
        if head is not None:
            current.append(head)
            waiting.appendleft(tail)
        elif not current:  # a pill too long for a piece of its own: nothing to do but send it so
            current.append(span)
        else:
            waiting.appendleft(span)
        chunks.append(current)
        current, used, pinged = [], 0, set()
    if current:
        chunks.append(current)
    return chunks


def _fit(span: Plain | Strong | Code, room: int, *, force: bool) -> tuple[Span | None, Span]:
    """The longest head of a span that takes at most `room` bytes, ending after a space when one
    is in its second half, and the rest; no head when not even a character fits (with `force`,
    one character anyway)."""
    text, room = span.text, room - _WRAP_BYTES.get(type(span), 0)
    end = 0
    for char in text:
        room -= _char_bytes(char)
        if room < 0:
            break
        end += 1
    space = next((i + 1 for i in range(end - 1, end // 2 - 1, -1) if text[i].isspace()), 0)
    cut = space or end
    while not space and 0 < cut < len(text) and _joined(text, cut):
        cut -= 1
    cut = cut or (end if end else int(force))
    if not cut:
        return None, span
    return type(span)(text[:cut]), type(span)(text[cut:])


def _joined(text: str, at: int) -> bool:
    """Whether `text[at]` belongs with the character before it: a combining mark, a variation
    selector, a skin tone, or either side of a zero-width joiner (an emoji sequence, or the joiner
    `neutralise` puts after an `@`)."""
    after, before = text[at], text[at - 1]
    return (
        unicodedata.combining(after) != 0
        or ZERO_WIDTH_JOINER in (after, before)
        or "\ufe00" <= after <= "\ufe0f"
        or "\U0001f3fb" <= after <= "\U0001f3ff"
    )


def _cost(spans: list[Span], mention_ids: Mapping[PersonId, str]) -> tuple[int, set[str]]:
    """What spans add to a content's JSON (body and HTML), and whom they ping."""
    body, formatted, pinged = _render_spans(tuple(spans), mention_ids)
    return _json_bytes(body) + _json_bytes(formatted), set(pinged)


def _ping_bytes(users: set[str]) -> int:
    return sum(_json_bytes(user) + 4 for user in users)  # quoted, and a comma and space


def _json_bytes(text: str) -> int:
    return len(json.dumps(text)) - 2


@functools.lru_cache(maxsize=4096)
def _char_bytes(char: str) -> int:
    """What one character of text adds to a content's JSON: in the body, and in the HTML."""
    return _json_bytes(char) + _json_bytes(html.escape(char, quote=False))


def neutralise(text: str) -> str:
    """Text in which `@room`, `@everyone` and `@here` can no longer match a push rule."""
    return _MASS_MENTION.sub("@" + ZERO_WIDTH_JOINER, text)


def pill(user_id: str, name: str) -> str:
    """An HTML link to a user, which Matrix clients show as a pill (a mention)."""
    href = "https://matrix.to/#/" + quote(user_id, safe="@:")
    return f'<a href="{html.escape(href)}">{html.escape(neutralise(name), quote=False)}</a>'


def _render_spans(text: Rich, mention_ids: Mapping[PersonId, str]) -> tuple[str, str, list[str]]:
    body: list[str] = []
    formatted: list[str] = []
    pinged: list[str] = []
    for span in text:
        if isinstance(span, Plain):
            safe = neutralise(span.text)
            body.append(safe)
            formatted.append(html.escape(safe, quote=False).replace("\n", "<br>"))
        elif isinstance(span, Code):
            safe = neutralise(span.text)
            body.append(f"`{safe}`")
            formatted.append(f"<code>{html.escape(safe, quote=False)}</code>")
        elif isinstance(span, Strong):
            safe = neutralise(span.text)
            body.append(safe)
            formatted.append(f"<strong>{html.escape(safe, quote=False).replace(chr(10), '<br>')}</strong>")
        elif isinstance(span, Mention):
            user_id = mention_ids.get(span.person_id)
            body.append(neutralise(span.name))
            if user_id is None:
                formatted.append(html.escape(neutralise(span.name), quote=False))
            else:
                formatted.append(pill(user_id, span.name))
                if user_id not in pinged:
                    pinged.append(user_id)
    return "".join(body), "".join(formatted), pinged


def _button_hint(text: Rich, buttons: tuple[Button, ...]) -> Rich:
    """'Reply `!claim 12` (Claim).' for the buttons whose command the text does not show yet."""
    shown = {span.text.strip().lower() for span in text if isinstance(span, Code)}
    missing = [b for b in buttons if b.command.lower() not in shown]
    if not missing:
        return ()
    spans: list[Plain | Code] = [Plain("\nReply ")]
    for index, button in enumerate(missing):
        if index:
            spans.append(Plain(" or "))
        spans.append(Code(f"!{button.command}"))
        if button.label.lower() != button.command.split()[0].lower():
            spans.append(Plain(f" ({button.label})"))
    spans.append(Plain("."))
    return tuple(spans)
