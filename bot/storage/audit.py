"""The record of privileged actions: who did what, to what, when."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.text import PersonId
from bot.storage.db import Tx


@dataclass(frozen=True)
class Entry:
    at: int
    actor: str | None
    action: str
    subject: str
    detail: str


async def record(tx: Tx, actor_id: PersonId | None, action: str, subject: str, detail: str, now: int) -> None:
    tx.later(
        "INSERT INTO audit (at, actor_id, action, subject, detail) VALUES (:at, :a, :act, :s, :d)",
        {"at": now, "a": actor_id, "act": action, "s": subject, "d": detail},
    )


async def recent(tx: Tx, limit: int) -> list[Entry]:
    rows = await tx.all(
        "SELECT a.*, p.display_name AS actor FROM audit a LEFT JOIN people p ON p.id = a.actor_id"
        " ORDER BY a.id DESC LIMIT :n",
        {"n": limit},
    )
    return [Entry(row["at"], row["actor"], row["action"], row["subject"], row["detail"]) for row in rows]
