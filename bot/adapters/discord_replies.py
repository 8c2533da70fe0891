"""Answering on Discord: a message in its channel or the author's DMs, an interaction by its
response and followups, and the messages themselves (split to Discord's length, each with a
nonce from its key so a resend is dropped, and found again among what the bot posted when the
nonce may have been forgotten: `posted`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import discord
from discord.utils import MISSING

from bot.adapters.discord_render import Piece, allowed_mentions, nonce, pieces
from bot.core import words
from bot.core.messages import Outgoing
from bot.core.routing import Capabilities, Planned, Unreachable
from bot.core.text import fmt

_DMS_CLOSED = fmt(
    "I couldn't message you privately: Discord says your DMs are closed to me. Allow direct "
    "messages from this server's members (Privacy Settings), or use the slash command, whose "
    "answer only you can see."
)

#: How many of the channel's latest messages `posted` reads, and how far before the first try.
LOOK_BACK = 100
SLACK = timedelta(minutes=1)
_Signature = tuple[str, tuple[str, ...], tuple[str, ...]]

#: For whoever caused a private message Discord refused with 50007 (spec §11).
OPEN_DMS = fmt(
    "Ask them to allow direct messages from this server's members (Privacy Settings), "
    "or to use my slash commands, whose answers only they see."
)


def after_defer(planned: list[Planned], deferred: bool) -> list[Planned]:
    """After a defer, the first followup fills the "thinking…" message and keeps its visibility,
    so a message of matching visibility goes first; a public "thinking…" with only private
    replies is filled with the public pointer."""
    matching = [item for item in planned if (item.where == "in place") == deferred]
    if not matching and not deferred and planned:
        pointer = Outgoing(words.sent_privately(), False)
        matching = [Planned(pointer, "here", planned[0].key + ":pointer", pointer=True)]
    return matching + [item for item in planned if item not in matching]


async def send(
    target: discord.abc.Messageable,
    out: Outgoing,
    key: str,
    reply_to: discord.Message | None = None,
    *,
    skip: frozenset[int] = frozenset(),
) -> None:
    """Send a reply as one or more messages; each part's nonce derives from `key`. The parts
    numbered in `skip` are already there (`posted`)."""
    for index, piece in enumerate(pieces(out)):
        if index in skip:
            continue
        # discord.py takes `reference=None` but its type hints do not say so.
        reply: dict[str, Any] = {}
        if reply_to is not None and index == 0:
            reply["reference"] = reply_to.to_reference(fail_if_not_exists=False)
        await target.send(
            piece.content,
            nonce=nonce(key if index == 0 else f"{key}:{index}"),
            allowed_mentions=allowed_mentions(out),
            view=piece.view,
            file=piece.file or MISSING,
            suppress_embeds=out.suppress_embeds,
            **reply,
        )


async def posted(target: discord.abc.Messageable, out: Outgoing, since: datetime, me: int) -> frozenset[int]:
    """Which of `out`'s parts the bot (`me`) already posted in `target` since `since`: the same
    text, file and buttons. Discord keeps a nonce for minutes only and never returns it with a
    message it has stored, so a message that may have gone out longer ago is recognised by what
    it says. A channel whose history the bot may not read has none to show: nothing is found."""
    wanted = {_to_send(piece): index for index, piece in enumerate(pieces(out))}
    found: set[int] = set()
    try:
        async for message in target.history(limit=LOOK_BACK, after=since - SLACK, oldest_first=False):
            if message.author.id == me:
                index = wanted.get(_read_back(message))
                if index is not None:
                    found.add(index)
    except discord.Forbidden:
        return frozenset()
    return frozenset(found)


def _to_send(piece: Piece) -> _Signature:
    """What identifies a part about to be sent: its text (Discord trims the ends), its file's
    name and its buttons' ids."""
    ids = (getattr(item, "custom_id", None) for item in piece.view.children)
    files = (piece.file.filename,) if piece.file is not None else ()
    return (piece.content or "").strip(), files, tuple(i for i in ids if isinstance(i, str))


