"""Outbox → adapters, exactly once as far as the receiving side can tell.

Rows are sent oldest-due first. Each send carries the row's key as the platform's idempotency
key, and the row is marked sent only after the platform accepted it; a crash in between means
the row is sent again on restart with the same key, and the platform drops the duplicate.
Failures are retried with exponential backoff and parked after `nudges.max_attempts` tries
(logged, and visible to admins).
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from bot.adapters.base import Adapter, DeliveryFailed
from bot.clock import Clock, to_ts
from bot.config import Config
from bot.core.messages import Button, Delivery, Outgoing
from bot.core.text import Rich, from_json, mentioned
from bot.storage import outbox
from bot.storage import people as people_store
from bot.storage.db import Database, Tx
from bot.storage.outbox import OutboxRow

log = logging.getLogger(__name__)

BATCH = 100
BACKOFF_BASE = 30
BACKOFF_CAP = 6 * 3600


def decode_body(body: str) -> tuple[Rich, tuple[Button, ...]]:
    data = json.loads(body)
    buttons = tuple(Button(label, command, style) for label, command, style in data.get("buttons", []))
    return from_json(data["text"]), buttons


def backoff(attempts: int) -> int:
    """Seconds to wait before the next try: 30 s, 1 min, 2 min … capped at 6 h."""
    return int(min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP))


class Deliverer:
    """Sends what is due from the outbox through the adapters."""

    def __init__(self, db: Database, clock: Clock, config: Config) -> None:
        self.db = db
        self.clock = clock
        self.config = config
        self.adapters: dict[str, Adapter] = {}

    def attach(self, adapter: Adapter) -> None:
        self.adapters[adapter.platform] = adapter

    async def deliver_due(self) -> int:
        """Send everything due now; returns how many messages went out."""
        sent = 0
        while True:
            now = to_ts(self.clock.now())
            async with self.db.transaction() as tx:
                rows = await outbox.due(tx, now, BATCH)
                pending = [row.id for row in rows if row.status == "pending"]
                if pending:
                    await outbox.mark(tx, pending, "sending", now)
            if not rows:
                return sent
            for row in rows:
                sent += await self._deliver(row)
            if len(rows) < BATCH:
                return sent

    async def next_due(self) -> int | None:
        async with self.db.reading() as tx:
            return await outbox.next_due_at(tx)

    async def _deliver(self, row: OutboxRow) -> int:
        async with self.db.reading() as tx:
            delivery = await self._delivery(tx, row)
        if isinstance(delivery, str):
            await self._failed(row, DeliveryFailed(delivery))
            return 0
        adapter = self.adapters[delivery.platform]
        try:
            await adapter.deliver(delivery)
        except DeliveryFailed as failure:
            await self._failed(row, failure)
            return 0
        except Exception as error:  # an adapter bug must not stop the other deliveries
            log.exception("delivery of outbox row %d raised", row.id)
            await self._failed(row, DeliveryFailed(type(error).__name__))
            return 0
        async with self.db.transaction() as tx:
            await outbox.mark(tx, [row.id], "sent", to_ts(self.clock.now()))
        log.info("delivered outbox row=%d kind=%s platform=%s", row.id, row.kind, delivery.platform)
        return 1

    async def _delivery(self, tx: Tx, row: OutboxRow) -> Delivery | str:
        """The message with its destination, or why it has none right now."""
        text, buttons = decode_body(row.body)
        if row.channel is not None:
            platform, _, channel_id = row.channel.partition(":")
            if platform not in self.adapters:
                return f"no {platform} adapter running"
            mentions = await people_store.identities_on(tx, platform, sorted(mentioned(text)))
            return Delivery(
                row.key, platform, None, channel_id, Outgoing(text, False, buttons, None, mentions)
            )
        assert row.person_id is not None
        for identity in await people_store.identities(tx, row.person_id):
            if identity.platform in self.adapters:
                mentions = await people_store.identities_on(tx, identity.platform, sorted(mentioned(text)))
                return Delivery(
                    row.key,
                    identity.platform,
                    identity.user_id,
                    None,
                    Outgoing(text, True, buttons, None, mentions),
                )
        return "no account on a connected platform"

    async def _failed(self, row: OutboxRow, failure: DeliveryFailed) -> None:
        now = self.clock.now()
        if failure.retry_after is not None and not failure.permanent:
            # A rate limit: the platform said when; waiting is not a failed attempt.
            async with self.db.transaction() as tx:
                await outbox.defer(tx, [row.id], to_ts(now + timedelta(seconds=max(failure.retry_after, 1))))
            log.info("rate limited on outbox row=%d, retrying in %.1fs", row.id, failure.retry_after)
            return
        attempts = row.attempts + 1
        park = failure.permanent or attempts >= self.config.nudges.max_attempts
        wait = failure.retry_after if failure.retry_after is not None else backoff(attempts)
        retry_at = to_ts(now + timedelta(seconds=max(wait, 1)))
        async with self.db.transaction() as tx:
            await outbox.failed(tx, [row.id], failure.reason, retry_at, park)
        if park:
            log.warning(
                "parked outbox row=%d kind=%s after %d tries: %s", row.id, row.kind, attempts, failure.reason
            )
        else:
            log.info("delivery of outbox row=%d failed (try %d), retrying later", row.id, attempts)
