"""Platform events already handled, so that a redelivered event is not run twice.

A command records its event id in its own transaction (`people.claim_event_and_find`); here the
ids are forgotten once no platform would deliver them again.
"""

from __future__ import annotations

from bot.storage.db import Tx


async def prune(tx: Tx, before: int) -> int:
    """Forget events older than any platform would redeliver."""
    return await tx.execute("DELETE FROM processed_events WHERE processed_at < :t", {"t": before})
