"""How the core's messages look on Discord, and why they cannot be abused.

- Text a user typed is always a `Plain` span (see `bot.core.text`); here it is escaped so that
  Discord shows it literally: no markdown, no masked links, no `<…>` form (mentions, channels,
  slash commands, timestamps, custom emoji, guide links), no list, heading or quote at a line
  start. `Strong` and `Code` spans may carry user values too (`fmt` fills fields into them), so
  they are escaped the same way inside their markup.
- Every send carries `allowed_mentions` that ping exactly the people the core put in
  `Outgoing.mention_ids`: never `@everyone`, `@here` or a role, whatever the text contains.
- Discord refuses messages over 2,000 characters, so long replies go out in parts, cut at line
  ends where possible. A longer line is cut in the rich text, before it is escaped, and each part
  is escaped (and its bold or code span closed and reopened) on its own: no cut can fall inside
  an escape, a span or a mention, so no cut changes how anything renders.
- The outbox key becomes the message `nonce` (Discord keeps at most 25 characters of it), so a
  resend after a crash is dropped by Discord instead of arriving twice.
- Buttons carry their command in their custom id, so a click needs no memory of the message.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Self

import discord

from bot.core.messages import Attachment, Button, Outgoing
from bot.core.text import Code, Mention, Plain, Rich, Strong
from bot.ids import PersonId

log = logging.getLogger(__name__)

MAX_CONTENT = 2000
NONCE_LENGTH = 25

#: Buttons carry the command they run in their custom id: `vb:claim 12`. The prefix keeps other
#: components (and other bots' ids) out, and fixed ids are what lets a click work after a restart.
BUTTON_PREFIX = "vb:"
MAX_CUSTOM_ID = 100

#: `@everyone`, `@here`, `<@id>`, `<@!id>`, `<@&id>` as Discord parses them (ids of any length,
#: unlike `discord.utils.escape_mentions`, which only knows 17–20 digits).
_MENTION_SYNTAX = re.compile(r"@(everyone|here|[!&]?\d+)")

#: A link Discord shows as typed (discord.py's `utils._URL_REGEX`, less `\`, `[` and `<`, which are
#: always escaped): markdown characters inside it are left alone, as Discord leaves them.
_URL = re.compile(r"(?:https?|steam)://[^\s<\[\\]+[^<.,:;\"'\]\s\[\\]")

#: Characters that start markup anywhere in a line: emphasis, underline, strikethrough, spoiler,
#: code, masked links, and `<`, which opens every other form (`<@id>`, `<#id>`, `</cmd:id>`,
#: `<t:…>`, `<:emoji:id>`, `<a:emoji:id>`, `<id:customize>`, `<https://…>`).
_INLINE = re.compile(r"[\\*_~|`\[<]")

#: What makes a line a heading (`#`), subtext (`-#`), quote (`>`, `>>>`) or list (`-`, `+`,
#: `1.`; `*` is escaped everywhere) in Discord, even indented. Discord reads `\r` as a line end.
_LINE_START = re.compile(r"(?:^|(?<=\r))([^\S\n\r]*)(?:([#>+-])|(\d+)\.)", re.MULTILINE)


def escape(text: str) -> str:
    """`text` shown literally: markdown escaped, mention syntax broken with a zero-width space.

    Every markup character gets a backslash (which Discord shows as nothing), except inside a
    link, where Discord shows them as typed anyway; so every masked link in a line is escaped,
    not only the first, as with `discord.utils.escape_markdown`."""
    out: list[str] = []
    start = 0
    for link in _URL.finditer(text):
        out.append(_INLINE.sub(r"\\\g<0>", text[start : link.start()]))
        out.append(link.group())
        start = link.end()
    out.append(_INLINE.sub(r"\\\g<0>", text[start:]))
    return _break_mentions(_LINE_START.sub(_line_start, "".join(out)))


def _line_start(match: re.Match[str]) -> str:
    indent, mark, number = match.groups()
    return f"{indent}\\{mark}" if mark else f"{indent}{number}\\."


def _break_mentions(text: str) -> str:
    """A zero-width space after `@` keeps the text readable and makes Discord see no mention.
    (`allowed_mentions` already stops the ping; this also stops the blue highlight.)"""
    return _MENTION_SYNTAX.sub("@\u200b\\1", text)


def code(text: str) -> str:
    """Inline code that survives backticks inside it (Discord has no escape within code)."""
    text = _break_mentions(text)
    if "``" in text:
        text = text.replace("`", "ˋ")  # a modifier grave: looks the same, closes nothing
    if "`" in text:
        return f"`` {text} ``"
    return f"`{text}`"


@dataclass(frozen=True)
class _Ping:
    """A mention that pings: `<@id>`, never cut."""

    user_id: str


_Shown = Plain | Strong | Code | _Ping


def _shown(text: Rich, mention_ids: Mapping[PersonId, str]) -> list[_Shown]:
    """The spans Discord shows, tidied: neighbouring spans of a kind joined (escaping sees whole
    lines; two code spans side by side would read as one odd one), a mention that may not ping
    made plain text, empty and unshown spans left out."""
    out: list[_Shown] = []
    for span in text:
        item: _Shown
        if isinstance(span, Mention):
            user_id = mention_ids.get(span.person_id)
            item = _Ping(user_id) if user_id and user_id.isdigit() else Plain(f"@{span.name}")
        elif isinstance(span, (Plain, Strong, Code)) and span.text:
            item = Plain(span.text) if isinstance(span, Plain) else span
        else:
            continue
        if out and not isinstance(item, _Ping) and type(last := out[-1]) is type(item):
            out[-1] = type(item)(last.text + item.text)
        else:
            out.append(item)
    return out


def _markup(span: _Shown) -> str:
    if isinstance(span, Plain):
        return escape(span.text)
    if isinstance(span, Code):
        return code(span.text)
    if isinstance(span, Strong):
        return f"**{escape(span.text)}**"
    return f"<@{span.user_id}>"


def render(text: Rich, mention_ids: Mapping[PersonId, str]) -> str:
    """Discord markdown for rich text; a `Mention` pings only if `mention_ids` has the person."""
    return "".join(_markup(span) for span in _shown(text, mention_ids))


def allowed_mentions(outgoing: Outgoing) -> discord.AllowedMentions:
    """Ping only the users this message is about; never everyone, here, roles or a replied-to
    author."""
    users = sorted({int(uid) for uid in outgoing.mention_ids.values() if uid.isdigit()})
    return discord.AllowedMentions(
        everyone=False, roles=False, replied_user=False, users=[discord.Object(uid) for uid in users]
    )


def parts(text: Rich, mention_ids: Mapping[PersonId, str] | None = None, limit: int = MAX_CONTENT) -> list[str]:
    """`text` as Discord messages of at most `limit` characters, cut at line ends where possible.

    A longer line is cut in the rich text, before escaping, and each piece is rendered on its own,
    so a cut never falls inside an escape (`\\[`), a mention, or a bold or code span (which is
    closed before the cut and reopened after it). Blank parts are left out: Discord refuses them."""
    out: list[str] = []
    current: str | None = None
    for line in _lines(_shown(text, mention_ids or {})):
        rendered = "".join(_markup(span) for span in line)
        if current is not None and len(current) + 1 + len(rendered) <= limit:
            current = f"{current}\n{rendered}"
            continue
        if current is not None:
            out.append(current)
        if len(rendered) <= limit:
            current = rendered
            continue
        *full, current = _cut(line, limit)
        out.extend(full)
    if current is not None:
        out.append(current)
    return [part for part in out if part.strip()]


def _lines(spans: list[_Shown]) -> list[list[_Shown]]:
    """The spans line by line: a span with line breaks in it becomes one span per line."""
    lines: list[list[_Shown]] = [[]]
    for span in spans:
        if isinstance(span, _Ping):
            lines[-1].append(span)
            continue
        first, *rest = span.text.split("\n")
        for index, piece in enumerate([first, *rest]):
            if index:
                lines.append([])
            if piece:
                lines[-1].append(type(span)(piece))
    return lines


def _cut(line: list[_Shown], limit: int) -> list[str]:
    """One line too long for a message, as messages: filled span by span, and a span that does
    not fit is divided between two of them (`_divide`)."""
    out: list[str] = []
    current = ""
    for span in line:
        while len(current) + len(shown := _markup(span)) > limit:
            head, tail = _divide(span, limit - len(current)) if not isinstance(span, _Ping) else (None, span)
            if head is None:
                if not current:
                    raise ValueError(f"a message of {limit} characters cannot hold {shown[:20]!r}")
                out.append(current)
                current = ""
                continue
            out.append(current + _markup(head))
            current = ""
            span = tail
        current += shown
    out.append(current)
    return out


def _divide(span: Plain | Strong | Code, room: int) -> tuple[Plain | Strong | Code | None, Plain | Strong | Code]:
    """`span` as a head whose markup fits in `room` characters and the rest, cut after a space
    where one is near; no head when not even one character fits."""
    text, kind = span.text, type(span)

    def fits(length: int) -> bool:
        return len(_markup(kind(text[:length]))) <= room

    if len(text) < 2 or not fits(1):
        return None, span
    low, high = 1, min(len(text) - 1, room)  # the longest head that fits (markup never shrinks text)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    space = next((i + 1 for i in range(low - 1, low // 2, -1) if text[i].isspace()), low)
    cut = space if fits(space) else low
    return kind(text[:cut]), kind(text[cut:])


def nonce(key: str) -> str:
    """A 25-character message nonce for an idempotency key: the same key, the same nonce."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:NONCE_LENGTH]


