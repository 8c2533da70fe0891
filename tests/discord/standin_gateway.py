"""The stand-in's gateway: the websocket a discord.py client keeps open for events.

It speaks JSON text frames only. discord.py asks for zlib compression in the URL but inflates only
binary frames, so plain text is understood. Each IDENTIFY opens a *session* with its own sequence
numbers and a log of every dispatch; when the connection drops (op 7, op 9 resumable, an abrupt
close) the session keeps collecting dispatches, and a RESUME replays everything after the client's
last sequence number, exactly as Discord does. An IDENTIFY asking for a privileged intent
(members, presences, message content) the application has not enabled is closed with 4014.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .standin_clock import Changes
from .standin_errors import JSON
from .standin_model import Intent, World
from .standin_payloads import guild_payload, member_payload, user_payload

_log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_MS = 41_250


class Op:
    DISPATCH = 0
    HEARTBEAT = 1
    IDENTIFY = 2
    PRESENCE_UPDATE = 3
    VOICE_STATE_UPDATE = 4
    RESUME = 6
    RECONNECT = 7
    REQUEST_GUILD_MEMBERS = 8
    INVALID_SESSION = 9
    HELLO = 10
    HEARTBEAT_ACK = 11


class Close:
    UNKNOWN_ERROR = 4000
    UNKNOWN_OPCODE = 4001
    DECODE_ERROR = 4002
    NOT_AUTHENTICATED = 4003
    AUTHENTICATION_FAILED = 4004
    DISALLOWED_INTENTS = 4014


@dataclass(frozen=True)
class GatewayFrame:
    """A frame a client sent, with the URL path of the connection it came on."""

    op: int
    d: Any
    path: str


@dataclass(frozen=True)
class Dispatch:
    seq: int
    event: str
    data: JSON


@dataclass
class GatewaySession:
    """One IDENTIFYed session. ``ws`` is None while the client is away (it may RESUME)."""

    session_id: str
    intents: int
    log: list[Dispatch] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None
    transport: asyncio.BaseTransport | None = None
    ended: bool = False
    ready_sent: bool = False  # READY and every GUILD_CREATE have been sent
    resumes: int = 0
    replay_extra: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def has(self, intent: int) -> bool:
        return bool(self.intents & intent)

    @property
    def last_seq(self) -> int:
        return self.log[-1].seq if self.log else 0


#: Turns a session into the payload it should get, or None if it must not get the event.
Render = Callable[[GatewaySession], JSON | None]


class Gateway:
    """Accepts websocket connections and delivers dispatches to every session still alive."""

    def __init__(self, world: World, changes: Changes, errors: list[str]) -> None:
        self._world = world
        self._changes = changes
        self._errors = errors
        self._session_numbers = itertools.count(1)
        self.sessions: list[GatewaySession] = []
        self.frames: list[GatewayFrame] = []
        self.resume_url = ""
        #: While set and not yet released, a RESUME waits: the connection stays down (an outage).
        self.resumes_held: asyncio.Event | None = None

    # --- the websocket ----------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await _send(ws, Op.HELLO, {"heartbeat_interval": HEARTBEAT_INTERVAL_MS})
        session: GatewaySession | None = None
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                if message.type is WSMsgType.BINARY:
                    self._errors.append("gateway: a client sent a binary frame; Discord expects JSON text")
                break
            try:
                frame = json.loads(message.data)
                op, data = int(frame["op"]), frame.get("d")
            except (ValueError, KeyError, TypeError):
                self._errors.append(f"gateway: undecodable frame {message.data!r}")
                await ws.close(code=Close.DECODE_ERROR)
                break
            self.frames.append(GatewayFrame(op=op, d=data, path=request.path))
            self._changes.notify()
            try:
                session = await self._answer(ws, request, session, op, data)
            except Exception:
                self._errors.append(f"gateway: op {op} crashed:\n{traceback.format_exc()}")
                await ws.close(code=Close.UNKNOWN_ERROR)
                break
        if session is not None and session.ws is ws:
            session.ws = session.transport = None
            # A client that closes with 1000/1001 ends its session, as on Discord.
            session.ended = session.ended or ws.close_code in (1000, 1001)
            self._changes.notify()
        return ws

    async def _answer(
        self,
        ws: web.WebSocketResponse,
        request: web.Request,
        session: GatewaySession | None,
        op: int,
        data: Any,
    ) -> GatewaySession | None:
        """Act on one client frame; return the connection's session (new after IDENTIFY/RESUME)."""
        if op == Op.HEARTBEAT:
            await _send(ws, Op.HEARTBEAT_ACK, None)
        elif op == Op.IDENTIFY:
            return await self._identify(ws, request, data)
        elif op == Op.RESUME:
            return await self._resume(ws, request, data)
        elif op in (Op.PRESENCE_UPDATE, Op.VOICE_STATE_UPDATE):
            pass  # accepted and recorded in ``frames``; nothing in the model depends on them
        elif op == Op.REQUEST_GUILD_MEMBERS and session is not None:
            await self._send_member_chunk(session, data)
        elif op == Op.REQUEST_GUILD_MEMBERS:
            await ws.close(code=Close.NOT_AUTHENTICATED)
        else:
            self._errors.append(f"gateway: unknown opcode {op}")
            await ws.close(code=Close.UNKNOWN_OPCODE)
        return session

    async def _identify(self, ws: web.WebSocketResponse, request: web.Request, data: JSON) -> GatewaySession | None:
        if data.get("token") != self._world.token:
            await ws.close(code=Close.AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return None
        intents = int(data.get("intents", 0))
        if intents & Intent.PRIVILEGED & ~self._world.privileged_intents:
            # A privileged intent the application has not enabled in the developer portal;
            # discord.py raises PrivilegedIntentsRequired from connect().
            await ws.close(code=Close.DISALLOWED_INTENTS, message=b"Disallowed intent(s).")
            return None
        session = GatewaySession(
            session_id=f"standin-session-{next(self._session_numbers)}",
            intents=intents,
            ws=ws,
            transport=request.transport,
        )
        self.sessions.append(session)
        world = self._world
        ready = {
            "v": 10,
            "user": {**user_payload(world.bot), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g), "unavailable": True} for g in world.guilds],
            "session_id": session.session_id,
            "resume_gateway_url": self.resume_url,
            "application": {"id": str(world.application_id), "flags": world.application_flags()},
            "private_channels": [],
            "relationships": [],
            **({"shard": data["shard"]} if "shard" in data else {}),
        }
        await self._deliver(session, "READY", ready)
        if session.has(Intent.GUILDS):
            all_members = session.has(Intent.GUILD_PRESENCES)
            for guild in world.guilds.values():
                await self._deliver(session, "GUILD_CREATE", guild_payload(world, guild, all_members=all_members))
        session.ready_sent = True
        self._changes.notify()
        return session

    async def _resume(self, ws: web.WebSocketResponse, request: web.Request, data: JSON) -> GatewaySession | None:
        session = next(
            (s for s in self.sessions if s.session_id == data.get("session_id") and not s.ended),
            None,
        )
        if session is None or data.get("token") != self._world.token:
            await _send(ws, Op.INVALID_SESSION, False)
            return None
        if self.resumes_held is not None:
            await self.resumes_held.wait()
        async with session.lock:
            if session.ws is not None and session.ws is not ws:
                await session.ws.close()
            session.ws, session.transport = ws, request.transport
            after = int(data.get("seq") or 0) - session.replay_extra
            session.replay_extra = 0
            for dispatch in session.log:
                if dispatch.seq > after:
                    await _send(ws, Op.DISPATCH, dispatch.data, seq=dispatch.seq, event=dispatch.event)
        await self._deliver(session, "RESUMED", None)
        session.resumes += 1
        self._changes.notify()
        return session

    async def _send_member_chunk(self, session: GatewaySession, data: JSON) -> None:
        guild = self._world.guilds.get(int(data["guild_id"]))
        if guild is None:
            return
        wanted_ids = [int(i) for i in data.get("user_ids") or []]
        query = str(data.get("query") or "").lower()
        limit = int(data.get("limit") or 0)
        members = [
            m
            for m in guild.members.values()
            if (m.user_id in wanted_ids if wanted_ids else True)
            and self._world.users[m.user_id].username.lower().startswith(query)
        ]
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": [member_payload(self._world, m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(i) for i in wanted_ids if i not in guild.members],
        }
        if "nonce" in data:
            chunk["nonce"] = data["nonce"]
        await self._deliver(session, "GUILD_MEMBERS_CHUNK", chunk)

    # --- dispatching ------------------------------------------------------------------------

    async def dispatch(self, event: str, render: Render) -> None:
        """Deliver ``event`` to every session that has not ended (buffered while one is away)."""
        for session in self.sessions:
            if not session.ended and (data := render(session)) is not None:
                await self._deliver(session, event, data)

    def has_live_session(self) -> bool:
        return any(not s.ended for s in self.sessions)

    async def _deliver(self, session: GatewaySession, event: str, data: JSON | None) -> None:
        async with session.lock:
            dispatch = Dispatch(seq=session.last_seq + 1, event=event, data=data or {})
            session.log.append(dispatch)
            if session.ws is not None:
                try:
                    await _send(session.ws, Op.DISPATCH, dispatch.data, seq=dispatch.seq, event=event)
                except ConnectionResetError:
                    _log.debug("session %s went away while sending %s", session.session_id, event)
        self._changes.notify()

    # --- faults -----------------------------------------------------------------------------

    def connected_session(self) -> GatewaySession:
        """The one session with a live connection (faults need an unambiguous target)."""
        connected = [s for s in self.sessions if s.ws is not None]
        if len(connected) != 1:
            raise AssertionError(f"expected one connected gateway session, found {len(connected)}")
        return connected[0]

    async def send_op(self, session: GatewaySession, op: int, data: Any) -> None:
        assert session.ws is not None
        await _send(session.ws, op, data)


async def _send(
    ws: web.WebSocketResponse, op: int, data: Any, *, seq: int | None = None, event: str | None = None
) -> None:
    await ws.send_str(json.dumps({"op": op, "d": data, "s": seq, "t": event}))
