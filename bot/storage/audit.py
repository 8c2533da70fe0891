"""The record of privileged actions: who did what, to what, when (read by `audit`)."""

from __future__ import annotations

from bot.ids import PersonId
from bot.storage.db import Tx


async def record(tx: Tx, actor_id: PersonId | None, action: str, subject: str, detail: str, now: int) -> None:
    tx.later(
        "INSERT INTO audit (at, actor_id, action, subject, detail) VALUES (:at, :a, :act, :s, :d)",
        {"at": now, "a": actor_id, "act": action, "s": subject, "d": detail},
    )
