"""The SQL behind the asks area's reminders (`reminders.py`): whose "no update" or "due soon"
reminder about a claim has come, and when the next one will (each an indexed range scan on a "next
reminder" column); and whether a message queued about a claim or an ask still matters when it is
sent.

Kept apart from `queries.py`, the SQL of the commands: only the reminder engine and the deliverer
ask these questions."""

from __future__ import annotations

from bot.areas.asks.records import ClaimDue
from bot.ids import ClaimId, PersonId
from bot.scheduling.reminders import Round
from bot.storage.db import Tx, record

_CLAIM_DUE = "SELECT c.id, c.ask_id, a.title, c.person_id, c.last_activity_at, a.due_at, a.due_zone, c.next_nudge_at"


async def stale_claims(tx: Tx, when: Round) -> list[ClaimDue]:
    """Active claims whose "no update" reminder time has come."""
    rows = await tx.all(
        f"""{_CLAIM_DUE} FROM claims c JOIN asks a ON a.id = c.ask_id
        WHERE c.status = 'active' AND c.next_nudge_at <= :now AND c.person_id IS NOT NULL
        ORDER BY c.next_nudge_at LIMIT :n""",
        {"now": when.now, "n": when.limit},
    )
    return [record(ClaimDue, row) for row in rows]


async def set_next_nudge(tx: Tx, claim_id: ClaimId, at: int | None) -> None:
    tx.later("UPDATE claims SET next_nudge_at = :at WHERE id = :id", {"at": at, "id": claim_id})


async def next_stale(tx: Tx, when: Round) -> int | None:
    value = await tx.value("SELECT MIN(next_nudge_at) FROM claims WHERE status = 'active' AND person_id IS NOT NULL")
    return None if value is None else int(value)


async def due_soon(tx: Tx, when: Round) -> list[ClaimDue]:
    """Active claims on open asks due within `nudges.due_soon_hours` not reminded of it yet."""
    rows = await tx.all(
        f"""{_CLAIM_DUE} FROM asks a JOIN claims c ON c.ask_id = a.id AND c.status = 'active'
        WHERE a.status = 'open' AND a.due_at IS NOT NULL AND a.due_at > :now AND a.due_at <= :until
          AND c.due_nudged_at IS NULL AND c.person_id IS NOT NULL
        ORDER BY a.due_at LIMIT :n""",
        {"now": when.now, "until": when.now + _horizon(when), "n": when.limit},
    )
    return [record(ClaimDue, row) for row in rows]


async def mark_due_nudged(tx: Tx, claim_id: ClaimId, now: int) -> None:
    tx.later("UPDATE claims SET due_nudged_at = :now WHERE id = :id", {"now": now, "id": claim_id})


async def next_due_soon(tx: Tx, when: Round) -> int | None:
    """When the next not-yet-reminded claim enters the "due soon" window."""
    value = await tx.value(
        """
        SELECT MIN(a.due_at) FROM asks a JOIN claims c ON c.ask_id = a.id AND c.status = 'active'
        WHERE a.status = 'open' AND a.due_at IS NOT NULL AND a.due_at > :now AND c.due_nudged_at IS NULL
          AND c.person_id IS NOT NULL
        """,
        {"now": when.now},
    )
    return None if value is None else int(value) - _horizon(when)


def _horizon(when: Round) -> int:
    return when.config.nudges.due_soon_hours * 3600


async def claim_open(tx: Tx, claim_id: int) -> bool:
    """Whether a claim is still being worked on, on an open ask (its reminders still matter)."""
    row = await tx.one(
        "SELECT 1 FROM claims c JOIN asks a ON a.id = c.ask_id WHERE c.id = :id AND c.status = 'active'"
        " AND a.status = 'open'",
        {"id": claim_id},
    )
    return row is not None


async def still_closed(tx: Tx, ask_id: int, person_id: PersonId | None) -> bool:
    """Whether an ask is still closed (a notice that it was is dropped if it was reopened since)."""
    return await tx.value("SELECT 1 FROM asks WHERE id = :id AND status = 'closed'", {"id": ask_id}) is not None


async def still_wanted(tx: Tx, ask_id: int, person_id: PersonId | None) -> bool:
    """Whether an ask is still open with room, and not taken by this person (its notice matters)."""
    row = await tx.one(
        """
        SELECT 1 FROM asks a WHERE a.id = :id AND a.status = 'open'
          AND (SELECT COUNT(*) FROM claims c
               WHERE c.ask_id = a.id AND c.status IN ('active', 'done')) < a.need
          AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.ask_id = a.id AND c.person_id = :p
                          AND c.status IN ('active', 'done'))
        """,
        {"id": ask_id, "p": person_id},
    )
    return row is not None


async def still_stale(tx: Tx, claim_id: int, queued_at: int, now: int, stale: int) -> bool:
    """Whether a claim is still as the sweep left it when it queued a "no update" reminder at
    `queued_at`: open, on an open ask, no update for `stale` seconds (as `asks stale` counts it),
    and its next reminder where that queueing put it (`queued_at + stale`: `stale_claims`' own
    test, met then). An update moves both; a snooze past the next reminder moves the second."""
    row = await tx.one(
        "SELECT 1 FROM claims c JOIN asks a ON a.id = c.ask_id"
        " WHERE c.id = :id AND c.status = 'active' AND a.status = 'open' AND c.person_id IS NOT NULL"
        " AND c.last_activity_at <= :now - :stale AND c.next_nudge_at - :stale <= :queued",
        {"id": claim_id, "now": now, "stale": stale, "queued": queued_at},
    )
    return row is not None


async def still_due_reminded(tx: Tx, claim_id: int, queued_at: int, now: int) -> bool:
    """Whether a claim's "due soon" reminder queued at `queued_at` is still its latest: open, on
    an open ask, and not reminded again since (an edit of the due date resets `due_nudged_at`;
    a reminder of the new date queued since sets it later, and the old one must not go beside it);
    and the ask not due already: held back by the one bundle a day, "is due Tue 14:00" came on
    Wednesday (the stale claim's own reminder speaks for it then)."""
    row = await tx.one(
        "SELECT 1 FROM claims c JOIN asks a ON a.id = c.ask_id WHERE c.id = :id AND c.status = 'active'"
        " AND a.status = 'open' AND c.due_nudged_at = :queued AND (a.due_at IS NULL OR a.due_at > :now)",
        {"id": claim_id, "queued": queued_at, "now": now},
    )
    return row is not None
