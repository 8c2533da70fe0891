"""Where syncing resumes: the Matrix sync token, stored behind the replies instead of in front
of the next batch, and the events a `limited` sync left out, fetched back to it. And when the
next sync starts (`SyncPace`).

The token says where the next start resumes; storing it is a write transaction, and the writer
may be busy for seconds (a backlog's bookkeeping, a sweep). Awaited in the worker, that write
held up every command of the next sync batch, however fast the command itself. So the worker
only notes each handled batch's token here, and one background task stores the newest one.

Nothing lost, nothing twice, across a SIGKILL at any moment: a token is noted only once its whole
batch was handled and answered, so the stored token never runs ahead of what was answered; it
may lag behind, and then the next start gets those events again and the dispatcher ignores them
as redeliveries (a command that writes records its event with its effects; a look's record
follows within `WriteBehind`'s moment, as before) — exactly as when the bot died between a reply
and the token's write before. While a write is under way, newer tokens wait and only the newest
is written next (one write, not one per batch). For the same reason its write does not wait for
the disk (a `bookkeeping` transaction): a power cut may lose the last tokens, never one without
the commands before it (the log is written in order), and a lost token is only a lag. Waiting,
the bot synced after every command and every reply of its own, each time an `fsync` on the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from nio import AsyncClient, MessageDirection, RoomMessagesResponse

from bot.storage.state import AdapterState

log = logging.getLogger(__name__)

KEY = "next_batch"
BACKFILL_PAGES = 50
#: The longest the next sync waits for a batch to be answered (a slow command, a rate limit).
HOLD_S = 0.5


class SyncToken:
    """Where the next start resumes syncing, written in the background (see the module docstring)."""

    def __init__(self, memory: AdapterState) -> None:
        self._memory = memory
        self._newest: str | None = None
        self._stored: str | None = None
        self._task: asyncio.Task[None] | None = None

    async def load(self) -> str | None:
        """The stored token (None on the very first run)."""
        self._stored = self._newest = await self._memory.get(KEY)
        return self._stored

    def handled(self, token: str) -> None:
        """Every event of the batch that ends at `token` was handled: store it soon."""
        self._newest = token
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._store(), name="matrix-sync-token")

    async def flush(self) -> None:
        """Wait until the newest handled token is stored (a graceful stop)."""
        if self._task is not None:
            await self._task
        await self._store()  # in case the last write failed

    async def _store(self) -> None:
        while self._newest is not None and self._newest != self._stored:
            token = self._newest
            try:
                await self._memory.put(KEY, token, bookkeeping=True)  # a lag is safe (above)
            except Exception:  # the next batch tries again; until then a restart redelivers
                log.exception("could not store the Matrix sync token")
                return
            self._stored = token


class SyncPace:
    """The next sync starts once the worker has answered the batches it was given.

    The homeserver answers a waiting `/sync` whenever anything changes in the bot's rooms, the
    bot's own replies included. A sync started as soon as the last one returned was being
    answered while the replies went out: the homeserver built the bot's sync in the middle of
    storing the replies and building the person's, and the person saw the answer later (on
    Synapse, `help` took 1.16× a bare echo bot's round trip, 1.05–1.13× with this).

    Holding the sync costs little: the worker takes batches one at a time, and events that
    arrive meanwhile are in the next sync, which the homeserver answers at once. Two things end
    the hold early: `HOLD_S` (a slow command or a rate-limited reply does not stop the bot
    reading), and a reply that waits for something only a sync brings (`needed`: a direct chat
    it just created, which nio must see before it posts there).
    """

    def __init__(self, batches: asyncio.Queue[Any]) -> None:
        self._batches = batches
        self._needed = asyncio.Event()
        self._waiting = 0

    @contextlib.contextmanager
    def needed(self) -> Iterator[None]:
        """While a reply waits for a sync, syncs follow each other without a hold."""
        self._waiting += 1
        self._needed.set()
        try:
            yield
        finally:
            self._waiting -= 1
            if not self._waiting:
                self._needed.clear()

    async def hold(self) -> None:
        """Return once every batch handed over is answered, a sync is needed, or after `HOLD_S`."""
        if self._needed.is_set():
            return
        answered = asyncio.ensure_future(self._batches.join())
        needed = asyncio.ensure_future(self._needed.wait())
        try:
            await asyncio.wait((answered, needed), timeout=HOLD_S, return_when=asyncio.FIRST_COMPLETED)
        finally:
            answered.cancel()
            needed.cancel()


async def backfill(client: AsyncClient, room_id: str, start: str, since: str) -> list[Any]:
    """Events between the stored token and the start of a `limited` timeline, oldest first."""
    events: list[Any] = []
    for _ in range(BACKFILL_PAGES):
        page = await client.room_messages(room_id, start=start, end=since, direction=MessageDirection.back, limit=100)
        if not isinstance(page, RoomMessagesResponse):
            log.warning("could not fetch missed messages in %s: %s", room_id, page)
            break
        events.extend(page.chunk)
        if not page.chunk or not page.end or page.end == start:
            break
        start = page.end
    else:
        log.warning("more missed messages in %s than fetched; the oldest are skipped", room_id)
    log.info("fetched %d earlier events in %s that the sync left out", len(events), room_id)
    return events[::-1]
