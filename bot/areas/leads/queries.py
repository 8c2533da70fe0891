"""The leads area's SQL: coverage counts, the week's digest figures, and the audit log.

Counts over everyone (volunteers by region, library type and skill; open asks by skill; open asks
nobody took) are read from the summaries kept in step with every change (`bot/storage/summaries.py`),
the week's figures from indexes on their times: a view reads what it shows, not the whole network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.storage.db import Tx, record


async def by_region_and_library(tx: Tx) -> list[tuple[str | None, str | None, int, bool]]:
    """(region as shown, library type, volunteers, whether any of them keeps their profile for
    leads only); NULL where people have not said."""
    rows = await tx.all(
        "SELECT MAX(NULLIF(region, '')) AS region, library, SUM(members) AS n,"
        " MAX(CASE WHEN visibility = 'leads' THEN 1 ELSE 0 END) AS hidden FROM people_groups"
        " GROUP BY region_key, library"
    )  # read from the summary of signed-up people (bot/storage/summaries.py), not 100,000 rows
    return [(row["region"], row["library"] or None, row["n"], bool(row["hidden"])) for row in rows]


async def by_skill(tx: Tx) -> list[tuple[str, int]]:
    """Signed-up volunteers per skill, fewest first (from the summary)."""
    rows = await tx.all("SELECT key AS skill, n FROM tallies WHERE name = 'skills' ORDER BY n, key")
    return [(row["skill"], row["n"]) for row in rows]


async def skills_wanted(tx: Tx) -> list[tuple[str, int]]:
    """Skills open asks need, with how many open asks need each (from the summary)."""
    rows = await tx.all("SELECT key AS skill, n FROM tallies WHERE name = 'open asks' AND key != '' ORDER BY key")
    return [(row["skill"], row["n"]) for row in rows]


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
    checkins_asked: int  # people asked this week
    checkins_answered: int  # of them, people who answered
    not_answered: tuple[str, ...]
    missing_library_types: tuple[str, ...]
    unmatched_skills: tuple[str, ...]
    overdue_followups: int
    signed: int = 0
    joined: int = 0
    joined_lately: int = 0


async def digest(tx: Tx, now: int, stale_days: int, library_types: Sequence[str], overdue: int) -> Digest:
    """A week in numbers; `overdue` follow-ups are counted by the contacts area (contacts stay private)."""
    since = now - WEEK
    stale_before = now - stale_days * 86400
    new = await tx.all("SELECT display_name FROM people WHERE signed_up_at >= :s ORDER BY signed_up_at", {"s": since})
    counts = await tx.one(
        """
        SELECT
          (SELECT COUNT(*) FROM asks WHERE created_at >= :s) AS opened,
          (SELECT COUNT(*) FROM asks WHERE status = 'done' AND closed_at >= :s) AS finished,
          (SELECT COUNT(*) FROM asks WHERE status = 'closed' AND closed_at >= :s) AS closed,
          (SELECT COUNT(*) FROM claims c JOIN asks a ON a.id = c.ask_id
             WHERE c.status = 'active' AND a.status = 'open' AND c.last_activity_at < :stale) AS stale,
          (SELECT COALESCE(SUM(n), 0) FROM tallies WHERE name = 'unclaimed asks') AS unclaimed,
          (SELECT COUNT(DISTINCT person_id) FROM checkins WHERE due_at >= :s AND due_at <= :now) AS asked
        """,
        {"s": since, "stale": stale_before, "now": now},
    )
    assert counts is not None
    # Counted by person: one answer this week answers for them, even when they skipped an earlier
    # question (daily check-ins) or answered last week's question late.
    silent = await tx.all(
        "SELECT DISTINCT p.display_name FROM checkins c JOIN people p ON p.id = c.person_id"
        " WHERE c.due_at >= :s AND c.due_at <= :now AND NOT EXISTS (SELECT 1 FROM checkins d"
        "   WHERE d.person_id = c.person_id AND d.answered_at >= :s) ORDER BY p.display_name",
        {"s": since, "now": now},
    )
    present = {row["library"] for row in await tx.all("SELECT DISTINCT library FROM people_groups WHERE library != ''")}
    unmatched = await tx.all(
        "SELECT w.key AS skill FROM tallies w WHERE w.name = 'open asks' AND w.key != ''"
        " AND NOT EXISTS (SELECT 1 FROM tallies s WHERE s.name = 'skills' AND s.key = w.key) ORDER BY w.key"
    )
    return Digest(
        new_volunteers=tuple(row["display_name"] for row in new),
        asks_opened=counts["opened"],
        asks_finished=counts["finished"],
        asks_closed=counts["closed"],
        stale_claims=counts["stale"],
        open_unclaimed=counts["unclaimed"],
        checkins_asked=counts["asked"],
        checkins_answered=counts["asked"] - len(silent),
        not_answered=tuple(row["display_name"] for row in silent),
        missing_library_types=tuple(t for t in library_types if t not in present and t != "other"),
        unmatched_skills=tuple(row["skill"] for row in unmatched),
        overdue_followups=overdue,
    )


@dataclass(frozen=True)
class Entry:
    """One line of the audit log: `actor` is a person's name, None for someone gone or for a
    change no person made (then `source` says who: `console`, `config`, a platform's role sync)."""

    at: int
    actor: str | None
    action: str
    subject: str
    detail: str
    view: bool
    source: str | None


async def audit_log(tx: Tx, limit: int, *, views: bool) -> list[Entry]:
    """The newest entries: changes only, or with `views` the read-only uses too."""
    where = "" if views else " WHERE a.view = 0"
    rows = await tx.all(
        "SELECT a.at, p.display_name AS actor, a.action, a.subject, a.detail, a.view, a.source FROM audit a"
        f" LEFT JOIN people p ON p.id = a.actor_id{where} ORDER BY a.id DESC LIMIT :n",
        {"n": limit},
    )
    return [record(Entry, row) for row in rows]
