"""The dashboard area's SQL: one-time links and browser sessions (only their hashes), and the
read models of the leads' pages: the network graph, and the asks board.

Everything here is read by the pages on every request, at national scale (100,000 members), so
each question is bounded: the graph asks for members only when there are few enough to draw
(else it counts groups), and lists are limited by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.ids import AskId, PersonId
from bot.storage.db import Row, Tx, record
from bot.storage.persons import NOT_PAUSED, P_COLUMNS, PERSON_COLUMNS, Person, person_from

# --- links and sessions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    person_id: PersonId
    expires_at: int
    used_at: int | None


async def save_link(tx: Tx, token_hash: str, person_id: PersonId, now: int, expires_at: int) -> None:
    await tx.execute(
        "INSERT INTO dashboard_links (token_hash, person_id, created_at, expires_at) VALUES (:h, :p, :now, :e)",
        {"h": token_hash, "p": person_id, "now": now, "e": expires_at},
    )


async def link(tx: Tx, token_hash: str) -> Link | None:
    row = await tx.one("SELECT * FROM dashboard_links WHERE token_hash = :h", {"h": token_hash})
    return record(Link, row) if row else None


async def use_link(tx: Tx, token_hash: str, now: int) -> bool:
    """Mark a live link used; False when it was used, expired or unknown (so two tabs racing
    for one link cannot both open a session)."""
    changed = await tx.execute(
        "UPDATE dashboard_links SET used_at = :now WHERE token_hash = :h AND used_at IS NULL AND expires_at > :now",
        {"h": token_hash, "now": now},
    )
    return changed == 1


async def save_session(tx: Tx, token_hash: str, person_id: PersonId, now: int, expires_at: int) -> None:
    await tx.execute(
        "INSERT INTO dashboard_sessions (token_hash, person_id, created_at, expires_at) VALUES (:h, :p, :now, :e)",
        {"h": token_hash, "p": person_id, "now": now, "e": expires_at},
    )


async def session_person(tx: Tx, token_hash: str) -> tuple[Person, int] | None:
    """The person of a session, with their stored role, and when it ends (or ended: a session
    ended by a demotion is kept until pruned, so its holder is told why)."""
    row = await tx.one(
        f"SELECT {P_COLUMNS}, s.expires_at FROM dashboard_sessions s"
        " JOIN people p ON p.id = s.person_id WHERE s.token_hash = :h",
        {"h": token_hash},
    )
    return (_person(row), int(row["expires_at"])) if row else None


async def end_session(tx: Tx, token_hash: str) -> None:
    await tx.execute("DELETE FROM dashboard_sessions WHERE token_hash = :h", {"h": token_hash})


async def end_sessions(tx: Tx, person_id: PersonId, now: int) -> int:
    """End every session and unused link of a person who is no longer a lead. Sessions go; links
    are expired, not deleted, so a link opened later says the dashboard is for leads rather than
    that it is no link at all."""
    await tx.execute(
        "UPDATE dashboard_links SET expires_at = :now WHERE person_id = :p AND used_at IS NULL AND expires_at > :now",
        {"p": person_id, "now": now},
    )
    return await tx.execute("DELETE FROM dashboard_sessions WHERE person_id = :p", {"p": person_id})


async def prune(tx: Tx, now: int) -> None:
    """Forget expired sessions, and links a day after they expired (kept that long so a late
    click is told "expired" rather than "not a link")."""
    await tx.execute("DELETE FROM dashboard_sessions WHERE expires_at <= :now", {"now": now})
    await tx.execute("DELETE FROM dashboard_links WHERE expires_at <= :old", {"old": now - 86400})


# --- the network graph --------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Which members a page looks at: by region (its normalised key), library type and skill.

    `everyone` is whether the viewer may see every profile's region and library type (leads may);
    when not, a `visibility:leads` profile counts as "not said" and never matches those filters,
    as `whois` shows it to a member.
    """

    region: str | None = None
    library: str | None = None
    skill: str | None = None
    everyone: bool = True


@dataclass(frozen=True)
class Member:
    """A member as a node: the person, how many people they have met, and when last."""

    person: Person
    region_key: str | None
    ties: int
    last_tie: int | None


_GROUP_KEYS = {"region": "region_key", "library": "library"}


def _group_key(filters: Filters, by: str, alias: str) -> str:
    column = f"{alias}.{_GROUP_KEYS[by]}"
    return column if filters.everyone else f"CASE WHEN {alias}.visibility = 'leads' THEN NULL ELSE {column} END"


