"""How the core's messages look on Discord, and why they cannot be abused.

- Text a user typed is always a `Plain` span (see `bot.core.text`); here it is escaped so that
  Discord shows it literally: no markdown, no masked links, no working mention syntax. `Strong`
  and `Code` spans may carry user values too (`fmt` fills fields into them), so they are escaped
  the same way inside their markup.
- Every send carries `allowed_mentions` that ping exactly the people the core put in
  `Outgoing.mention_ids`: never `@everyone`, `@here` or a role, whatever the text contains.
- Discord refuses messages over 2,000 characters, so long replies go out in line-aligned parts.
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


#: An opening bracket with an even number of backslashes before it (none escaped) in escaped text.
_OPEN_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)\[")


def escape(text: str) -> str:
    """`text` shown literally: markdown escaped, mention syntax broken with a zero-width space.

    discord.py escapes only the first masked link (`[x](url)`) of a text, so every bracket
    still open is escaped here too: none of the others becomes a disguised link."""
    return _break_mentions(_OPEN_BRACKET.sub(r"\1\\[", discord.utils.escape_markdown(text)))


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


def render(text: Rich, mention_ids: Mapping[PersonId, str]) -> str:
    """Discord markdown for rich text; a `Mention` pings only if `mention_ids` has the person."""
    out: list[str] = []
    for span in text:
        if isinstance(span, Plain):
            out.append(escape(span.text))
        elif isinstance(span, Code):
            out.append(code(span.text))
        elif isinstance(span, Strong):
            out.append(f"**{escape(span.text)}**")
        elif isinstance(span, Mention):
            user_id = mention_ids.get(span.person_id)
            out.append(f"<@{user_id}>" if user_id and user_id.isdigit() else escape(f"@{span.name}"))
    return "".join(out)


def allowed_mentions(outgoing: Outgoing) -> discord.AllowedMentions:
    """Ping only the users this message is about; never everyone, here, roles or a replied-to
    author."""
    users = sorted({int(uid) for uid in outgoing.mention_ids.values() if uid.isdigit()})
    return discord.AllowedMentions(
        everyone=False, roles=False, replied_user=False, users=[discord.Object(uid) for uid in users]
    )


def parts(content: str, limit: int = MAX_CONTENT) -> list[str]:
    """`content` cut into messages of at most `limit` characters, at line ends where possible
    (a single longer line is cut where it must). Blank parts are left out: Discord refuses them."""
    lines: list[str] = []
    for line in content.split("\n"):
        while len(line) > limit:
            lines.append(line[:limit])
            line = line[limit:]
        lines.append(line)
    pieces: list[str] = []
    current: str | None = None
    for line in lines:
        if current is not None and len(current) + 1 + len(line) <= limit:
            current = f"{current}\n{line}"
            continue
        if current is not None and current.strip():
            pieces.append(current)
        current = line
    if current is not None and current.strip():
        pieces.append(current)
    return pieces


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
    texts: list[str | None] = [*parts(render(outgoing.text, outgoing.mention_ids))]
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
