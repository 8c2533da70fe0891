"""The leads area's SQL: coverage counts, the week's digest figures, who else is an admin, and
the audit log.

Counts over everyone (volunteers by region, library type and skill; open asks by skill; open asks
nobody took; people asked a check-in and heard from, by hour) are read from the summaries kept in
step with every change (`bot/storage/summaries.py`), the week's other figures from indexes on their
times: a view reads what it shows, not the whole network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.names import fold
from bot.ids import PersonId
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
    not_answered: tuple[str, ...]  # of the rest, up to `NAMED` whose question waits longest, by name
    missing_library_types: tuple[str, ...]
    unmatched_skills: tuple[str, ...]
    overdue_followups: int
    signed: int = 0
    joined: int = 0
    joined_lately: int = 0


HOUR = 3600
#: People named as not heard from (the digest names this many; it counts them all).
NAMED = 15


def _people_in_week(kind: str) -> str:
    """How many people's check-in time of `kind` ('asked' or 'heard', `people.checkin_<kind>_at`)
    is in the week `:s`–`:now`: the summary's count of each whole hour between, and the people of
    the two edge hours read from the index (bot/storage/summaries.py `CHECKIN_HOURS`)."""
    column = f"checkin_{kind}_at"
    return (
        f"((SELECT COALESCE(SUM(people), 0) FROM checkin_hours WHERE kind = '{kind}' AND hour >= :first"
        f" AND hour < :last) + (SELECT COUNT(*) FROM people WHERE {column} >= :s AND {column} < :first * 3600)"
        f" + (SELECT COUNT(*) FROM people WHERE {column} >= :last * 3600 AND {column} <= :now))"
    )


async def digest(tx: Tx, now: int, stale_days: int, library_types: Sequence[str], overdue: int) -> Digest:
    """A week in numbers; `overdue` follow-ups are counted by the contacts area (contacts stay private)."""
    since = now - WEEK
    stale_before = now - stale_days * 86400
    # `id` after the time: people who signed up in the same second are named in signup order on
    # both backends (PostgreSQL returns ties in no particular order).
    new = await tx.all(
        "SELECT display_name FROM people WHERE signed_up_at >= :s ORDER BY signed_up_at, id", {"s": since}
    )
    counts = await tx.one(
        """
        SELECT
          (SELECT COUNT(*) FROM asks WHERE created_at >= :s) AS opened,
          (SELECT COUNT(*) FROM asks WHERE status = 'done' AND closed_at >= :s) AS finished,
          (SELECT COUNT(*) FROM asks WHERE status = 'closed' AND closed_at >= :s) AS closed,
          (SELECT COUNT(*) FROM claims c JOIN asks a ON a.id = c.ask_id
             WHERE c.status = 'active' AND a.status = 'open' AND c.last_activity_at < :stale) AS stale,
          (SELECT COALESCE(SUM(n), 0) FROM tallies WHERE name = 'unclaimed asks') AS unclaimed,
          {asked} AS asked, {heard} AS heard
        """.format(asked=_people_in_week("asked"), heard=_people_in_week("heard")),
        {"s": since, "stale": stale_before, "now": now, "first": since // HOUR + 1, "last": now // HOUR},
    )
    assert counts is not None
    # Counted by person: one answer this week answers for them, even when they skipped an earlier
    # question (daily check-ins) or answered last week's question late. Named: those whose latest
    # question waits longest (the names of all of them would be a read of 100,000 people's worth).
    silent = await tx.all(
        "SELECT display_name FROM people WHERE checkin_asked_at >= :s AND checkin_asked_at <= :now"
        " AND (checkin_heard_at IS NULL OR checkin_heard_at < checkin_asked_at)"
        " AND (checkin_heard_at IS NULL OR checkin_heard_at < :s) ORDER BY checkin_asked_at, id LIMIT :n",
        {"s": since, "now": now, "n": NAMED},
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
        checkins_answered=counts["heard"],
        not_answered=tuple(sorted((row["display_name"] for row in silent), key=fold)),  # alphabetically
        missing_library_types=tuple(t for t in library_types if t not in present and t != "other"),
        unmatched_skills=tuple(row["skill"] for row in unmatched),
        overdue_followups=overdue,
    )


async def admin_remains(tx: Tx, person_id: PersonId, admin_handles: Sequence[str]) -> bool:
    """Whether someone keeps admin powers once `person_id`'s stored role is below admin: someone
    else stored as an admin, or anyone (them too) with an account the config's admins list names
    (`platform:user_id`, as `Config.is_admin` matches it), for the config makes them an admin
    again at their next message whatever is stored. People forgotten are gone from `people`."""
    other = await tx.one("SELECT id FROM people WHERE role = 'admin' AND id != :id LIMIT 1", {"id": person_id})
    if other is not None:
        return True
    for handle in admin_handles:
        platform, _, user_id = handle.partition(":")
        named = await tx.one(
            "SELECT person_id FROM identities WHERE platform = :p AND user_id = :u", {"p": platform, "u": user_id}
        )
        if named is not None:
            return True
    return False


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
