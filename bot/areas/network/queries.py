"""The network area's SQL: who has met whom (ties and the meetings behind them), and the
network view's figures.

A tie is one row per pair, lower person id first. The figures for `network` are read from the
summaries kept in step with every tie and profile (`bot/storage/summaries.py`: ties by the groups
of their ends, each member's reach, when each last met anyone) and indexes, so the view reads
a few hundred rows whatever the size of the network; the SQL sticks to what PostgreSQL also runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.ids import PersonId
from bot.storage import summaries
from bot.storage.db import Tx, bound_ids, record
from bot.storage.persons import NOT_PAUSED, Person

#: A `tie_groups` row of ties between two different known values ('' is not said, and sorts first).
_CROSS = "low != '' AND low != high"
#: A person `p` who has met nobody since :since.
_NOT_MET = "(p.met_at IS NULL OR p.met_at < :since)"


@dataclass(frozen=True)
class Tie:
    a_id: PersonId
    b_id: PersonId
    first_at: int
    last_at: int
    times: int


@dataclass(frozen=True)
class Acquaintance:
    """Someone a member has met, as the network view shows them."""

    person_id: PersonId
    name: str
    region: str | None
    library: str | None
    times: int
    last_at: int


@dataclass(frozen=True)
class Figures:
    members: int
    ties: int
    recent_ties: int
    cross_region: int
    cross_library: int


@dataclass(frozen=True)
class Bridge:
    """A member whose ties reach other regions and library types than their own."""

    person_id: PersonId
    name: str
    regions: int
    libraries: int


@dataclass(frozen=True)
class Met:
    other: Person
    tie: Tie


@dataclass(frozen=True)
class Overview:
    days: int
    figures: Figures
    isolated: tuple[tuple[PersonId, str], ...]
    isolated_total: int
    bridges: tuple[Bridge, ...]
    unlinked_regions: tuple[str, ...]
    regions_in_use: int
    unlinked_libraries: tuple[str, ...]
    libraries_in_use: int
    intros: dict[str, int]
    pairing: int
    # The intro to suggest (their names): an isolated member and a bridge, two people who have not
    # met and have no intro on file (`intro` would be pointless or refused); None if no such pair is shown.
    suggested: tuple[str, str] | None


@dataclass(frozen=True)
class MemberView:
    days: int
    person: Person
    met: tuple[Acquaintance, ...]
    met_total: int
    other_regions: int
    other_libraries: int
    isolated: bool
    pairing: bool
    pending_intros: int


def ordered(a: PersonId, b: PersonId) -> tuple[PersonId, PersonId]:
    return (a, b) if a < b else (b, a)


async def record_meeting(
    tx: Tx,
    a: PersonId,
    b: PersonId,
    *,
    recorded_by: PersonId | None,
    how: str,
    intro_id: int | None,
    note: str | None,
    now: int,
) -> Tie:
    """Note that two members met; returns the tie after it."""
    low, high = ordered(a, b)
    await tx.execute(
        "INSERT INTO ties (a_id, b_id, first_at, last_at, times) VALUES (:a, :b, :now, :now, 1)"
        " ON CONFLICT (a_id, b_id) DO UPDATE SET times = ties.times + 1,"
        " last_at = CASE WHEN excluded.last_at > ties.last_at THEN excluded.last_at ELSE ties.last_at END",
        {"a": low, "b": high, "now": now},
    )
    await tx.execute(
        "INSERT INTO meetings (a_id, b_id, recorded_by, how, intro_id, note, at)"
        " VALUES (:a, :b, :by, :how, :intro, :note, :now)",
        {"a": low, "b": high, "by": recorded_by, "how": how, "intro": intro_id, "note": note, "now": now},
    )
    found = await tie(tx, a, b)
    assert found is not None
    summaries.met(tx, a, b, now, new=found.times == 1)
    return found


async def tie(tx: Tx, a: PersonId, b: PersonId) -> Tie | None:
    low, high = ordered(a, b)
    row = await tx.one("SELECT * FROM ties WHERE a_id = :a AND b_id = :b", {"a": low, "b": high})
    return None if row is None else record(Tie, row)


async def acquaintances(tx: Tx, person_id: PersonId, limit: int | None) -> tuple[list[Acquaintance], int]:
    """The people a member has met, most recent first (the first `limit`; None: all of them, as
    the dashboard's CSV has them), and how many in all."""
    rows = await tx.all(
        "SELECT o.id AS person_id, o.display_name AS name, o.region, o.library, t.times, t.last_at FROM ties t"
        " JOIN people o ON o.id = CASE WHEN t.a_id = :p THEN t.b_id ELSE t.a_id END"
        " WHERE t.a_id = :p OR t.b_id = :p ORDER BY t.last_at DESC, o.id" + (" LIMIT :n" if limit is not None else ""),
        {"p": person_id, "n": limit},
    )
    total = await tx.value("SELECT COUNT(*) FROM ties WHERE a_id = :p OR b_id = :p", {"p": person_id})
    return [record(Acquaintance, r) for r in rows], int(total)


async def reach(tx: Tx, person_id: PersonId) -> tuple[int, int]:
    """How many other regions and other library types a member's ties reach."""
    row = await tx.one(
        "SELECT COUNT(DISTINCT CASE WHEN o.region_key IS NOT NULL AND m.region_key IS NOT NULL"
        "   AND o.region_key != m.region_key THEN o.region_key END) AS regions,"
        " COUNT(DISTINCT CASE WHEN o.library IS NOT NULL AND m.library IS NOT NULL"
        "   AND o.library != m.library THEN o.library END) AS libraries"
        " FROM ties t JOIN people m ON m.id = :p"
        " JOIN people o ON o.id = CASE WHEN t.a_id = :p THEN t.b_id ELSE t.a_id END"
        " WHERE t.a_id = :p OR t.b_id = :p",
        {"p": person_id},
    )
    return (int(row["regions"]), int(row["libraries"])) if row else (0, 0)


async def figures(tx: Tx, since: int) -> Figures:
    members = await tx.value("SELECT COALESCE(SUM(members), 0) FROM people_groups")
    row = await tx.one(
        "SELECT SUM(CASE WHEN kind = 'region' THEN ties ELSE 0 END) AS ties,"
        f" SUM(CASE WHEN kind = 'region' AND {_CROSS} THEN ties ELSE 0 END) AS cross_region,"
        f" SUM(CASE WHEN kind = 'library' AND {_CROSS} THEN ties ELSE 0 END) AS cross_library"
        " FROM tie_groups"
    )
    assert row is not None
    recent = await tx.value("SELECT COUNT(*) FROM ties WHERE last_at >= :since", {"since": since})
    return Figures(
        int(members), int(row["ties"] or 0), int(recent), int(row["cross_region"] or 0), int(row["cross_library"] or 0)
    )


async def isolated(tx: Tx, since: int, now: int, limit: int) -> tuple[list[tuple[PersonId, str]], int]:
    """Signed-up, unpaused members who have met nobody since `since`, longest-standing first.

    How many: everyone signed up (the summary), less those who met someone lately (an index of
    `met_at`) and the paused who did not (an index of the paused) — what the network shows, not
    a probe of the ties per member. The first few are read in sign-up order until found."""
    params = {"since": since, "now": now, "n": limit}
    rows = await tx.all(
        f"SELECT p.id, p.display_name FROM people p WHERE p.signed_up_at IS NOT NULL AND {NOT_PAUSED}"
        f" AND {_NOT_MET} ORDER BY p.signed_up_at, p.id LIMIT :n",
        params,
    )
    total = await tx.value(
        "SELECT (SELECT COALESCE(SUM(members), 0) FROM people_groups)"
        " - (SELECT COUNT(*) FROM people WHERE signed_up_at IS NOT NULL AND met_at >= :since)"
        f" - (SELECT COUNT(*) FROM people p WHERE p.paused_at IS NOT NULL AND NOT {NOT_PAUSED}"
        f"    AND p.signed_up_at IS NOT NULL AND {_NOT_MET})",
        params,
    )
    return [(PersonId(row["id"]), row["display_name"]) for row in rows], int(total)


async def is_isolated(tx: Tx, person_id: PersonId, since: int) -> bool:
    return (
        await tx.value(
            "SELECT 1 FROM ties WHERE (a_id = :p OR b_id = :p) AND last_at >= :since LIMIT 1",
            {"p": person_id, "since": since},
        )
        is None
    )


async def bridges(tx: Tx, limit: int) -> list[Bridge]:
    """Members whose ties reach the most other regions and library types (kept in `network_reach`)."""
    rows = await tx.all(
        "SELECT r.person_id AS id, p.display_name, r.regions, r.libraries FROM network_reach r"
        " JOIN people p ON p.id = r.person_id ORDER BY r.span DESC, r.person_id LIMIT :n",
        {"n": limit},
    )
    return [Bridge(PersonId(r["id"]), r["display_name"], r["regions"], r["libraries"]) for r in rows]


async def unlinked(tx: Tx, by: str) -> tuple[list[str], int]:
    """Regions (or library types) in use with no tie to any other one, biggest first.

    Also returns how many distinct ones are in use, since with only one there is nothing to link.
    """
    key, shown = {"region": ("region_key", "NULLIF(region, '')"), "library": ("library", "library")}[by]
    in_use = await tx.value(f"SELECT COUNT(DISTINCT {key}) FROM people_groups WHERE {key} != ''")
    linked = f"SELECT {{end}} FROM tie_groups WHERE kind = :kind AND {_CROSS}"
    rows = await tx.all(
        f"SELECT MIN({shown}) AS label FROM people_groups WHERE {key} != '' AND {key} NOT IN"
        f" ({linked.format(end='low')} UNION {linked.format(end='high')})"
        f" GROUP BY {key} ORDER BY SUM(members) DESC, MIN({shown}), {key}",
        {"kind": by},
    )
    return [row["label"] for row in rows], int(in_use)


async def known_pairs(tx: Tx, people: Sequence[PersonId]) -> set[tuple[PersonId, PersonId]]:
    """The pairs of these people (lower id first) who have met, or have an intro on file between them."""
    if not people:
        return set()
    marks, params = bound_ids(people)
    rows = await tx.all(
        f"SELECT a_id, b_id FROM ties WHERE a_id IN ({marks}) AND b_id IN ({marks})"
        " UNION SELECT CASE WHEN a_id < b_id THEN a_id ELSE b_id END, CASE WHEN a_id < b_id THEN b_id ELSE a_id END"
        f" FROM intros WHERE b_id IS NOT NULL AND a_id IN ({marks}) AND b_id IN ({marks})",
        params,
    )
    return {(PersonId(row[0]), PersonId(row[1])) for row in rows}


async def intro_counts(tx: Tx) -> dict[str, int]:
    """Intros by status: pending, made, not_now (from the summary)."""
    rows = await tx.all("SELECT key, n FROM tallies WHERE name = 'intros'")
    return {row["key"]: row["n"] for row in rows}


async def pending_intros(tx: Tx, person_id: PersonId) -> int:
    """Open intros a member is in, proposed, or owns the contact of: the member's few intros found
    first, then each one's status. (Written as `status = 'pending' AND id IN (…)`, SQLite went
    through every pending intro and looked each up in the member's list: 0.09 ms at 10,000
    volunteers, 0.8 ms at 100,000.)"""
    return int(
        await tx.value(
            "SELECT COUNT(*) FROM (SELECT id FROM intros WHERE a_id = :p UNION SELECT id FROM intros WHERE b_id = :p"
            " UNION SELECT id FROM intros WHERE proposer_id = :p"
            " UNION SELECT x.id FROM contacts c JOIN intros x ON x.contact_id = c.id WHERE c.owner_id = :p) m"
            " JOIN intros i ON i.id = m.id WHERE i.status = 'pending'",
            {"p": person_id},
        )
    )


async def in_pairing(tx: Tx) -> int:
    return int(await tx.value("SELECT COUNT(*) FROM pairing_members"))


async def is_in_pairing(tx: Tx, person_id: PersonId) -> bool:
    return await tx.value("SELECT 1 FROM pairing_members WHERE person_id = :p", {"p": person_id}) is not None
