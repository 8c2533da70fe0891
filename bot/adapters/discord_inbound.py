"""What arrives on Discord besides the text of a command: files attached to a message, and a
member joining a server.

A file is read only for a message the bot will treat as a command, and only when Discord's own
size for it is within `MAX_UPLOAD_BYTES`: a larger one reaches the core without its content, so
the command can refuse it by name without the bot ever downloading it.

A member joining (GUILD_MEMBER_ADD, which needs the privileged Server Members intent) becomes a
join for the core; its event id names the server, the member and when they joined, so a replayed
event welcomes nobody twice. Bots, the bot itself included, are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import discord

from bot.core.messages import MAX_UPLOAD_BYTES, Incoming, Mentioned, Sender, Upload

PLATFORM = "discord"


async def uploads(message: discord.Message) -> tuple[Upload, ...]:
    found = []
    for attachment in message.attachments:
        content = await attachment.read() if attachment.size <= MAX_UPLOAD_BYTES else None
        found.append(Upload(attachment.filename, attachment.size, content, attachment.content_type or ""))
    return tuple(found)


async def fetched(http: discord.http.HTTPClient, files: Sequence[Mapping[str, Any]]) -> tuple[Upload, ...]:
    """Files attached to a slash command (`data.resolved.attachments`), read from Discord's CDN
    as a message's are (not over `MAX_UPLOAD_BYTES`: a handler refuses those by their size)."""
    found = []
    for file in files:
        size = int(file.get("size") or 0)
        content = await http.get_from_cdn(str(file["url"])) if size <= MAX_UPLOAD_BYTES else None
        name, kind = str(file.get("filename") or "file"), str(file.get("content_type") or "")
        found.append(Upload(name, size, content, kind))
    return tuple(found)


def arrival(member: discord.Member, sender: Sender, now: datetime) -> Incoming | None:
    """The join of a member, or None for a bot."""
    if member.bot:
        return None
    joined = member.joined_at or now
    return Incoming(
        platform=PLATFORM,
        event_id=f"join:{member.guild.id}:{member.id}:{int(joined.timestamp())}",
        sender=sender,
        channel_id=str(member.guild.id),
        private=False,
        text="",
        at=now,
        kind="join",
    )


def mentioned(users: Sequence[discord.User | discord.Member]) -> tuple[Mentioned, ...]:
    """Mentions as the dispatcher matches them against the text (both forms Discord writes)."""
    return tuple(
        Mentioned(raw, str(user.id), user.display_name) for user in users for raw in (f"<@{user.id}>", f"<@!{user.id}>")
    )