def _read_back(message: discord.Message) -> _Signature:
    """The same of a message read back from the channel."""
    ids = (getattr(child, "custom_id", None) for row in message.components for child in getattr(row, "children", ()))
    files = tuple(attachment.filename for attachment in message.attachments)
    return message.content.strip(), files, tuple(i for i in ids if isinstance(i, str))


class MessageReply:
    """Answers in a channel (as a reply to the message that asked, if any) or in the author's
    DMs: the answer to a message, and to an interaction Discord no longer accepts an answer to."""

    capabilities = Capabilities(buttons=True, files=True)

    def __init__(
        self,
        channel: discord.abc.Messageable,
        author: discord.User | discord.Member,
        source: discord.Message | None = None,
    ) -> None:
        self._channel = channel
        self._author = author
        self._source = source

    @classmethod
    def to(cls, message: discord.Message) -> MessageReply:
        """Answers `message`, replying to it in a server (in a DM the thread is plain)."""
        return cls(message.channel, message.author, message if message.guild is not None else None)

    async def here(self, message: Outgoing, key: str, *, in_place: bool) -> None:
        await send(self._channel, message, key, self._source)

    async def privately(self, message: Outgoing, key: str) -> None:
        try:
            await send(await self._author.create_dm(), message, key)
        except discord.Forbidden as error:
            raise Unreachable(_DMS_CLOSED) from error

    async def redelivered(self, event_id: str) -> None:
        """Nothing to do: Discord replays events only on a RESUME, into the process that handled
        them and answered; a killed process's session cannot be resumed, so nothing comes again."""


class InteractionReply:
    """Answers a slash command or a click: the interaction's response, then followups. In a
    server a private answer is ephemeral, shown in place to the speaker alone.

    After a defer the "thinking…" message is the response: the first reply edits it (when its
    visibility matches; otherwise it is deleted) and the rest are followups."""

    def __init__(self, interaction: discord.Interaction[Any]) -> None:
        self._interaction = interaction
        self.capabilities = Capabilities(
            ephemeral=interaction.guild_id is not None, buttons=True, files=True, must_answer=True
        )
        self._thinking: bool | None = None  # once deferred: whether "thinking…" is ephemeral
        self.answered = False

    async def defer(self, *, ephemeral: bool) -> None:
        await self._interaction.response.defer(ephemeral=ephemeral, thinking=True)
        self._thinking = ephemeral

    async def withdraw(self) -> None:
        """Nothing to say after a defer: remove the "thinking…" message."""
        await self._interaction.delete_original_response()
        self.answered = True

    async def here(self, message: Outgoing, key: str, *, in_place: bool) -> None:
        interaction = self._interaction
        for piece in pieces(message):
            mentions = allowed_mentions(message)
            if not interaction.response.is_done():
                await interaction.response.send_message(
                    piece.content,
                    ephemeral=in_place,
                    view=piece.view,
                    file=piece.file or MISSING,
                    allowed_mentions=mentions,
                    suppress_embeds=message.suppress_embeds,
                )
            elif self._thinking is not None and not self.answered and self._thinking == in_place:
                await interaction.edit_original_response(
                    content=piece.content,
                    view=piece.view or MISSING,
                    attachments=[piece.file] if piece.file is not None else MISSING,
                    allowed_mentions=mentions,
                )
            else:
                if self._thinking is not None and not self.answered:
                    await interaction.delete_original_response()  # its visibility is not this one's
                await interaction.followup.send(
                    piece.content or MISSING, ephemeral=in_place, view=piece.view or MISSING,
                    file=piece.file or MISSING, allowed_mentions=mentions, suppress_embeds=message.suppress_embeds,
                )  # fmt: skip
            self.answered = True

    async def privately(self, message: Outgoing, key: str) -> None:
        await self.here(message, key, in_place=True)

    async def redelivered(self, event_id: str) -> None:
        """Nothing to do: an interaction is answered once, by its token (`MessageReply.redelivered`)."""