def _where(filters: Filters, alias: str = "p") -> tuple[str, dict[str, object]]:
    where = [f"{alias}.signed_up_at IS NOT NULL"]
    params: dict[str, object] = {}
    if not filters.everyone and (filters.region is not None or filters.library is not None):
        where.append(f"{alias}.visibility = 'members'")
    if filters.region is not None:
        where.append(f"{alias}.region_key = :region")
        params["region"] = filters.region
    if filters.library is not None:
        where.append(f"{alias}.library = :library")
        params["library"] = filters.library
    if filters.skill is not None:
        where.append(f"{alias}.id IN (SELECT person_id FROM person_skills WHERE skill = :skill)")
        params["skill"] = filters.skill
    return " AND ".join(where), params


async def count_members(tx: Tx, filters: Filters) -> int:
    where, params = _where(filters)
    return int(await tx.value(f"SELECT COUNT(*) FROM people p WHERE {where}", params))


async def members(tx: Tx, filters: Filters, limit: int) -> list[Member]:
    """Signed-up members matching the filters, with their ties to anyone (not only those shown)."""
    where, params = _where(filters)
    rows = await tx.all(
        f"SELECT {P_COLUMNS}, p.region_key,"
        " (SELECT COUNT(*) FROM ties t WHERE t.a_id = p.id) + (SELECT COUNT(*) FROM ties t WHERE t.b_id = p.id)"
        "  AS ties,"
        " (SELECT MAX(t.last_at) FROM ties t WHERE t.a_id = p.id) AS last_a,"
        " (SELECT MAX(t.last_at) FROM ties t WHERE t.b_id = p.id) AS last_b"
        f" FROM people p WHERE {where} ORDER BY p.id LIMIT :n",
        {**params, "n": limit},
    )
    found = []
    for row in rows:
        lasts = [value for value in (row["last_a"], row["last_b"]) if value is not None]
        found.append(Member(_person(row), row["region_key"], row["ties"], max(lasts, default=None)))
    return found


def _person(row: Row) -> Person:
    """The person at the start of a row that has more columns after theirs."""
    return person_from(tuple(row)[: len(PERSON_COLUMNS)])


def _marks(ids: Sequence[PersonId]) -> str:
    return ",".join("?" for _ in ids)


async def ties_among(tx: Tx, ids: Sequence[PersonId]) -> list[tuple[PersonId, PersonId, int]]:
    """Ties between members of `ids`: (a, b, last met). One index probe per member (the lower
    end of each tie); a second `IN` on the other end made SQLite build a list per probe."""
    inside = set(ids)
    found = []
    for start in range(0, len(ids), 10_000):
        chunk = ids[start : start + 10_000]
        rows = await tx.all(f"SELECT a_id, b_id, last_at FROM ties WHERE a_id IN ({_marks(chunk)})", list(chunk))
        found += [(PersonId(r["a_id"]), PersonId(r["b_id"]), int(r["last_at"])) for r in rows if r["b_id"] in inside]
    return found


async def pairs_among(tx: Tx, ids: Sequence[PersonId]) -> list[tuple[PersonId, PersonId]]:
    """Pairs a pairing round made between members of `ids`."""
    inside = set(ids)
    found = []
    for start in range(0, len(ids), 10_000):
        chunk = ids[start : start + 10_000]
        rows = await tx.all(f"SELECT a_id, b_id FROM pairings WHERE a_id IN ({_marks(chunk)})", list(chunk))
        found += [(PersonId(r["a_id"]), PersonId(r["b_id"])) for r in rows if r["b_id"] in inside]
    return found


async def reach_of(tx: Tx, ids: Sequence[PersonId]) -> dict[PersonId, tuple[int, int]]:
    """How many other regions and library types each member's ties reach (the network's
    "bridges"), over all their ties."""
    if not ids:
        return {}
    rows = await tx.all(
        "SELECT e.me,"
        " COUNT(DISTINCT CASE WHEN o.region_key IS NOT NULL AND m.region_key IS NOT NULL"
        "   AND o.region_key != m.region_key THEN o.region_key END) AS regions,"
        " COUNT(DISTINCT CASE WHEN o.library IS NOT NULL AND m.library IS NOT NULL"
        "   AND o.library != m.library THEN o.library END) AS libraries"
        f" FROM (SELECT a_id AS me, b_id AS other FROM ties WHERE a_id IN ({_marks(ids)})"
        f"       UNION ALL SELECT b_id, a_id FROM ties WHERE b_id IN ({_marks(ids)})) e"
        " JOIN people m ON m.id = e.me JOIN people o ON o.id = e.other GROUP BY e.me",
        [*ids, *ids],
    )
    return {PersonId(r["me"]): (int(r["regions"]), int(r["libraries"])) for r in rows}


