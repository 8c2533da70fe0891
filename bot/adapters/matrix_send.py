"""Sending on Matrix: idempotent sends, patience with rate limits, and each person's direct chat.

Every send carries a transaction id derived from an idempotency key (`txn_id`), and a retry —
after a 429 or after a crash — reuses it, so the homeserver posts the message at most once while
it remembers the id (Synapse: a day); a message that waited longer is looked for first
(`matrix_resend`).

Rate limits: the client never lets nio retry a 429 by itself (it would retry forever, invisibly).
When the homeserver answers 429, nothing more is sent until `retry_after_ms` has passed — for
every kind of request, since sends, room creation and invites share one allowance. A caller that
can wait (a reply to a command, which has nowhere else to go) waits; an outbox delivery waits for
a short pause but gives up at once when the pause is long (`RateLimited`), so the deliverer can
keep the message in the database and try again when told.

Direct chats: a person's private messages go to one room per person, remembered in
the adapter's state (`AdapterState.private_chat`) and reused after restarts. It is created on first need (invite, marked
`is_direct`, encrypted when encryption is on) and replaced when it stopped being a chat of just
the bot and that person (someone else joined). A person who declined the invite or left is not
invited again by an unprompted message: the delivery fails as unreachable and whoever caused it
is told; their next command, or a chat they open, gives them a direct chat again. What was posted
with the invitation they declined is reported too (`matrix_invited`).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextvars import ContextVar
from datetime import datetime
from typing import Any, TypeVar

from nio import (
    AsyncClient,
    EnableEncryptionBuilder,
    EncryptionError,
    ErrorResponse,
    LocalProtocolError,
    MatrixRoom,
    RoomCreateResponse,
    RoomMemberEvent,
    RoomPreset,
    RoomSendResponse,
    SendRetryError,
    UploadResponse,
)

from bot.adapters.base import DeliveryFailed
from bot.adapters.matrix_render import render_parts
from bot.adapters.matrix_resend import already_posted
from bot.adapters.matrix_session import txn_id
from bot.core.messages import Attachment, Delivery, Outgoing
from bot.core.text import fmt
from bot.storage.state import AdapterState

log = logging.getLogger(__name__)

PLATFORM = "matrix"
LIMIT_EXCEEDED = "M_LIMIT_EXCEEDED"
DEFAULT_RETRY_S = 5.0
R = TypeVar("R")
MAX_INTERVAL_S = 60.0
#: Set while the deliverer sends a backlog reminder (`Outbound.backlog`).
BACKLOG: ContextVar[bool] = ContextVar("matrix_backlog", default=False)

#: For whoever caused a message to someone who declined the bot's direct chat (spec §11).
ACCEPT_INVITE = fmt("Ask them to accept my invitation to a direct chat, or to start one with me.")


def declined() -> DeliveryFailed:
    """How a private message to someone who turned down the bot's direct chat fails (spec §11)."""
    return DeliveryFailed("declined the direct chat", unreachable=True, advice=ACCEPT_INVITE)


class RateLimited(Exception):
    """The homeserver asked for a pause longer than the caller is willing to wait."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"rate limited for {seconds:.1f}s")
        self.seconds = seconds


class SendFailed(Exception):
    """The homeserver (or nio, before sending) refused; `reason` is safe to log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WalkedOut(Exception):
    """The person turned down (or left) the bot's direct chat: an unprompted message must not
    invite them again and again; whoever caused it is told instead (spec §11)."""


