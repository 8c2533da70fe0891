"""The people in Matrix adapter tests: real matrix-nio clients that the test drives.

A `Human` is an `nio.AsyncClient` whose sync loop runs in the background from the moment it
connects until `close()`. Every room message and every invite it receives is recorded, so a test
says what a person does (`create_dm`, `send_text`) and waits for what a person would see
(`wait_for_message`, `wait_for_invite`). Nothing is faked: every wait is on real /sync responses.

Encryption: a Human created with a `store_path` has its own device keys (nio with vodozemac),
kept in a SQLite store in that directory. That store together with the device id and access
token (see `Session`) is what lets it read encrypted messages again after a reconnect.

Trust is explicit, trust-on-first-use: `await alice.trust_devices(bot_id)` fetches the bot's
device keys now and marks every device it has as verified, as a person would after comparing
emoji. Call it again after the peer gets a new device. Humans never pass
`ignore_unverified_devices`, so once nio has learned of a device nobody trusted (its sync loop
queries keys when Synapse reports a changed device list), `send_text` raises
`nio.OlmUnverifiedDeviceError` rather than hiding the problem. Before nio has learned of it,
nio leaves that device out of the key sharing without a word, and it cannot read the message.

Every wait takes a `timeout` (default 10 s) rather than leaving it to `asyncio.timeout` around
the call, so that a test cannot hang and the TimeoutError can list what did arrive.

Humans use `max_limit_exceeded=0`: when Synapse answers 429, a request raises `RequestFailed`
at once instead of nio sleeping `retry_after_ms` and retrying forever (nio's default), so
throttling in a test is visible rather than merely slow.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from nio import (
    AsyncClient,
    AsyncClientConfig,
    EnableEncryptionBuilder,
    ErrorResponse,
    InviteMemberEvent,
    LoginResponse,
    MatrixRoom,
    MegolmEvent,
    Response,
    RoomMessage,
    RoomPreset,
    SyncResponse,
)
from nio.crypto import OlmDevice

from .synapse import RegisteredUser, Synapse

DEFAULT_TIMEOUT_S = 10.0
# How long the server may hold a /sync open. Long polling is what makes delivery prompt (Synapse
# answers as soon as an event arrives); this only bounds idle requests.
SYNC_LONG_POLL_MS = 30_000

T = TypeVar("T")
R = TypeVar("R")


class HumanError(RuntimeError):
    """A Human cannot do what the test asked: closed, not encrypted, or its sync loop died."""


class RequestFailed(HumanError):
    """Synapse refused a request. `response` is nio's error, e.g. a RoomSendError with
    `status_code == "M_LIMIT_EXCEEDED"` and `retry_after_ms`."""

    def __init__(self, action: str, response: ErrorResponse) -> None:
        super().__init__(f"{action} failed: {response}")
        self.response = response


@dataclass(frozen=True)
class Mentions:
    """The `m.mentions` of a message: whom it intentionally pings."""

    user_ids: frozenset[str]
    room: bool


@dataclass(frozen=True)
class ReceivedMessage:
    """One `m.room.message` as its recipient sees it, decrypted if it was encrypted.

    `mentions` is None when the message has no `m.mentions` at all, which clients treat
    differently from an empty one. `content` is the full content, for anything not lifted out.
    """

    room_id: str
    event_id: str
    sender: str
    msgtype: str
    body: str
    format: str | None
    formatted_body: str | None
    mentions: Mentions | None
    in_reply_to: str | None
    encrypted: bool
    content: Mapping[str, Any]

    @classmethod
    def from_event(cls, room_id: str, event: RoomMessage) -> ReceivedMessage:
        """Read the fields from the event's source, so nothing nio does not model is lost."""
        content: dict[str, Any] = event.source.get("content", {})
        raw_mentions = content.get("m.mentions")
        mentions = (
            Mentions(frozenset(raw_mentions.get("user_ids", ())), bool(raw_mentions.get("room")))
            if isinstance(raw_mentions, dict)
            else None
        )
        reply = (content.get("m.relates_to") or {}).get("m.in_reply_to") or {}
        return cls(
            room_id=room_id,
            event_id=event.event_id,
            sender=event.sender,
            msgtype=content.get("msgtype", ""),
            body=content.get("body", ""),
            format=content.get("format"),
            formatted_body=content.get("formatted_body"),
            mentions=mentions,
            in_reply_to=reply.get("event_id"),
            encrypted=event.decrypted,
            content=content,
        )