async def groups(tx: Tx, filters: Filters, by: str) -> list[tuple[str | None, int]]:
    """Members matching the filters by region (its key) or library type: (key, members)."""
    key = _group_key(filters, by, "p")
    where, params = _where(filters)
    rows = await tx.all(f"SELECT {key} AS k, COUNT(*) AS n FROM people p WHERE {where} GROUP BY k", params)
    return [(r["k"], int(r["n"])) for r in rows]


async def group_ties(tx: Tx, filters: Filters, by: str) -> list[tuple[str | None, str | None, int]]:
    """Ties between members matching the filters, counted by the groups of their two ends."""
    where_a, params = _where(filters, "pa")
    where_b, _ = _where(filters, "pb")
    rows = await tx.all(
        f"SELECT {_group_key(filters, by, 'pa')} AS ka, {_group_key(filters, by, 'pb')} AS kb, COUNT(*) AS n"
        " FROM ties t JOIN people pa ON pa.id = t.a_id JOIN people pb ON pb.id = t.b_id"
        f" WHERE {where_a} AND {where_b} GROUP BY ka, kb",
        params,
    )
    return [(r["ka"], r["kb"], int(r["n"])) for r in rows]


async def isolated(tx: Tx, filters: Filters, since: int, now: int, limit: int) -> tuple[list[Member], int]:
    """Members matching the filters who are not paused and met nobody since `since`, longest
    waiting first, and how many there are (the network's "isolated").

    Everyone met lately is one set (from the ties by time), so counting the rest is one pass over
    an index, not two probes per member; whole rows are read only for the ones shown."""
    where, params = _where(filters)
    where += (
        f" AND {NOT_PAUSED} AND p.id NOT IN"
        " (SELECT a_id FROM ties WHERE last_at >= :since UNION SELECT b_id FROM ties WHERE last_at >= :since)"
    )
    params |= {"since": since, "now": now}
    total = int(await tx.value(f"SELECT COUNT(*) FROM people p WHERE {where}", params))
    if limit >= total:  # all of them (a CSV): one pass, without the detour through ids
        rows = await tx.all(
            f"SELECT {P_COLUMNS}, p.region_key FROM people p WHERE {where} ORDER BY p.signed_up_at, p.id",
            params,
        )
        return [Member(_person(row), row["region_key"], 0, None) for row in rows], total
    ids = await tx.all(f"SELECT p.id FROM people p WHERE {where} ORDER BY p.signed_up_at, p.id LIMIT :n",
                       {**params, "n": limit})  # fmt: skip
    found = await _members_by_id(tx, [PersonId(row["id"]) for row in ids])
    return [Member(person, key, 0, None) for person, key in found], total


async def _members_by_id(tx: Tx, ids: Sequence[PersonId]) -> list[tuple[Person, str | None]]:
    """People with their region key, in the order of `ids`."""
    found: dict[int, tuple[Person, str | None]] = {}
    for start in range(0, len(ids), 10_000):  # under SQLite's limit on parameters
        chunk = ids[start : start + 10_000]
        rows = await tx.all(
            f"SELECT {', '.join(PERSON_COLUMNS)}, region_key FROM people WHERE id IN ({_marks(chunk)})", list(chunk)
        )
        found |= {row["id"]: (_person(row), row["region_key"]) for row in rows}
    return [found[pid] for pid in ids if pid in found]


async def choices(tx: Tx) -> tuple[list[tuple[str, str]], list[str]]:
    """What the filters offer: regions in use (key, as shown) and skills in use."""
    labels = await region_labels(tx)
    skills = await tx.all(
        "WITH RECURSIVE s (skill) AS (SELECT MIN(skill) FROM person_skills UNION ALL"
        " SELECT (SELECT MIN(skill) FROM person_skills WHERE skill > s.skill) FROM s WHERE s.skill IS NOT NULL)"
        " SELECT skill FROM s WHERE skill IS NOT NULL"
    )  # one index seek per skill, not a read of every person's skills
    return sorted(labels.items()), [r["skill"] for r in skills]