class Outbound:
    """Everything the bot sends to Matrix goes through here."""

    def __init__(
        self,
        client: AsyncClient,
        memory: AdapterState,
        *,
        encrypt_new_rooms: bool,
        wait_for_room: Callable[[str, Callable[[MatrixRoom], bool]], Awaitable[None]],
        max_wait_s: float,
    ) -> None:
        self.client = client
        self.memory = memory
        self.user_id = str(client.user_id)
        self.encrypt_new_rooms = encrypt_new_rooms
        self.max_wait_s = max_wait_s
        self._wait_for_room = wait_for_room
        self._blocked_until = 0.0
        self._urgent = 0  # replies and commands' messages waiting or under way
        self._interval = 0.0  # seconds per request at the homeserver's rate, once a 429 showed it
        self._next_backlog = 0.0
        self._dm_locks: dict[str, asyncio.Lock] = {}
        self._dm_of: dict[str, str] = {}
        self._saved_dm: dict[str, str] = {}  # those of `_dm_of` recorded in the database
        self._direct: dict[str, str | None] = {}  # room → whom it is a direct chat with
        self._declined_in: dict[str, str] = {}

    @property
    def blocked_for(self) -> float:
        """Seconds until the homeserver accepts requests again (0 when not rate limited)."""
        return max(0.0, self._blocked_until - asyncio.get_running_loop().time())

    async def send(self, room_id: str, content: dict[str, Any], key: str, *, patient: bool) -> str:
        """Send one message (encrypted if the room is) and return its event id."""

        async def attempt() -> RoomSendResponse | ErrorResponse:
            try:
                return await self.client.room_send(
                    room_id,
                    "m.room.message",
                    content,
                    tx_id=txn_id(key),
                    ignore_unverified_devices=True,  # the trust choice: see docs/matrix.md
                )
            except (LocalProtocolError, SendRetryError, EncryptionError) as error:
                raise SendFailed(f"{type(error).__name__}: {error}") from error

        response = await self.request(attempt, patient=patient, what="send")
        return str(response.event_id)

    async def send_file(self, room_id: str, attachment: Attachment, key: str, *, patient: bool) -> str:
        """Upload a file (encrypted for an encrypted room) and post it."""
        room = self.client.rooms.get(room_id)
        encrypt = bool(room is not None and room.encrypted and self.client.olm is not None)
        data = attachment.content

        async def upload() -> UploadResponse | ErrorResponse:
            response, keys = await self.client.upload(
                lambda _limits, _timeouts: io.BytesIO(data),
                content_type=attachment.mime_type,
                filename=attachment.filename,
                encrypt=encrypt,
                filesize=len(data),
            )
            uploaded.update(keys or {})
            return response

        uploaded: dict[str, Any] = {}
        response = await self.request(upload, patient=patient, what="upload")
        content: dict[str, Any] = {
            "msgtype": "m.file",
            "body": attachment.filename,
            "filename": attachment.filename,
            "info": {"mimetype": attachment.mime_type, "size": len(data)},
        }
        if encrypt:
            content["file"] = {**uploaded, "url": response.content_uri}
        else:
            content["url"] = response.content_uri
        return await self.send(room_id, content, key + ":file", patient=patient)

    async def request(
        self, call: Callable[[], Awaitable[R | ErrorResponse]], *, patient: bool, what: str, paced: bool = True
    ) -> R:
        """Run a request, waiting out rate limits; SendFailed if the homeserver refuses it.

        Inside `backlog()` a request gives way: never while a reply or a command's message is
        waiting, never by waiting (the deliverer is told when to try again and moves on to what
        people are waiting for), and, once the homeserver has shown its rate, at half of it — so
        the bucket the homeserver keeps for the bot refills, and a reply finds it ready. A read
        (`paced=False`: the look for an earlier try) waits for that turn too, but leaves it to the
        send that follows: Synapse counts what the bot sends, not what it reads, and a look that
        took the turn would leave the send none, at every try."""
        if BACKLOG.get():
            await self._backlog_turn(take=paced)
        else:
            self._urgent += 1
        try:
            return await self._request(call, patient=patient, what=what)
        finally:
            if not BACKLOG.get():
                self._urgent -= 1

    @contextlib.contextmanager
    def backlog(self) -> Iterator[None]:
        """Requests made within (in this task) are backlog: a reminder nobody is waiting for."""
        token = BACKLOG.set(True)
        try:
            yield
        finally:
            BACKLOG.reset(token)

    async def _backlog_turn(self, *, take: bool) -> None:
        loop = asyncio.get_running_loop()
        if self._urgent:
            raise RateLimited(max(self._interval, 1.0))  # the deliverer tries again shortly
        wait = max(self.blocked_for, self._next_backlog - loop.time())
        if wait > 0:  # never sleeps: the deliverer moves on (and is woken when the turn comes)
            raise RateLimited(wait)
        if take:
            self._next_backlog = loop.time() + 2 * self._interval

    async def _request(self, call: Callable[[], Awaitable[R | ErrorResponse]], *, patient: bool, what: str) -> R:
        while True:
            wait = self.blocked_for
            if wait > 0:
                if not patient and wait > self.max_wait_s:
                    raise RateLimited(wait)
                await asyncio.sleep(wait)
            loop = asyncio.get_running_loop()
            asked = loop.time()
            response = await call()
            if not isinstance(response, ErrorResponse):
                return response
            if response.status_code != LIMIT_EXCEEDED:
                raise SendFailed(f"{what}: {response.status_code} {response.message}")
            seconds = (response.retry_after_ms or DEFAULT_RETRY_S * 1000) / 1000
            self._blocked_until = loop.time() + seconds
            # From asking to being allowed is at most the time one request takes to earn back
            # (all of it when the bucket was just emptied; Synapse holds a refusal a while before
            # answering): the longest seen is the homeserver's rate, kept to half by the backlog.
            self._interval = min(max(self._blocked_until - asked, self._interval), MAX_INTERVAL_S)
            log.info("matrix rate limit on %s: pausing %.2fs", what, seconds)
            if BACKLOG.get():
                raise RateLimited(seconds)

    # -- direct chats ----------------------------------------------------------------------

    async def private_room(self, user_id: str, *, patient: bool) -> str:
        """The person's direct chat with the bot, created (and remembered) if there is none.

        `patient` callers answer the person themselves, so a new chat is opened even if they
        turned the last one down; an unprompted delivery raises `WalkedOut` instead."""
        lock = self._dm_locks.setdefault(user_id, asyncio.Lock())
        async with lock:
            room_id = self._dm_of.get(user_id)
            if room_id is None:
                room_id = await self.memory.private_chat(user_id)
            declined = room_id is not None and await self._declined(user_id) == room_id
            if declined and not patient:
                raise WalkedOut(user_id)
            if room_id is not None and not declined and self._is_chat_with(room_id, user_id):
                self._dm_of[user_id] = room_id
                return room_id
            room_id = await self._create_private_room(user_id, patient=patient)
            await self.remember_private_room(user_id, room_id)
            # The room shows up in /sync as soon as it exists, which can be before the invite
            # (and the encryption) are in it: nio would then share the room key with nobody.
            await self._wait_for_room(
                room_id, lambda room: user_id in room.users and room.encrypted == self.encrypt_new_rooms
            )
            return room_id

    async def remember_private_room(self, user_id: str, room_id: str) -> None:
        """Record `room_id` as the person's direct chat (one they opened, or one we made). Before
        their first command has run there is no account to record it on: it is not taken as
        recorded then, so the next call (`MatrixAdapter._on_message`, after the command) records
        it, and a restart does not open a second chat with them."""
        if self._saved_dm.get(user_id) == room_id:
            return
        if await self.memory.remember_private_chat(user_id, room_id, note=f"direct:{room_id}"):
            self._saved_dm[user_id] = room_id
        self._dm_of[user_id] = room_id
        self._direct[room_id] = user_id

    async def mark_direct(self, room_id: str, user_id: str) -> None:
        """Remember that `user_id` invited the bot to `room_id` as a direct chat."""
        await self.memory.put(f"direct:{room_id}", user_id)
        self._direct[room_id] = user_id

    async def direct_with(self, room_id: str) -> str | None:
        """Whom the room is a direct chat with: who invited the bot to it as one, or for whom the
        bot opened it; None for any other room."""
        if room_id not in self._direct:
            self._direct[room_id] = await self.memory.get(f"direct:{room_id}")
        return self._direct[room_id]

    async def is_private(self, room: MatrixRoom, sender: str) -> bool:
        """A direct chat of the bot and `sender` only: nobody else can read what is said there.
        It must be `sender`'s own (a room someone else marked direct, then left, is not: what is
        said there can be read by whoever comes back) and not one anyone may join."""
        if not self._is_chat_with(room.room_id, sender) or room.join_rule == "public":
            return False
        return await self.direct_with(room.room_id) == sender

    def _alone(self, room_id: str) -> bool:
        """Whether the room holds the bot and at most one other member, joined or invited, by nio's
        member list and by the server's count (which lazy-loaded members would not fool): a
        direct chat someone else joined is no longer private."""
        room = self.client.rooms.get(room_id)
        return room is not None and len(set(room.users) - {self.user_id}) <= 1 and room.member_count <= 2

    def _is_chat_with(self, room_id: str, user_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return room is not None and set(room.users) - {self.user_id} == {user_id}

    async def note_members(self, room_id: str, events: Sequence[Any]) -> None:
        """Whether people declined (or left) their direct chat with the bot, or joined it, from a
        room's timeline: its events come in order, while nio's member list can lag behind."""
        for event in events:
            if not isinstance(event, RoomMemberEvent) or event.state_key == self.user_id:
                continue
            person = event.state_key
            if event.membership not in ("leave", "ban", "join") or await self.memory.private_chat(person) != room_id:
                continue
            if event.membership == "join":
                await self.memory.delete(f"declined:{person}")
                self._declined_in[person] = ""
            else:
                await self.memory.put(f"declined:{person}", room_id)
                self._declined_in[person] = room_id

    async def _declined(self, user_id: str) -> str:
        """The direct chat the person declined or left last ("" if none), remembered across
        restarts and cached."""
        room_id = self._declined_in.get(user_id)
        if room_id is None:
            room_id = self._declined_in[user_id] = await self.memory.get(f"declined:{user_id}") or ""
        return room_id

    async def _create_private_room(self, user_id: str, *, patient: bool) -> str:
        initial_state = [EnableEncryptionBuilder().as_dict()] if self.encrypt_new_rooms else []

        async def create() -> RoomCreateResponse | ErrorResponse:
            return await self.client.room_create(
                is_direct=True,
                invite=[user_id],
                preset=RoomPreset.trusted_private_chat,
                initial_state=initial_state,
            )

        response = await self.request(create, patient=patient, what="create a direct chat")
        log.info("created a direct chat %s", response.room_id)
        return str(response.room_id)

    async def deliver(self, room_id: str, delivery: Delivery) -> None:
        """An outbox message: unprompted, so in a direct chat it rings the phone; one an earlier
        try may have posted (`Delivery.tried_since`) is looked for first."""
        notify = delivery.user_id is not None
        since = delivery.tried_since
        await self.post(room_id, delivery.message, delivery.key, patient=False, notify=notify, tried_since=since)

    async def post(
        self,
        room_id: str,
        message: Outgoing,
        key: str,
        *,
        patient: bool,
        reply_to: str | None = None,
        thread: str | None = None,
        notify: bool = False,
        tried_since: datetime | None = None,
    ) -> None:
        """Send a reply or outbox message: its text, then its file if it has one. In a room of the
        bot and one other, no empty `m.mentions` (`matrix_render`). Text too large for one event
        goes as several, in order (`render_parts`), the first with the message's own key (so a
        message of one part is sent as it always was), the others with keys of their own. With
        `tried_since` (`Delivery.tried_since`), the parts an earlier try posted are not sent again
        (`matrix_resend`); without, nothing is looked for: a first try costs no extra request."""
        alone = self._alone(room_id)
        contents = render_parts(message, reply_to=reply_to, thread_root=thread, notify=notify, alone=alone)
        keys = [f"{key}:part{index + 1}" if index else key for index in range(len(contents))]
        file_key = f"{key}:file"  # as `send_file` sends it
        posted: set[str] = set()
        if tried_since is not None:
            attached = [file_key] if message.attachment is not None else []
            posted = await already_posted(self, room_id, [*keys, *attached], tried_since, patient=patient)
        for part_key, content in zip(keys, contents, strict=True):
            if part_key not in posted:
                await self.send(room_id, content, part_key, patient=patient)
        if message.attachment is not None and file_key not in posted:
            await self.send_file(room_id, message.attachment, key, patient=patient)
