"""Matrix events other than plain commands: files people send the bot, and people joining the
main room.

A file (`m.file`, encrypted or not) reaches the core as an `Upload` on a message. Clients send a
file as its own event: with a caption (`body` differing from `filename`, MSC2530) the caption is
the command and the file comes with it; without one, the file waits (in memory, ten minutes) for
its sender's next message in that room — upload the CSV, then type `!signatures import`. The
content is downloaded only then, and only when the size the event declares is within
`MAX_UPLOAD_BYTES`; a file from an encrypted room is decrypted with the key in its event.

A member joining the main room (membership `join` after anything but `join`: a first join or a
return, not a name change) is handed to the core as a join, with the membership event's id as
its event id, so a replayed sync welcomes nobody twice.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nio import (
    AsyncClient,
    DownloadError,
    RoomEncryptedFile,
    RoomMemberEvent,
    RoomMessageFile,
)
from nio.crypto.attachments import decrypt_attachment

from bot.core.messages import MAX_UPLOAD_BYTES, Incoming, Sender, Upload
from bot.ids import Role

log = logging.getLogger(__name__)

PLATFORM = "matrix"
PENDING_S = 600.0
BACKFILL_PAGES = 50


@dataclass(frozen=True)
class SentFile:
    """A file someone sent: where to fetch it, how large they say it is, and its key if encrypted."""

    url: str
    filename: str
    size: int | None
    mime_type: str
    secret: dict[str, Any] | None
    caption: str | None


def sent_file(event: RoomMessageFile | RoomEncryptedFile) -> SentFile:
    content: dict[str, Any] = event.source.get("content", {})
    filename = str(content.get("filename") or event.body or "file")
    caption = str(event.body) if content.get("filename") and event.body and event.body != filename else None
    found = content.get("info")
    info: dict[str, Any] = found if isinstance(found, dict) else {}
    size = info.get("size") if isinstance(info.get("size"), int) else None
    mime = str(info.get("mimetype") or getattr(event, "mimetype", "") or "")
    secret = None
    if isinstance(event, RoomEncryptedFile):
        secret = {"key": event.key.get("k", ""), "hash": event.hashes.get("sha256", ""), "iv": event.iv}
    return SentFile(event.url, filename, size, mime, secret, caption)


async def fetch(client: AsyncClient, sent: SentFile) -> Upload:
    """The file's content, decrypted; without content when it is (or says it is) too large."""
    if sent.size is not None and sent.size > MAX_UPLOAD_BYTES:
        return Upload(sent.filename, sent.size, None, sent.mime_type)
    response = await client.download(sent.url)
    if isinstance(response, DownloadError) or not isinstance(getattr(response, "body", None), bytes):
        raise OSError(f"could not download a file: {response}")
    data: bytes = response.body
    if len(data) > MAX_UPLOAD_BYTES:
        return Upload(sent.filename, len(data), None, sent.mime_type)
    if sent.secret is not None:
        data = decrypt_attachment(data, sent.secret["key"], sent.secret["hash"], sent.secret["iv"])
    return Upload(sent.filename, len(data), data, sent.mime_type)


class Pending:
    """Files sent without a caption, each waiting for its sender's next message in its room."""

    def __init__(self) -> None:
        self._files: dict[tuple[str, str], tuple[SentFile, float]] = {}

    def keep(self, room_id: str, sender: str, sent: SentFile) -> None:
        now = time.monotonic()
        self._files = {key: kept for key, kept in self._files.items() if now - kept[1] <= PENDING_S}
        self._files[(room_id, sender)] = (sent, now)

    def take(self, room_id: str, sender: str) -> SentFile | None:
        found = self._files.pop((room_id, sender), None)
        if found is None or time.monotonic() - found[1] > PENDING_S:
            return None
        return found[0]


def is_arrival(event: Any, bot_user_id: str) -> bool:
    """Someone other than the bot joining (or coming back), not a change of name or avatar."""
    return (
        isinstance(event, RoomMemberEvent)
        and event.membership == "join"
        and event.prev_membership != "join"
        and event.state_key != bot_user_id
    )


def arrival(event: RoomMemberEvent, room_id: str, name: str | None, role: Role | None) -> Incoming:
    return Incoming(
        platform=PLATFORM,
        event_id=event.event_id,
        sender=Sender(PLATFORM, event.state_key, name or event.state_key[1:].split(":")[0], role),
        channel_id=room_id,
        private=False,
        text="",
        at=datetime.fromtimestamp(event.server_timestamp / 1000, UTC),
        kind="join",
    )
