"""Answering a Matrix message: in its room (as a reply, in its thread), or in the sender's direct
chat — the `Transport` the dispatcher's replies go through (`core.routing`).

A private answer to a command said in a room is two messages: the details in the person's direct
chat and a pointer in the room ("I've sent you the details privately"). Sent one after the
other, the whole answer took two sends to the homeserver, each a round trip (`coverage` in a
room, private for the regions only leads see, took about one more send than `help`). So once
the direct chat is known to be reachable (only then may the pointer say so), the details are
sent in the background while the routing goes on to the pointer; private messages still go out
in their order, and the adapter waits for them all (`finish`) before the event counts as
handled (and its sync batch's token can be stored).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from datetime import UTC, datetime

from nio import RoomMessage

from bot.adapters.matrix_read import thread_root
from bot.adapters.matrix_resend import already_posted
from bot.adapters.matrix_send import Outbound, SendFailed
from bot.core.messages import Outgoing
from bot.core.routing import Capabilities, Unreachable
from bot.core.text import fmt

log = logging.getLogger(__name__)

#: To someone whose private answer could not go to a direct chat (it could not be opened).
NO_DIRECT_CHAT = fmt(
    "I couldn't open a direct chat with you, so I can't send you the details here. "
    "Start a direct chat with me and send the command there."
)


#: To someone whose command ran just before a crash whose answer never went out (`redelivered`).
ANSWER_LOST = fmt(
    "I did what you asked here just before I restarted, but my answer to it was lost. Please don't "
    "send it again: `mine` shows where your things stand."
)
#: How many of a command's replies a look for its answer checks (a reply, or a pointer after a
#: private reply, is among the first few: `routing.plan`).
FIRST_REPLIES = 4


class Reply:
    """Answers one message (see the module docstring). Each reply is sent patiently (it has
    nowhere else to go); a refusal is logged, not raised, so the other replies to the same
    command still go out."""

    def __init__(self, outbound: Outbound, capabilities: Capabilities, room_id: str, event: RoomMessage) -> None:
        self._outbound = outbound
        self.capabilities = capabilities
        self._room_id = room_id
        self._event = event
        self._private: asyncio.Task[None] | None = None  # the last private message under way

    async def here(self, message: Outgoing, key: str, *, in_place: bool) -> None:
        thread = thread_root(self._event.source)
        await self._post(self._room_id, message, key, self._event.event_id, thread)

    async def privately(self, message: Outgoing, key: str) -> None:
        try:
            room_id = await self._outbound.private_room(self._event.sender, patient=True)
        except (SendFailed, TimeoutError) as error:
            log.warning("could not open a direct chat for a reply: %s", error)
            raise Unreachable(NO_DIRECT_CHAT) from error
        self._private = asyncio.create_task(_after(self._private, self._post(room_id, message, key)))

    async def redelivered(self, event_id: str) -> None:
        """A replay of an event handled before: the sync token of its batch is stored only once
        the batch's answers are out, so a kill between a command's commit and its answer replays
        it. If no answer to it is in the room (a reply, or the pointer to a private one), say
        that it was done, so the person neither waits nor sends it again."""
        keys = [f"reply:{event_id}:{n}" for n in range(FIRST_REPLIES)]
        since = datetime.fromtimestamp(self._event.server_timestamp / 1000, UTC)
        try:
            if await already_posted(self._outbound, self._room_id, keys, since, patient=True):
                return
        except SendFailed as error:
            log.warning("could not look for the answer to a replayed event in %s: %s", self._room_id, error)
            return
        await self.here(Outgoing(ANSWER_LOST, False), f"reply:{event_id}:lost", in_place=False)

    async def finish(self) -> None:
        """Return once every private message has been sent (or its failure logged)."""
        if self._private is not None:
            await self._private

    async def _post(
        self, room_id: str, message: Outgoing, key: str, reply_to: str | None = None, thread: str | None = None
    ) -> None:
        try:
            await self._outbound.post(room_id, message, key, patient=True, reply_to=reply_to, thread=thread)
        except (SendFailed, TimeoutError) as error:
            log.warning("could not send a reply in %s: %s", room_id, error)


async def _after(previous: asyncio.Task[None] | None, post: Awaitable[None]) -> None:
    """`post`, once the private message before it is out (a person reads them in order)."""
    if previous is not None:
        await previous
    await post