def custom_id(command: str) -> str | None:
    """The button custom id that runs `command`, or None when Discord could not hold it."""
    value = BUTTON_PREFIX + command
    return value if len(value) <= MAX_CUSTOM_ID else None


_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


class CommandButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=re.escape(BUTTON_PREFIX) + r"(?P<command>.+)",
):
    """A button whose custom id holds the command it runs (`vb:claim 12`).

    Registered with the client at start (`add_dynamic_items`), so a click is understood from the
    id alone — also on a message sent before the bot restarted: discord.py's persistent views.
    A click becomes the client event `button_command` (`on_button_command(interaction, command)`).
    """

    def __init__(self, command: str, *, label: str = "", style: str = "primary") -> None:
        super().__init__(
            discord.ui.Button(
                label=label or None,
                style=_STYLES.get(style, discord.ButtonStyle.secondary),
                custom_id=BUTTON_PREFIX + command,
            )
        )
        self.command = command

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["command"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        interaction.client.dispatch("button_command", interaction, self.command)


def view(buttons: Sequence[Button]) -> discord.ui.View:
    """The buttons as a view that never times out (the bot may restart before anyone clicks)."""
    out = discord.ui.View(timeout=None)
    for button in buttons:
        if custom_id(button.command) is None:
            log.warning("left out a button whose command is too long for Discord")
            continue
        out.add_item(CommandButton(button.command, label=button.label, style=button.style))
    return out


def _file(attachment: Attachment | None) -> discord.File | None:
    if attachment is None:
        return None
    return discord.File(io.BytesIO(attachment.content), filename=attachment.filename)


@dataclass(frozen=True)
class Piece:
    """One Discord message of a reply: long replies take several; buttons and file go last."""

    content: str | None
    view: discord.ui.View
    file: discord.File | None


def pieces(outgoing: Outgoing) -> list[Piece]:
    """The Discord messages that carry `outgoing` (none for an empty reply)."""
    texts: list[str | None] = [*parts(outgoing.text, outgoing.mention_ids)]
    if not texts:
        if not (outgoing.buttons or outgoing.attachment):
            return []
        texts = [None]
    last = len(texts) - 1
    return [
        Piece(
            text,
            view(outgoing.buttons) if index == last else discord.ui.View(timeout=None),
            _file(outgoing.attachment) if index == last else None,
        )
        for index, text in enumerate(texts)
    ]
