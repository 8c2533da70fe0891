"""Messages delivered only provisionally: posted into a direct chat its person is only invited to.

The bot opens a direct chat by inviting the person, and posts the message that needed it (an ask
that matches them, an introduction) right away: it rings as the invitation. But it is read only
if they accept. So such an outbox message is remembered (by its key, in the adapter's state, so
a restart forgets nothing) from just before it is posted until the person's answer shows up in
the room's timeline: a join settles it as delivered; a decline (their membership goes from
invited to left, or banned, without ever joining) makes it fail after all. Each such message is
then handed to `refused` — the deliverer marks it failed as unreachable and tells whoever caused
it, exactly as when a delivery to someone who declined cannot go out at all (spec §11); a
message nobody caused is marked failed and reported to nobody.

A decline read while its message is still being posted is left to that delivery: it fails when
the post returns (`Declined`), so the deliverer never marks it sent after it was marked failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from nio import RoomMemberEvent

from bot.storage.state import AdapterState

log = logging.getLogger(__name__)


class Declined(Exception):
    """The person declined the invitation while the message that came with it was being posted."""


@dataclass(frozen=True)
class Unread:
    """The outbox messages (by key) posted into a room whose one invitee has not answered yet."""

    user_id: str
    keys: tuple[str, ...]


class Invited:
    """The provisional deliveries of one bot account (see the module docstring)."""

    def __init__(
        self, memory: AdapterState, bot_user_id: str, refused: Callable[[Sequence[str]], Awaitable[None]]
    ) -> None:
        self.memory = memory
        self.bot_user_id = bot_user_id
        self.refused = refused
        self._unread: dict[str, Unread | None] = {}  # by room, as stored; None: nothing there
        self._lock = asyncio.Lock()
        self._posting: set[str] = set()
        self._declined_meanwhile: set[str] = set()

    @contextlib.asynccontextmanager
    async def posting(self, room_id: str, user_id: str, key: str) -> AsyncIterator[None]:
        """Around posting the outbox message `key` into `room_id`, which `user_id` has only been
        invited to. Remembered before it is posted, so a decline read meanwhile cannot miss it;
        raises `Declined` after the post if that decline came while it was under way."""
        await self._remember(room_id, user_id, key)
        self._posting.add(key)
        try:
            yield
        finally:
            self._posting.discard(key)
            declined = key in self._declined_meanwhile
            self._declined_meanwhile.discard(key)
        if declined:
            raise Declined(key)

    async def note_members(self, room_id: str, events: Sequence[Any]) -> None:
        """Settle what waits in a room from its timeline's membership events, in order."""
        for event in events:
            if not isinstance(event, RoomMemberEvent) or event.state_key == self.bot_user_id:
                continue
            if event.membership == "join":
                await self._settle(room_id, event.state_key, declined=False)
            elif event.membership in ("leave", "ban"):  # after a join, what was there was read
                await self._settle(room_id, event.state_key, declined=event.prev_membership != "join")

    async def _remember(self, room_id: str, user_id: str, key: str) -> None:
        async with self._lock:
            unread = await self._unread_in(room_id)
            keys = unread.keys if unread is not None and unread.user_id == user_id else ()
            if key in keys:
                return
            unread = self._unread[room_id] = Unread(user_id, (*keys, key))
            await self.memory.put(f"unread:{room_id}", json.dumps({"user": user_id, "keys": list(unread.keys)}))

    async def _settle(self, room_id: str, user_id: str, *, declined: bool) -> None:
        """Forget what waited for `user_id` in the room, handing it to `refused` first if they
        declined (a crash in between hands it over again, never not at all)."""
        async with self._lock:
            unread = await self._unread_in(room_id)
            if unread is None or unread.user_id != user_id:
                return
            if declined:
                log.info("a direct chat was declined with %d message(s) in it", len(unread.keys))
                self._declined_meanwhile.update(key for key in unread.keys if key in self._posting)
                await self.refused([key for key in unread.keys if key not in self._posting])
            await self.memory.delete(f"unread:{room_id}")
            self._unread[room_id] = None

    async def _unread_in(self, room_id: str) -> Unread | None:
        if room_id not in self._unread:
            stored = await self.memory.get(f"unread:{room_id}")
            found = json.loads(stored) if stored else None
            self._unread[room_id] = Unread(str(found["user"]), tuple(found["keys"])) if found else None
        return self._unread[room_id]
