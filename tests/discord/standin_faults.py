"""What goes wrong on Discord, on demand: injected REST faults, rate limits, time passing, and
gateway trouble (op 7, op 9, a dropped connection). Mixed into :class:`~.standin.DiscordStandin`.
"""

# ruff: noqa: ASYNC109 -- waits take a ``timeout`` so that, on expiry, they fail with what they
# were waiting for; a caller's ``asyncio.timeout`` could only raise a bare TimeoutError.

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from .standin_clock import Changes
from .standin_gateway import Gateway, GatewaySession, Op
from .standin_limits import Fault
from .standin_model import World
from .standin_rest import MESSAGES_BUCKET, RestApi
from .standin_transcript import PathPattern, compile_path


class Faults:
    """Fault helpers; they act on the parts :class:`~.standin.DiscordStandin` builds."""

    world: World
    _changes: Changes
    _gateway: Gateway
    _rest: RestApi

    # --- REST -----------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        path: PathPattern,
        status: int = 429,
        *,
        times: int = 1,
        retry_after: float = 0.05,
        is_global: bool = False,
        lose_response: bool = False,
        via: bool = True,
        code: int = 0,
        message: str | None = None,
    ) -> Fault:
        """Answer the next ``times`` requests matching ``method`` and ``path`` with ``status``.

        A 429 is Discord's own: ``Via: 1.1 google``, ``Retry-After``, a JSON ``retry_after`` and
        ``global`` (with ``is_global``, ``X-RateLimit-Global: true``), and the route's rate-limit
        headers, so discord.py waits and retries. With ``via=False`` it is Cloudflare's instead
        (no ``Via``, a plain-text body): discord.py raises ``HTTPException`` (status 429) at once,
        without waiting or retrying. discord.py retries 500/502/504/524 after sleeping 1 s, 3 s, …
        (the webhook adapter, used for interaction answers, retries every 5xx); other 5xx raise
        ``DiscordServerError`` at once. Other statuses carry ``code`` and ``message`` (Discord's
        generic ``"403: Forbidden"``, code 0, by default). With ``lose_response`` the request takes
        effect and only its answer is replaced. ``fault.hits`` lists the requests it answered.
        """
        fault = Fault(
            method=method,
            pattern=compile_path(path),
            status=status,
            times=times,
            retry_after=retry_after,
            is_global=is_global,
            lose_response=lose_response,
            via=via,
            code=code,
            message=message,
        )
        self._rest.faults.append(fault)
        return fault

    def set_rate_limit(self, limit: int, per_seconds: float, route: str | None = None) -> None:
        """Resize the rate-limit bucket of ``route`` (``"POST /channels/{channel_id}/messages"``,
        as the stand-in names its routes), or with ``route=None`` every bucket not resized on its
        own (default: 50 per second). Buckets count per channel, guild or webhook token; a client
        that honours the ``X-RateLimit-*`` headers waits instead of getting a 429."""
        bucket = None if route is None else self._rest.route_named(route).bucket
        self._rest.rate_limits.set(limit, per_seconds, bucket)

    def set_message_rate_limit(self, limit: int, per_seconds: float) -> None:
        """The per-channel message bucket (Discord's own is 5 per 5 s; 50 per second here)."""
        self._rest.rate_limits.set(limit, per_seconds, MESSAGES_BUCKET)

    def set_global_rate_limit(self, limit: int, per_seconds: float) -> None:
        """Discord's global limit across every bot route (50 per second there; off by default).
        It is not announced in headers; requests over it get a global 429."""
        bucket = self._rest.global_rate_limit
        bucket.limit, bucket.per_seconds = limit, per_seconds

    @property
    def rate_limited(self) -> dict[str, int]:
        """Requests refused with a 429 by a bucket (not by ``fail_next``): ``"global"``, and each
        route bucket that refused any, by its ``X-RateLimit-Bucket`` name."""
        return {"global": self._rest.global_rate_limit.refused, **self._rest.rate_limits.refused}

    # --- time -----------------------------------------------------------------------------------

    def advance(self, seconds: float) -> None:
        """Move the stand-in's clock forward: interaction deadlines and token lifetimes, rate-limit
        windows and the nonce window all see the time pass at once. discord.py's own clock (and
        the bot's) is not touched."""
        self.world.clock.advance(seconds)
        self._changes.notify()

    # --- the gateway ----------------------------------------------------------------------------

    async def reconnect(self, *, replay_last: int = 0, timeout: float = 5.0) -> None:
        """Send op 7 RECONNECT and return once the client has RESUMEd.

        With ``replay_last=k`` the resume also replays the last k dispatches the client had
        already received, so it sees those events twice (a redelivery).
        """
        session = self._gateway.connected_session()
        session.replay_extra = replay_last
        await self._resume_after(session, Op.RECONNECT, None, timeout)

    async def invalidate_session(self, *, resumable: bool, timeout: float = 5.0) -> None:
        """Send op 9 INVALID_SESSION. Resumable: return once the client RESUMEd. Otherwise the
        session ends and this returns once the client IDENTIFYed again and got READY and its
        guilds (discord.py then waits ``before_identify_hook``: 5 s unless the fixture's patch
        is in place)."""
        session = self._gateway.connected_session()
        if resumable:
            await self._resume_after(session, Op.INVALID_SESSION, True, timeout)
            return
        count = len(self._gateway.sessions)
        session.ended = True
        await self._gateway.send_op(session, Op.INVALID_SESSION, False)
        await self._changes.wait_until(
            lambda: len(self._gateway.sessions) > count and self._gateway.sessions[-1].ready_sent,
            timeout=timeout,
            what="a new IDENTIFY after op 9",
        )

    async def drop_connection(self, *, timeout: float = 5.0) -> None:
        """Close the gateway's TCP connection without a close frame; return once the client
        RESUMEd."""
        session = self._gateway.connected_session()
        before = session.resumes
        assert session.transport is not None
        session.transport.close()
        await self._wait_resumed(session, before, timeout)

    @contextlib.asynccontextmanager
    async def outage(self, *, timeout: float = 5.0) -> AsyncIterator[None]:
        """The gateway connection is down for the ``async with`` block: the TCP connection is
        closed, the client's RESUME is held back, and what happens meanwhile (a person's command)
        is kept for the replay. On leaving the block the RESUME goes through; it returns once the
        client RESUMEd. Use :meth:`advance` inside to make the outage outlast a deadline."""
        session = self._gateway.connected_session()
        before = session.resumes
        held = self._gateway.resumes_held = asyncio.Event()
        try:
            assert session.transport is not None
            session.transport.close()
            await self._changes.wait_until(lambda: session.ws is None, timeout=timeout, what="the connection to drop")
            yield
        finally:
            held.set()
            self._gateway.resumes_held = None
        await self._wait_resumed(session, before, timeout)

    async def _resume_after(self, session: GatewaySession, op: int, data: Any, timeout: float) -> None:
        before = session.resumes
        await self._gateway.send_op(session, op, data)
        await self._wait_resumed(session, before, timeout)

    async def _wait_resumed(self, session: GatewaySession, before: int, timeout: float) -> None:
        await self._changes.wait_until(lambda: session.resumes > before, timeout=timeout, what="the client to RESUME")
