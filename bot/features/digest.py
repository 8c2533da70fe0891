"""The leads' digest (spec §7): what changed in the network over the last week."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Config
from bot.features.people import LIBRARY_TYPES
from bot.storage import followups
from bot.storage.db import Tx

WEEK = 7 * 86400


@dataclass(frozen=True)
class Digest:
    """A week in numbers, with the names a lead may want to act on."""

    new_volunteers: tuple[str, ...]
    asks_opened: int
    asks_finished: int
    asks_closed: int
    stale_claims: int
    open_unclaimed: int
    checkins_asked: int
    checkins_answered: int
    not_answered: tuple[str, ...]
    missing_library_types: tuple[str, ...]
    unmatched_skills: tuple[str, ...]
    overdue_followups: int


async def build(tx: Tx, now: int, config: Config) -> Digest:
    since = now - WEEK
    stale_before = now - config.asks.stale_claim_days * 86400
    new = await tx.all("SELECT display_name FROM people WHERE signed_up_at >= :s ORDER BY signed_up_at", {"s": since})
    counts = await tx.one(
        """
        SELECT
          (SELECT COUNT(*) FROM asks WHERE created_at >= :s) AS opened,
          (SELECT COUNT(*) FROM asks WHERE status = 'done' AND closed_at >= :s) AS finished,
          (SELECT COUNT(*) FROM asks WHERE status = 'closed' AND closed_at >= :s) AS closed,
          (SELECT COUNT(*) FROM claims c JOIN asks a ON a.id = c.ask_id
             WHERE c.status = 'active' AND a.status = 'open' AND c.last_activity_at < :stale) AS stale,
          (SELECT COUNT(*) FROM asks a WHERE a.status = 'open'
             AND NOT EXISTS (SELECT 1 FROM claims c
                             WHERE c.ask_id = a.id AND c.status != 'released')) AS unclaimed,
          (SELECT COUNT(*) FROM checkins WHERE due_at >= :s AND due_at <= :now) AS asked,
          (SELECT COUNT(*) FROM checkins WHERE due_at >= :s AND answered_at IS NOT NULL) AS answered
        """,
        {"s": since, "stale": stale_before, "now": now},
    )
    assert counts is not None
    silent = await tx.all(
        "SELECT DISTINCT p.display_name FROM checkins c JOIN people p ON p.id = c.person_id"
        " WHERE c.due_at >= :s AND c.due_at <= :now AND c.answered_at IS NULL ORDER BY p.display_name",
        {"s": since, "now": now},
    )
    present = {
        row["library"]
        for row in await tx.all(
            "SELECT DISTINCT library FROM people WHERE signed_up_at IS NOT NULL AND library IS NOT NULL"
        )
    }
    unmatched = await tx.all(
        "SELECT DISTINCT a.skill FROM asks a WHERE a.status = 'open' AND a.skill IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM person_skills s JOIN people p ON p.id = s.person_id"
        "                 WHERE s.skill = a.skill AND p.signed_up_at IS NOT NULL) ORDER BY a.skill"
    )
    return Digest(
        new_volunteers=tuple(row["display_name"] for row in new),
        asks_opened=counts["opened"],
        asks_finished=counts["finished"],
        asks_closed=counts["closed"],
        stale_claims=counts["stale"],
        open_unclaimed=counts["unclaimed"],
        checkins_asked=counts["asked"],
        checkins_answered=counts["answered"],
        not_answered=tuple(row["display_name"] for row in silent),
        missing_library_types=tuple(t for t in LIBRARY_TYPES if t not in present and t != "other"),
        unmatched_skills=tuple(row["skill"] for row in unmatched),
        overdue_followups=await _overdue_followups(tx, now),
    )


async def _overdue_followups(tx: Tx, now: int) -> int:
    """Follow-ups past due across the network (a count only: contacts stay private)."""
    return await followups.count_overdue(tx, now)
