"""A platform connection's lease on PostgreSQL (`PostgresDatabase.lease`): a session advisory
lock, so it ends with the holder's connection (`docs/postgres.md`)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, Protocol

import asyncpg

from bot.storage.targets import DatabaseUnavailable

HEARTBEAT_TIMEOUT = 5.0


class Session(Protocol):
    """What a lease uses of its `PostgresDatabase`: a query on the connection holding its locks."""

    async def _on_session(self, query: str, *args: object) -> Any: ...


class SessionLease:
    """A platform connection's lease: a session advisory lock on the session connection. It is
    renewed by a heartbeat; it ends when the process (so its connection) dies, or when the server
    stops hearing from the connection."""

    def __init__(self, db: Session, space: int, key: int) -> None:
        self._db = db
        self._space = space
        self._key = key
        self._held = False

    async def acquire(self) -> bool:
        self._held = bool(await self._db._on_session("SELECT pg_try_advisory_lock($1, $2)", self._space, self._key))
        return self._held

    async def still_held(self) -> bool:
        if not self._held:
            return False
        try:
            async with asyncio.timeout(HEARTBEAT_TIMEOUT):
                held = await self._db._on_session(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                    " AND classid = $1 AND objid = $2 AND granted)",
                    self._space,
                    self._key % 2**32,
                )
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError, DatabaseUnavailable):
            held = False
        self._held = bool(held)
        return self._held

    async def release(self) -> None:
        if self._held:
            self._held = False
            with contextlib.suppress(asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                await self._db._on_session("SELECT pg_advisory_unlock($1, $2)", self._space, self._key)
