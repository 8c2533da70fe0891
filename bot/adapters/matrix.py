"""The Matrix adapter: the bot in Matrix rooms and direct chats, through matrix-nio.

Two tasks run while the adapter is started. The *sync loop* long-polls `/sync` and keeps nio's
view of rooms, members and encryption keys current; it hands each response to the *worker*,
which turns new `!commands` into `Incoming` messages, lets the dispatcher run them, sends the
replies, and only then hands the response's `next_batch` token to be stored in the database in
the background (`matrix_sync.SyncToken`: a busy writer must not hold up the next batch). The
next sync starts once the worker has answered (`matrix_sync.SyncPace`: the homeserver would
otherwise build the bot's sync while it delivers the replies), unless the worker waits for a
sync itself (a direct chat it just created must appear in nio's state before nio will encrypt
for it), so neither blocks the other.

Nothing lost, nothing twice: the dispatcher records each event id with the command's effects, so
if the bot dies after running a command but before the token is stored, the event comes back on
the next start and is ignored. Commands sent while the bot was down arrive in the first sync
after the stored token; when a room had more than one sync page of them (`limited`), the missing
ones are fetched with `/messages` back to the stored token. On the very first run there is no
token, and what the first sync returns is history: older messages are never run as commands.

See docs/matrix.md for how rooms, invites, roles and encryption behave.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from nio import (
    AsyncClient,
    InviteMemberEvent,
    JoinResponse,
    MatrixRoom,
    MegolmEvent,
    RoomEncryptedFile,
    RoomMemberEvent,
    RoomMessage,
    RoomMessageFile,
    RoomMessageText,
    SyncResponse,
)

from bot.adapters.base import DeliveryFailed
from bot.adapters.matrix_events import Pending, SentFile, arrival, fetch, is_arrival, sent_file
from bot.adapters.matrix_invited import Declined, Invited
from bot.adapters.matrix_read import display_name, is_edit, read, sender_name
from bot.adapters.matrix_reply import Reply
from bot.adapters.matrix_rooms import Rooms, server_of
from bot.adapters.matrix_send import (
    PLATFORM,
    Outbound,
    RateLimited,
    SendFailed,
    WalkedOut,
    declined,
)
from bot.adapters.matrix_session import SessionError, namespace, open_client
from bot.adapters.matrix_sync import SyncPace, SyncToken, backfill
from bot.app import App
from bot.config import Secrets
from bot.core.messages import Delivery, Incoming, Sender
from bot.core.routing import Capabilities
from bot.crashpoints import checkpoint

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
ROOM_WAIT_S = 30.0
STOP_GRACE_S = 10.0
# An outbox delivery waits out a rate limit this short; a longer one defers the message.
DELIVERY_MAX_WAIT_S = 10.0
MAX_SYNC_BACKOFF_S = 60.0
T = TypeVar("T")


class MatrixAdapter:
    """Connects one bot account to Matrix; see the module docstring."""

    platform = PLATFORM
    #: No ephemeral replies on Matrix: a private answer goes to the person's direct chat.
    capabilities = Capabilities(buttons=False, files=True, threads=True)

    def __init__(self, app: App, secrets: Secrets) -> None:
        self.app = app
        self.settings = app.config.matrix
        self._secrets = secrets
        self._memory = app.adapter_state(PLATFORM, namespace(self.user_id))
        self._token = SyncToken(self._memory)
        self._client: AsyncClient | None = None
        self._outbound: Outbound | None = None
        self._synced = asyncio.Condition()
        self._queue: asyncio.Queue[tuple[SyncResponse, str | None]] = asyncio.Queue()
        self._pace = SyncPace(self._queue)
        self._sync_task: asyncio.Task[None] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._rooms = Rooms(self.settings, self.user_id)
        self._files = Pending()
        self._invited = Invited(self._memory, self.user_id, self._refused)
        self._wake: asyncio.TimerHandle | None = None
        self._stopping = False
        app.attach(self)

    @property
    def user_id(self) -> str:
        return str(self.settings.user_id)

    @property
    def client(self) -> AsyncClient:
        if self._client is None:
            raise RuntimeError("the Matrix adapter is not started")
        return self._client

    @property
    def outbound(self) -> Outbound:
        if self._outbound is None:
            raise RuntimeError("the Matrix adapter is not started")
        return self._outbound

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Log in, join the configured rooms, do the first sync, then keep syncing."""
        self._client = await open_client(self.settings, self._secrets, self._memory)
        self._outbound = Outbound(
            self._client,
            self._memory,
            encrypt_new_rooms=self.settings.encryption,
            wait_for_room=self._wait_for_room,
            max_wait_s=DELIVERY_MAX_WAIT_S,
        )
        await self._rooms.join_configured(self._client)
        since = await self._token.load()
        # nio keeps no room list between runs: ask for the full state along with the first page.
        first = await self.client.sync(timeout=0, since=since, full_state=True)
        if not isinstance(first, SyncResponse):
            raise SessionError(f"the first sync with {self.settings.homeserver} failed: {first}")
        await self._after_sync()
        if since is None:
            log.info("first run on this database: earlier Matrix messages are history, not commands")
        await self._queue.put((first, since))
        self._worker = asyncio.create_task(self._work(), name="matrix-worker")
        self._sync_task = asyncio.create_task(self._sync_loop(first.next_batch), name="matrix-sync")

    async def stop(self) -> None:
        """Take no new events, let the worker finish those it has (the sync loop keeps nio's
        state current meanwhile: a reply may need a new direct chat), then disconnect."""
        self._stopping = True
        if self._wake is not None:
            self._wake.cancel()
        if self._worker is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._queue.join(), STOP_GRACE_S)
        await _cancel(self._sync_task)
        await _cancel(self._worker)
        await self._token.flush()
        if self._client is not None:
            await self._client.close()
            if self._client.store is not None:
                self._client.store.database.close()
        self._client = self._outbound = None

    # -- outbox delivery -------------------------------------------------------------------

    async def deliver(self, delivery: Delivery) -> None:
        """Send an outbox message to a person's direct chat or to a room, idempotently. A
        reminder of a backlog gives way to replies (`Outbound.backlog`)."""
        lane = contextlib.nullcontext() if delivery.prompt else self.outbound.backlog()
        try:
            with lane:
                if delivery.user_id is not None:
                    room_id = await self.outbound.private_room(delivery.user_id, patient=False)
                elif delivery.channel_id is not None:  # the main room by its configured alias, or a room id
                    main = delivery.channel_id == self.settings.main_room and self._rooms.main_room
                    room_id = main or delivery.channel_id
                else:
                    raise DeliveryFailed("no destination", permanent=True)
                async with self._provisionally(room_id, delivery):
                    await self.outbound.deliver(room_id, delivery)
        except (WalkedOut, Declined):
            raise declined() from None
        except RateLimited as limited:
            self._wake_deliverer_in(limited.seconds)
            raise DeliveryFailed("rate limited", retry_after=limited.seconds) from None
        except SendFailed as failed:
            raise DeliveryFailed(failed.reason) from None
        except TimeoutError:
            raise DeliveryFailed("the new direct chat did not show up in time") from None

    def _provisionally(self, room_id: str, delivery: Delivery) -> contextlib.AbstractAsyncContextManager[None]:
        """Someone only invited to their direct chat reads it only if they accept (`matrix_invited`)."""
        room = self.client.rooms.get(room_id)
        if delivery.user_id is None or room is None or delivery.user_id not in room.invited_users:
            return contextlib.nullcontext()
        return self._invited.posting(room_id, delivery.user_id, delivery.key)

    async def _refused(self, keys: Sequence[str]) -> None:
        """Outbox messages posted with a direct chat's invitation, which the person declined: each
        fails as a delivery to them would now, and whoever caused it is told (spec §11)."""
        for key in keys:
            await self.app.deliverer.refused(key, declined())
        self.app.scheduler.kick()

    def _wake_deliverer_in(self, seconds: float) -> None:
        """Run the deliverer again once the rate limit is over, not at the next sweep (the
        deliverer defers a rate-limited message by at least a second)."""
        if self._wake is not None:
            self._wake.cancel()
        delay = max(seconds, 1.0) + 0.1
        self._wake = asyncio.get_running_loop().call_later(delay, self.app.scheduler.kick)

    # -- syncing ---------------------------------------------------------------------------

    async def _sync_loop(self, since: str) -> None:
        backoff = 1.0
        while True:
            try:
                response = await self.client.sync(timeout=SYNC_TIMEOUT_MS, since=since)
                if isinstance(response, SyncResponse):
                    await self._after_sync()
                    if not self._stopping:  # else its events come again after the restart
                        await self._queue.put((response, since))
                        await self._pace.hold()
                    since = response.next_batch
                    backoff = 1.0
                    continue
                if response.status_code == "M_UNKNOWN_TOKEN":
                    log.error("the homeserver no longer accepts the bot's access token; restart it")
                else:
                    log.warning("matrix sync failed (%s); retrying in %.0fs", response.status_code, backoff)
            except Exception:
                log.exception("matrix sync failed; retrying in %.0fs", backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_SYNC_BACKOFF_S)

    async def _after_sync(self) -> None:
        """What nio's own sync loop does between syncs: keys and to-device messages."""
        client = self.client
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())
        await client.send_to_device_messages()
        async with self._synced:
            self._synced.notify_all()

    async def _wait_for_room(self, room_id: str, ready: Callable[[MatrixRoom], bool]) -> None:
        """Until nio's state of a room (after some sync) satisfies `ready`."""
        with self._pace.needed():
            async with asyncio.timeout(ROOM_WAIT_S), self._synced:
                while room_id not in self.client.rooms or not ready(self.client.rooms[room_id]):
                    await self._synced.wait()

    async def _work(self) -> None:
        while True:
            response, since = await self._queue.get()
            try:
                await self._handle(response, since)
            except Exception:
                log.exception("a Matrix sync batch failed; its events come again at the next start")
            finally:
                self._queue.task_done()

    async def _handle(self, response: SyncResponse, since: str | None) -> None:
        """Invites, then new messages (none on a first run), then the batch's token to be stored."""
        for room_id, invited in response.rooms.invite.items():
            await self._guarded(self._on_invite(room_id, invited.invite_state))
        for room_id, joined in response.rooms.join.items():
            self._rooms.note_state(room_id, [*joined.state, *joined.timeline.events])
            await self.outbound.note_members(room_id, joined.timeline.events)
            await self._invited.note_members(room_id, joined.timeline.events)
        handled = 0
        if since is not None:
            for room_id, joined in response.rooms.join.items():
                events, timeline = list(joined.timeline.events), joined.timeline
                if timeline.limited and timeline.prev_batch and not self._rooms.joins_in(events):
                    events = await backfill(self.client, room_id, timeline.prev_batch, since) + events
                inviter = await self.outbound.direct_with(room_id) if self._rooms.joins_in(events) else None
                for event in self._rooms.since_joined(events, inviter):
                    if isinstance(event, RoomMessageText):
                        handled += await self._guarded(self._on_message(room_id, event)) or 0
                    elif isinstance(event, RoomMessageFile | RoomEncryptedFile):
                        handled += await self._guarded(self._on_file(room_id, event)) or 0
                    elif room_id == self._rooms.main_room and is_arrival(event, self.user_id):
                        handled += await self._guarded(self._on_arrival(room_id, event)) or 0
                    elif isinstance(event, MegolmEvent):
                        log.warning("could not decrypt an event in %s (no key shared with the bot)", room_id)
        if handled:
            checkpoint("matrix-before-token")
        self._token.handled(response.next_batch)

    async def _guarded(self, handling: Awaitable[T]) -> T | None:
        """One event's handling; a bug there is logged and must not stop the others."""
        try:
            return await handling
        except Exception:
            log.exception("handling a Matrix event failed")
            return None

    # -- invites and commands ----------------------------------------------------------

    async def _on_invite(self, room_id: str, invite_state: list[Any]) -> None:
        invite = next(
            (
                event
                for event in invite_state
                if isinstance(event, InviteMemberEvent)
                and event.state_key == self.user_id
                and event.membership == "invite"
            ),
            None,
        )
        if invite is None:
            return
        if not self._rooms.accepts_invite(room_id, invite.sender):
            log.info("declined an invite from a user on %s", server_of(invite.sender))
            await self.client.room_leave(room_id)
            return
        joined = await self.client.join(room_id)
        if not isinstance(joined, JoinResponse):
            log.warning("could not accept the invite to %s: %s", room_id, joined)
            return
        if invite.content.get("is_direct"):
            await self.outbound.mark_direct(room_id, invite.sender)
        log.info("joined %s on invitation", room_id)

    async def _on_file(self, room_id: str, event: RoomMessageFile | RoomEncryptedFile) -> int:
        """A file: with a caption, a command with the file attached; else kept for the sender's
        next message in the room (see `matrix_events`)."""
        if event.sender == self.user_id:
            return 0
        sent = sent_file(event)
        if sent.caption is None:
            self._files.keep(room_id, event.sender, sent)
            return 0
        return await self._on_message(room_id, event, sent)

    async def _on_arrival(self, room_id: str, event: RoomMemberEvent) -> int:
        """Someone joined the main room: the core welcomes them (once, at a waking hour)."""
        room = self.client.rooms.get(room_id)
        name = (display_name(room, event.state_key) if room else None) or event.content.get("displayname")
        role = self._rooms.granted_role(self.client, event.state_key)
        await self.app.dispatcher.handle(arrival(event, room_id, name if isinstance(name, str) else None, role))
        return 1

    async def _on_message(self, room_id: str, event: RoomMessage, sent: SentFile | None = None) -> int:
        """Run a message by the dispatcher and send its replies; 1 if it was someone's message."""
        if event.sender == self.user_id or is_edit(event.source):
            return 0
        room = self.client.rooms.get(room_id)
        if room is None:
            return 0
        sent = sent or self._files.take(room_id, event.sender)
        command = read(
            event.source.get("content", {}),
            self.user_id,
            lambda user: display_name(room, user),
            room.user_name(self.user_id),
        )
        private = await self.outbound.is_private(room, event.sender)
        incoming = Incoming(
            platform=PLATFORM,
            event_id=event.event_id,
            sender=Sender(
                PLATFORM,
                event.sender,
                sender_name(room, event.sender),
                self._rooms.granted_role(self.client, event.sender),
            ),
            channel_id=room_id,
            private=private,
            text=command.text,
            at=datetime.fromtimestamp(event.server_timestamp / 1000, UTC),
            mentions=command.mentions,
        )
        if sent is not None and self.app.dispatcher.command_line(incoming) is not None:  # fetched for commands only
            incoming = dataclasses.replace(incoming, attachments=(await fetch(self.client, sent),))
        if private:
            await self.outbound.remember_private_room(event.sender, room_id)
        reply = Reply(self.outbound, self.capabilities, room_id, event)
        try:
            await self.app.dispatcher.answer(incoming, reply)
        finally:
            await reply.finish()  # the event (and its batch's sync token) is handled once every reply is out
        if private:  # a first command made the account the chat is recorded on
            await self.outbound.remember_private_room(event.sender, room_id)
        return 1


async def _cancel(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
