"""Answering on Discord: a message in its channel or the author's DMs, an interaction by its
response and followups, and the messages themselves (split to Discord's length, each with a
nonce from its key so a resend is dropped)."""

from __future__ import annotations

from typing import Any

import discord
from discord.utils import MISSING

from bot.adapters.discord_render import allowed_mentions, nonce, pieces
from bot.core import words
from bot.core.messages import Outgoing
from bot.core.routing import Capabilities, Planned, Unreachable
from bot.core.text import fmt

_DMS_CLOSED = fmt(
    "I couldn't message you privately: Discord says your DMs are closed to me. Allow direct "
    "messages from this server's members (Privacy Settings), or use the slash command, whose "
    "answer only you can see."
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
    target: discord.abc.Messageable, out: Outgoing, key: str, reply_to: discord.Message | None = None
) -> None:
    """Send a reply as one or more messages; each part's nonce derives from `key`."""
    for index, piece in enumerate(pieces(out)):
        # discord.py takes `reference=None` but its type hints do not say so.
        reply: dict[str, Any] = {}
        if reply_to is not None and index == 0:
            reply["reference"] = reply_to.to_reference(fail_if_not_exists=False)
        await target.send(
            piece.content,
            nonce=nonce(key if index == 0 else f"{key}:{index}"),
            allowed_mentions=allowed_mentions(out),
            view=piece.view,
            file=piece.file,
            suppress_embeds=out.suppress_embeds,
            **reply,
        )


class MessageReply:
    """Answers a message: in its channel (as a reply, in a server), or in the author's DMs."""

    capabilities = Capabilities(buttons=True, files=True)

    def __init__(self, message: discord.Message) -> None:
        self._message = message

    async def here(self, message: Outgoing, key: str, *, in_place: bool) -> None:
        source = self._message
        await send(source.channel, message, key, source if source.guild is not None else None)

    async def privately(self, message: Outgoing, key: str) -> None:
        try:
            await send(await self._message.author.create_dm(), message, key)
        except discord.Forbidden as error:
            raise Unreachable(_DMS_CLOSED) from error


class InteractionReply:
    """Answers a slash command or a click: the interaction's response, then followups. In a
    server a private answer is ephemeral, shown in place to the speaker alone."""

    def __init__(self, interaction: discord.Interaction[Any]) -> None:
        self._interaction = interaction
        self.capabilities = Capabilities(ephemeral=interaction.guild_id is not None, buttons=True, files=True)

    async def here(self, message: Outgoing, key: str, *, in_place: bool) -> None:
        interaction = self._interaction
        for piece in pieces(message):
            if not interaction.response.is_done():
                await interaction.response.send_message(
                    piece.content, ephemeral=in_place, view=piece.view, file=piece.file,
                    allowed_mentions=allowed_mentions(message), suppress_embeds=message.suppress_embeds,
                )  # fmt: skip
            else:
                await interaction.followup.send(
                    piece.content or MISSING, ephemeral=in_place, view=piece.view, file=piece.file,
                    allowed_mentions=allowed_mentions(message), suppress_embeds=message.suppress_embeds,
                )  # fmt: skip

    async def privately(self, message: Outgoing, key: str) -> None:
        await self.here(message, key, in_place=True)
