"""How a Matrix message becomes the command text and mentions the core reads.

Clients send the same message twice: a plain `body` and, optionally, HTML in `formatted_body`
where a mention is a pill (`<a href="https://matrix.to/#/@bob:example.org">Bob</a>`). The core
parses the plain text, so each pill is reported as a `Mentioned` whose `raw` is the word the
parser will see in the body. A pill whose text has spaces ("Jo Lee") would be split into two
words, so that text is replaced in the command by the user id, which is one word. Users named in
`m.mentions` without a pill, or typed as `@bob:example.org`, are reported by their id.

Older clients quote the message they reply to at the top of the body (`> <@alice:x> …`); that
quote is dropped so the command is found. A leading mention of the bot itself ("Bot: !help",
how Element starts a message that mentions someone) is dropped too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

from nio import MatrixRoom

from bot.core.messages import Mentioned

_PERMALINK = re.compile(r"^https://matrix\.to/#/(@[^/?#]+)")
_MATRIX_URI = re.compile(r"^matrix:u/([^/?#]+)")
_USER_ID = re.compile(r"^@[^:\s]+:\S+$")


@dataclass(frozen=True)
class Pill:
    """A mention link in the HTML body: the user it points to and the text it shows."""

    user_id: str
    text: str


@dataclass(frozen=True)
class Command:
    """What the core gets from one message: its text and the people it mentions."""

    text: str
    mentions: tuple[Mentioned, ...]


def read(
    content: dict[str, Any], bot_user_id: str, name_of: Callable[[str], str | None], bot_name: str | None
) -> Command:
    """The command text and mentions of a message's `content`.

    `name_of` gives a user's display name in the room (None if unknown); `bot_name` is how the
    bot is shown there, to recognise a leading "Bot:".
    """
    body = str(content.get("body", ""))
    relates = content.get("m.relates_to")
    if isinstance(relates, dict) and "m.in_reply_to" in relates:
        body = _strip_reply_fallback(body)
    formatted = content.get("formatted_body") if content.get("format") == "org.matrix.custom.html" else None
    pills = pills_in(formatted) if isinstance(formatted, str) else []
    body = _strip_leading_bot(body, bot_user_id, bot_name, pills)

    mentions: list[Mentioned] = []
    search_from = 0
    for found in pills:
        if found.user_id == bot_user_id:
            continue
        name = name_of(found.user_id) or found.text or found.user_id
        at = body.find(found.text, search_from) if found.text else -1
        if at < 0:
            mentions.append(Mentioned(found.user_id, found.user_id, name))
        elif any(ch.isspace() for ch in found.text):
            body = body[:at] + found.user_id + body[at + len(found.text) :]
            search_from = at + len(found.user_id)
            mentions.append(Mentioned(found.user_id, found.user_id, name))
        else:
            search_from = at + len(found.text)
            mentions.append(Mentioned(found.text, found.user_id, name))
    listed = content.get("m.mentions")
    ids = listed.get("user_ids") if isinstance(listed, dict) else None
    known = {m.user_id for m in mentions} | {bot_user_id}
    for user_id in ids if isinstance(ids, list) else []:
        if isinstance(user_id, str) and _USER_ID.match(user_id) and user_id not in known:
            known.add(user_id)
            mentions.append(Mentioned(user_id, user_id, name_of(user_id) or user_id))
    return Command(body, tuple(mentions))


def pills_in(formatted_body: str) -> list[Pill]:
    """The user pills of an HTML body, in order (room and event links are not mentions)."""
    parser = _PillParser()
    parser.feed(formatted_body)
    parser.close()
    return parser.pills


def _strip_reply_fallback(body: str) -> str:
    """The body without the quoted message a reply starts with in older clients."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    return "\n".join(lines[index:]).lstrip("\n")


def _strip_leading_bot(body: str, bot_user_id: str, bot_name: str | None, pills: list[Pill]) -> str:
    names = [bot_user_id, *(p.text for p in pills if p.user_id == bot_user_id and p.text)]
    if bot_name:
        names.append(bot_name)
    stripped = body.lstrip()
    for name in names:
        if stripped.startswith(name):
            rest = stripped[len(name) :]
            if rest[:1] in {":", ","}:
                return rest[1:].lstrip()
    return body


class _PillParser(HTMLParser):
    """Collects `<a href>` links to users with the text inside them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pills: list[Pill] = []
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        href = unquote(dict(attrs).get("href") or "")
        match = _PERMALINK.match(href) or _MATRIX_URI.match(href)
        if match is None:
            return
        user_id = match.group(1)
        if not user_id.startswith("@"):
            user_id = "@" + user_id
        self._open, self._text = user_id, []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.pills.append(Pill(self._open, "".join(self._text).strip()))
            self._open = None


def display_name(room: MatrixRoom, user_id: str) -> str | None:
    """The name someone set in a room, if any."""
    user = room.users.get(user_id)
    return str(user.display_name) if user is not None and user.display_name else None


def sender_name(room: MatrixRoom, user_id: str) -> str:
    """How to call someone: their room name, else the local part of their Matrix id."""
    return display_name(room, user_id) or user_id[1:].split(":")[0]


def is_edit(source: dict[str, Any]) -> bool:
    """An edit of an earlier message: not a new command."""
    relates = source.get("content", {}).get("m.relates_to")
    return isinstance(relates, dict) and relates.get("rel_type") == "m.replace"


def thread_root(source: dict[str, Any]) -> str | None:
    """The thread a message was sent in, so a reply stays there."""
    relates = source.get("content", {}).get("m.relates_to")
    if isinstance(relates, dict) and relates.get("rel_type") == "m.thread":
        root = relates.get("event_id")
        return root if isinstance(root, str) else None
    return None
