"""The queries behind reminders: which claims and asks need one now, and when the next does.

Each query is a range scan on an indexed "next reminder" column, so its cost follows what is
due, not how much is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.text import PersonId
from bot.storage.db import Row, Tx


@dataclass(frozen=True)
class ClaimDue:
    """An active claim and its ask, with the claimant."""

    claim_id: int
    ask_id: int
    title: str
    person_id: PersonId | None
    last_activity_at: int
    due_at: int | None
    next_nudge_at: int | None


def _claim_due(row: Row) -> ClaimDue:
    return ClaimDue(
        row["id"], row["ask_id"], row["title"], row["person_id"], row["last_activity_at"], row["due_at"],
        row["next_nudge_at"],
    )  # fmt: skip


async def stale_claims(tx: Tx, now: int, limit: int) -> list[ClaimDue]:
    rows = await tx.all(
        """
        SELECT c.id, c.ask_id, a.title, c.person_id, c.last_activity_at, a.due_at, c.next_nudge_at
        FROM claims c JOIN asks a ON a.id = c.ask_id
        WHERE c.status = 'active' AND c.next_nudge_at <= :now
        ORDER BY c.next_nudge_at LIMIT :n
        """,
        {"now": now, "n": limit},
    )
    return [_claim_due(row) for row in rows]


async def set_next_nudge(tx: Tx, claim_id: int, at: int | None) -> None:
    tx.later("UPDATE claims SET next_nudge_at = :at WHERE id = :id", {"at": at, "id": claim_id})


async def next_stale(tx: Tx) -> int | None:
    value = await tx.value("SELECT MIN(next_nudge_at) FROM claims WHERE status = 'active'")
    return None if value is None else int(value)


async def due_soon(tx: Tx, now: int, horizon: int, limit: int) -> list[ClaimDue]:
    """Active claims on open asks due within the horizon that have not been reminded yet."""
    rows = await tx.all(
        """
        SELECT c.id, c.ask_id, a.title, c.person_id, c.last_activity_at, a.due_at, c.next_nudge_at
        FROM asks a JOIN claims c ON c.ask_id = a.id AND c.status = 'active'
        WHERE a.status = 'open' AND a.due_at IS NOT NULL AND a.due_at > :now AND a.due_at <= :until
          AND c.due_nudged_at IS NULL AND c.person_id IS NOT NULL
        ORDER BY a.due_at LIMIT :n
        """,
        {"now": now, "until": now + horizon, "n": limit},
    )
    return [_claim_due(row) for row in rows]


async def mark_due_nudged(tx: Tx, claim_id: int, now: int) -> None:
    tx.later("UPDATE claims SET due_nudged_at = :now WHERE id = :id", {"now": now, "id": claim_id})


async def next_due_soon(tx: Tx, now: int, horizon: int) -> int | None:
    """When the next not-yet-reminded claim enters the "due soon" window."""
    value = await tx.value(
        """
        SELECT MIN(a.due_at) FROM asks a JOIN claims c ON c.ask_id = a.id AND c.status = 'active'
        WHERE a.status = 'open' AND a.due_at IS NOT NULL AND a.due_at > :now AND c.due_nudged_at IS NULL
          AND c.person_id IS NOT NULL
        """,
        {"now": now},
    )
    return None if value is None else int(value) - horizon