@dataclass(frozen=True)
class Invite:
    """An invitation this human received; `is_direct` marks a DM (set by the inviter)."""

    room_id: str
    inviter: str
    is_direct: bool


@dataclass(frozen=True)
class Session:
    """Everything needed to come back as the same device: pass it to `Human.connect`.

    `store_path` set means end-to-end encryption on, keys kept in that directory. `since` is the
    sync token to resume from; None syncs from scratch, which replays up to ten old events per
    room (they would be recorded, and matched by `wait_for_message`, again).
    """

    homeserver: str
    user_id: str
    device_id: str
    access_token: str
    store_path: Path | None = None
    since: str | None = None


class Human:
    """A person on Matrix: one nio client, its background sync loop, and what it received.

    Build one with `connect`, `from_registered` or `login` — each returns after the first sync
    and, if encrypted, after the device keys are uploaded — and always `close()` it. `client` is
    the nio client, for anything this class does not wrap.
    """

    def __init__(self, client: AsyncClient, store_path: Path | None, *, auto_join: bool) -> None:
        self.client = client
        self.store_path = store_path
        self.messages: list[ReceivedMessage] = []
        self.invites: list[Invite] = []
        self.undecryptable: list[MegolmEvent] = []
        self._auto_join = auto_join
        # ids of the messages and invites the waits returned; the lists keep them alive.
        self._returned: set[int] = set()
        self._synced = False
        self._changed = asyncio.Condition()
        self._sync_task: asyncio.Task[None] | None = None
        self._closed = False
        client.add_event_callback(self._on_message, (RoomMessage, MegolmEvent))
        client.add_event_callback(self._on_invite, InviteMemberEvent)
        client.add_response_callback(self._on_response, Response)

    # -- connecting ------------------------------------------------------------------------

    @classmethod
    async def connect(cls, session: Session, *, auto_join: bool = True) -> Human:
        """Use an existing device and access token, as a restarted client does.

        Resuming from `session.since` asks for the full room state on that first sync: nio keeps
        no room list in its store, and without the state `room_send` to a room that had no new
        events raises LocalProtocolError("No such room").
        """
        client = _new_client(session.homeserver, session.user_id, session.store_path)
        client.restore_login(session.user_id, session.device_id, session.access_token)
        human = cls(client, session.store_path, auto_join=auto_join)
        await human._start(session.since)
        return human

    @classmethod
    async def from_registered(
        cls,
        homeserver: str,
        user: RegisteredUser,
        *,
        store_path: Path | None = None,
        auto_join: bool = True,
    ) -> Human:
        """Connect with the device that Synapse created when `user` registered."""
        session = Session(homeserver, user.user_id, user.device_id, user.access_token, store_path)
        return await cls.connect(session, auto_join=auto_join)

    @classmethod
    async def login(
        cls,
        homeserver: str,
        user_id: str,
        password: str,
        *,
        store_path: Path | None = None,
        auto_join: bool = True,
    ) -> Human:
        """Log in with a password. This creates a new device each time, as logging in does."""
        client = _new_client(homeserver, user_id, store_path)
        response = await client.login(password, device_name="test human")
        if not isinstance(response, LoginResponse):
            await client.close()
            raise RequestFailed(f"login as {user_id}", response)
        human = cls(client, store_path, auto_join=auto_join)
        await human._start(since=None)
        return human

    @property
    def user_id(self) -> str:
        return str(self.client.user_id)

    @property
    def session(self) -> Session:
        """The device, token, store and sync position now — to reconnect after `close()`."""
        return Session(
            self.client.homeserver,
            self.user_id,
            self.client.device_id,
            self.client.access_token,
            self.store_path,
            self.client.next_batch or None,
        )

    async def close(self) -> None:
        """Stop syncing, then release the HTTP session and the key store. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._sync_task is not None:
            self._sync_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sync_task
        await self.client.close()
        if self.client.store is not None:
            self.client.store.database.close()

    # -- what a person does ----------------------------------------------------------------

    async def create_room(
        self,
        *,
        invite: Iterable[str] = (),
        name: str | None = None,
        encrypted: bool = False,
        is_direct: bool = False,
    ) -> str:
        """Create a private room and return its id once this client has synced it."""
        response = await self.client.room_create(
            name=name,
            invite=list(invite),
            is_direct=is_direct,
            # Element's presets: a DM makes the invitee an admin too.
            preset=RoomPreset.trusted_private_chat if is_direct else RoomPreset.private_chat,
            initial_state=[EnableEncryptionBuilder().as_dict()] if encrypted else [],
        )
        room_id = str(_ok(response, "create room").room_id)
        await self._wait_for_room(room_id)
        return room_id

    async def create_dm(self, peer: str, *, encrypted: bool = False) -> str:
        """Open a direct chat with `peer` as Element does: the invite carries `is_direct`,
        which is how the invitee (e.g. the bot) can tell that it is a DM."""
        return await self.create_room(invite=[peer], encrypted=encrypted, is_direct=True)

    async def invite(self, room_id: str, user_id: str) -> None:
        _ok(await self.client.room_invite(room_id, user_id), f"invite {user_id} to {room_id}")

    async def join(self, room_id: str) -> None:
        """Join, returning once this client's sync shows the room."""
        _ok(await self.client.join(room_id), f"join {room_id}")
        await self._wait_for_room(room_id)

    async def send_text(
        self,
        room_id: str,
        body: str,
        formatted_body: str | None = None,
        mentions: Sequence[str] | None = None,
        *,
        reply_to: str | None = None,
    ) -> str:
        """Send an `m.text` message (encrypted if the room is) and return its event id.

        `formatted_body` is HTML (`format: org.matrix.custom.html`); `mentions` becomes
        `m.mentions.user_ids`; `reply_to` is an event id for `m.relates_to.m.in_reply_to`.
        """
        content: dict[str, Any] = {"msgtype": "m.text", "body": body}
        if formatted_body is not None:
            content["format"] = "org.matrix.custom.html"
            content["formatted_body"] = formatted_body
        if mentions is not None:
            content["m.mentions"] = {"user_ids": list(mentions)}
        if reply_to is not None:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        response = await self.client.room_send(room_id, "m.room.message", content)
        return str(_ok(response, f"send to {room_id}").event_id)

    async def trust_devices(
        self,
        *user_ids: str,
        timeout: float = DEFAULT_TIMEOUT_S,  # noqa: ASYNC109 (see the module docstring)
    ) -> None:
        """Fetch the device keys of `user_ids` now and mark all their devices verified (TOFU).

        Waits until each user has at least one device: nio silently leaves users whose devices
        it does not know out of the key sharing, and the message is then unreadable to them.
        """
        olm = self.client.olm
        if olm is None:
            raise HumanError(f"{self.user_id} has no store_path, so nothing to trust with")
        olm.add_changed_users(set(user_ids))
        await self.client.keys_query()
        for user_id in user_ids:
            devices = await self._wait_until(
                functools.partial(self._known_devices, user_id), timeout, f"device keys of {user_id}"
            )
            for device in devices:
                self.client.verify_device(device)

    # -- what a person sees ----------------------------------------------------------------

    async def wait_for_message(
        self,
        room_id: str,
        predicate: Callable[[ReceivedMessage], bool] | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,  # noqa: ASYNC109 (see the module docstring)
    ) -> ReceivedMessage:
        """The first message in `room_id` from someone else that matches `predicate` and that no
        earlier call returned; waits for it if it has not arrived yet.

        Each message is returned at most once, so waiting twice for "a reply from the bot" gives
        the first reply, then the second. The human's own messages are never returned (they are
        in `messages`). On timeout the TimeoutError lists what did arrive.
        """
        return await self._wait_until(
            lambda: self._take(
                m
                for m in self.messages
                if m.room_id == room_id and m.sender != self.user_id and (predicate is None or predicate(m))
            ),
            timeout,
            f"a matching message in {room_id}",
        )

    async def wait_for_invite(
        self,
        predicate: Callable[[Invite], bool] | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,  # noqa: ASYNC109 (see the module docstring)
    ) -> Invite:
        """The first invite matching `predicate` that no earlier call returned (with auto_join,
        the human has already accepted it or is about to: use `wait_for_member` to be sure)."""
        return await self._wait_until(
            lambda: self._take(i for i in self.invites if predicate is None or predicate(i)),
            timeout,
            "a matching invite",
        )

    async def wait_for_member(
        self,
        room_id: str,
        user_id: str,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,  # noqa: ASYNC109 (see the module docstring)
    ) -> None:
        """Wait until this client has seen `user_id` join `room_id`; being invited is not enough."""

        def joined() -> bool | None:
            room = self.client.rooms.get(room_id)
            if room and user_id in room.users and user_id not in room.invited_users:
                return True
            return None

        await self._wait_until(joined, timeout, f"{user_id} joined to {room_id}")

    async def wait_for_state(
        self,
        room_id: str,
        predicate: Callable[[MatrixRoom], bool],
        *,
        timeout: float = DEFAULT_TIMEOUT_S,  # noqa: ASYNC109 (see the module docstring)
    ) -> None:
        """Wait until this client's view of `room_id` satisfies `predicate` (e.g. someone left)."""

        def holds() -> bool | None:
            room = self.client.rooms.get(room_id)
            return True if room is not None and predicate(room) else None

        await self._wait_until(holds, timeout, f"a state of {room_id}")

    # -- internals -------------------------------------------------------------------------

    async def _start(self, since: str | None) -> None:
        self._sync_task = asyncio.create_task(self._sync_loop(since))
        try:
            await self._wait_until(
                lambda: True if self._synced and not self.client.should_upload_keys else None,
                DEFAULT_TIMEOUT_S,
                "the first sync (and key upload)",
            )
        except BaseException:
            await self.close()
            raise

    async def _sync_loop(self, since: str | None) -> None:
        try:
            await self.client.sync_forever(timeout=SYNC_LONG_POLL_MS, since=since, full_state=True if since else None)
        finally:
            await self._notify()  # so waiters learn that syncing stopped

    async def _wait_for_room(self, room_id: str) -> None:
        await self._wait_until(
            lambda: True if room_id in self.client.rooms else None,
            DEFAULT_TIMEOUT_S,
            f"room {room_id} in sync",
        )

    def _known_devices(self, user_id: str) -> list[OlmDevice] | None:
        return list(self.client.device_store.active_user_devices(user_id)) or None

    def _take(self, candidates: Iterable[T]) -> T | None:
        """The first candidate not returned before, now marked as returned."""
        for candidate in candidates:
            if id(candidate) not in self._returned:
                self._returned.add(id(candidate))
                return candidate
        return None

    async def _wait_until(
        self,
        found: Callable[[], T | None],
        timeout: float,  # noqa: ASYNC109 (see the module docstring)
        what: str,
    ) -> T:
        """Re-check `found` after every sync response and message until it gives a value."""
        try:
            async with asyncio.timeout(timeout), self._changed:
                while (result := found()) is None:
                    self._check_syncing()
                    await self._changed.wait()
                return result
        except TimeoutError:
            raise TimeoutError(f"{self.user_id} waited {timeout:.1f} s for {what}. {self._received()}") from None

    def _check_syncing(self) -> None:
        task = self._sync_task
        if self._closed or task is None:
            raise HumanError(f"{self.user_id} is closed")
        if task.done():
            error = None if task.cancelled() else task.exception()
            raise HumanError(f"{self.user_id}'s sync loop stopped: {error!r}") from error

    def _received(self) -> str:
        lines = [
            f"  {m.room_id} {m.sender} {m.msgtype} {m.body[:80]!r}"
            + (" (returned before)" if id(m) in self._returned else "")
            for m in self.messages
        ]
        return (
            f"It received {len(self.messages)} messages, {len(self.invites)} invites and "
            f"{len(self.undecryptable)} undecryptable events:\n" + "\n".join(lines)
        )

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _on_message(self, room: MatrixRoom, event: RoomMessage | MegolmEvent) -> None:
        if isinstance(event, MegolmEvent):
            self.undecryptable.append(event)
        else:
            self.messages.append(ReceivedMessage.from_event(room.room_id, event))
        await self._notify()

    async def _on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key != self.user_id or event.membership != "invite":
            return
        self.invites.append(Invite(room.room_id, event.sender, bool(event.content.get("is_direct"))))
        if self._auto_join:
            _ok(await self.client.join(room.room_id), f"auto-join {room.room_id}")
        await self._notify()

    async def _on_response(self, response: Response) -> None:
        if isinstance(response, SyncResponse):
            self._synced = True
        await self._notify()


