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
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from bot.core.messages import Button, Outgoing
from bot.core.text import Code, Mention, Plain, Rich, Strong
from bot.ids import PersonId

MSGTYPE = "m.notice"
HTML_FORMAT = "org.matrix.custom.html"
ZERO_WIDTH_JOINER = "\u200d"
_MASS_MENTION = re.compile(r"@(?=(?:room|everyone|here|channel)\b)", re.IGNORECASE)


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
