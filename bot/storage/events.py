"""Platform events already handled, so that a redelivered event is not run twice."""

from __future__ import annotations

from bot.storage.db import Tx


async def claim(tx: Tx, platform: str, event_id: str, now: int) -> bool:
    """Mark the event handled; False if it already was (a redelivery)."""
    changed = await tx.execute(
        "INSERT OR IGNORE INTO processed_events (platform, event_id, processed_at) VALUES (:p, :e, :now)",
        {"p": platform, "e": event_id, "now": now},
    )
    return changed > 0


async def seen(tx: Tx, platform: str, event_id: str) -> bool:
    return (
        await tx.value(
            "SELECT 1 FROM processed_events WHERE platform = :p AND event_id = :e",
            {"p": platform, "e": event_id},
        )
        is not None
    )


async def prune(tx: Tx, before: int) -> int:
    """Forget events older than any platform would redeliver."""
    return await tx.execute("DELETE FROM processed_events WHERE processed_at < :t", {"t": before})