async def region_labels(tx: Tx) -> dict[str, str]:
    """Each region in use (its key) and how it is shown: one seek per region."""
    rows = await tx.all(
        "SELECT k.region_key, (SELECT region FROM people WHERE region_key = k.region_key LIMIT 1) AS region"
        " FROM (SELECT DISTINCT region_key FROM people WHERE region_key IS NOT NULL) k"
    )
    return {r["region_key"]: r["region"] for r in rows}


# --- coverage -------------------------------------------------------------------------------------


async def coverage_cells(tx: Tx, skill: str | None) -> list[tuple[str | None, str | None, int]]:
    """Volunteers (of one skill, or all) by region key and library type: `coverage`'s counts."""
    where, params = _where(Filters(skill=skill))
    rows = await tx.all(
        f"SELECT p.region_key, p.library, COUNT(*) AS n FROM people p WHERE {where} GROUP BY p.region_key, p.library",
        params,
    )
    return [(r["region_key"], r["library"], int(r["n"])) for r in rows]


async def coverage_regions(tx: Tx) -> list[str | None]:
    """The region keys (None: not said) of every signed-up volunteer, of any skill: the heat
    map's rows when it is filtered to one skill."""
    rows = await tx.all("SELECT DISTINCT region_key FROM people WHERE signed_up_at IS NOT NULL")
    return [r["region_key"] for r in rows]


async def skill_counts(tx: Tx) -> list[tuple[str, int]]:
    """Volunteers per skill, read from the skills' index alone. Only signed-up volunteers have
    skills (`volunteer` signs up whoever adds one, and nothing undoes a sign-up), so this counts
    what `coverage by:skill` counts without looking up 200,000 people (230 ms at national scale)."""
    rows = await tx.all("SELECT skill, COUNT(*) AS n FROM person_skills GROUP BY skill")
    return [(r["skill"], int(r["n"])) for r in rows]


async def skills_wanted(tx: Tx) -> list[tuple[str, int]]:
    """Skills open asks need, with how many open asks need each."""
    rows = await tx.all(
        "SELECT skill, COUNT(*) AS n FROM asks WHERE status = 'open' AND skill IS NOT NULL GROUP BY skill"
    )
    return [(r["skill"], int(r["n"])) for r in rows]


# --- the asks board -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardAsk:
    """An ask as a card: its slots, and since when its quietest active claim has been quiet."""

    id: AskId
    title: str
    skill: str | None
    need: int
    due_at: int | None
    due_zone: str | None
    status: str
    created_at: int
    closed_at: int | None
    poster: str | None
    active: int
    done: int
    quiet_since: int | None


_BOARD = """
SELECT a.id, a.title, a.skill, a.need, a.due_at, a.due_zone, a.status, a.created_at, a.closed_at,
  p.display_name AS poster,
  (SELECT COUNT(*) FROM claims c WHERE c.ask_id = a.id AND c.status = 'active') AS active,
  (SELECT COUNT(*) FROM claims c WHERE c.ask_id = a.id AND c.status = 'done') AS done,
  -- The CASE keeps SQLite on the ask's claims (claims_by_ask); `MIN(…) … AND status = 'active'`
  -- made it walk every active claim in time order (claims_by_activity) for each ask.
  (SELECT MIN(CASE WHEN c.status = 'active' THEN c.last_activity_at END) FROM claims c WHERE c.ask_id = a.id)
    AS quiet_since
FROM asks a LEFT JOIN people p ON p.id = a.posted_by
"""


async def open_asks(tx: Tx) -> list[BoardAsk]:
    """Every open ask (10,000 at national scale: a few index probes each)."""
    rows = await tx.all(f"{_BOARD} WHERE a.status = 'open' ORDER BY a.id")
    return [record(BoardAsk, row) for row in rows]


async def finished_asks(tx: Tx, since: int, limit: int) -> tuple[list[BoardAsk], int]:
    """Asks finished since `since`, most recent first, and how many."""
    rows = await tx.all(
        f"{_BOARD} WHERE a.status = 'done' AND a.closed_at >= :since ORDER BY a.closed_at DESC, a.id DESC LIMIT :n",
        {"since": since, "n": limit},
    )
    total = await tx.value("SELECT COUNT(*) FROM asks WHERE status = 'done' AND closed_at >= :since", {"since": since})
    return [record(BoardAsk, row) for row in rows], int(total)