class HumanFactory:
    """Creates the humans of one test and closes them all at its end (the `make_human` fixture).

    `await make_human("alice")` registers a new user — the name gets a serial number, so tests
    never share users — and returns a connected Human. `encrypted=True` gives it a key store
    under the test's tmp dir.
    """

    _serial: ClassVar[itertools.count[int]] = itertools.count(1)

    def __init__(self, synapse: Synapse, directory: Path) -> None:
        self._synapse = synapse
        self._directory = directory
        self._humans: list[Human] = []
        self._passwords: dict[str, str] = {}

    async def __call__(self, name: str = "human", *, encrypted: bool = False, auto_join: bool = True) -> Human:
        user = await self._synapse.register(f"{name}-{next(self._serial)}")
        self._passwords[user.user_id] = user.password
        human = await Human.from_registered(
            self._synapse.base_url,
            user,
            store_path=self._store_path(user.user_id) if encrypted else None,
            auto_join=auto_join,
        )
        return self._track(human)

    async def reconnect(self, human: Human, *, auto_join: bool = True) -> Human:
        """Close `human` and connect again as the same device, with the same store and sync
        position — what a restarted client does."""
        session = human.session
        await human.close()
        return self._track(await Human.connect(session, auto_join=auto_join))

    async def new_device(self, human: Human, *, auto_join: bool = True) -> Human:
        """Log the same person in again with their password: a second device (their phone),
        encrypted if `human` is, with its own store. `human` stays connected."""
        encrypted = human.store_path is not None
        again = await Human.login(
            self._synapse.base_url,
            human.user_id,
            self._passwords[human.user_id],
            store_path=self._store_path(human.user_id) if encrypted else None,
            auto_join=auto_join,
        )
        return self._track(again)

    async def close_all(self) -> None:
        """Close in reverse order of creation; humans already closed are skipped."""
        for human in reversed(self._humans):
            await human.close()

    def _track(self, human: Human) -> Human:
        self._humans.append(human)
        return human

    def _store_path(self, user_id: str) -> Path:
        localpart = user_id[1:].split(":", 1)[0]
        return self._directory / f"store-{localpart}-{next(self._serial)}"


def _new_client(homeserver: str, user_id: str, store_path: Path | None) -> AsyncClient:
    config = AsyncClientConfig(encryption_enabled=store_path is not None, max_limit_exceeded=0)
    if store_path is not None:
        store_path.mkdir(parents=True, exist_ok=True)
    return AsyncClient(homeserver, user_id, store_path=str(store_path) if store_path else "", config=config)


def _ok(response: R | ErrorResponse, action: str) -> R:
    """The response if it is a success; RequestFailed carrying nio's error otherwise."""
    if isinstance(response, ErrorResponse):
        raise RequestFailed(action, response)
    return response
