"""The people area's SQL: profiles, skills and interests, pauses, and lookups by name.

Signing up, a skill, and a profile's region, library type or visibility are counted in the leads'
summaries (`bot.storage.summaries`): each change here shifts what it counts there, in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.names import fold
from bot.core.params import Asker, Choice
from bot.ids import PersonId
from bot.storage import persons, summaries
from bot.storage.db import Tx
from bot.storage.persons import PERSON_COLUMNS, Person, person_from

PROFILE_COLUMNS = ("tz", "region", "region_key", "library", "job", "hours", "max_claims",
                   "quiet_start", "quiet_end", "visibility")  # fmt: skip
#: Profile columns the summaries group by: people (all four) and ties (the last two).
_GROUPED, _TIED = frozenset({"region", "region_key", "library", "visibility"}), frozenset({"region_key", "library"})
SUGGESTIONS = 25
#: Above every character a skill or name can hold, to turn a prefix into an index range.
_TOP = "\U0010ffff"
_PERSON = f"SELECT {', '.join(PERSON_COLUMNS)} FROM people"


@dataclass(frozen=True)
class Profile:
    """A person with their skills and interests, as a profile shows them."""

    person: Person
    skills: tuple[str, ...]
    interests: tuple[str, ...]
    active_claims: int


async def profile(tx: Tx, person: Person) -> Profile:
    fresh = await persons.get(tx, person.id) or person
    return Profile(
        fresh,
        tuple(await skills(tx, person.id)),
        tuple(await interests(tx, person.id)),
        int(await tx.value("SELECT COUNT(*) FROM claims WHERE person_id = :p AND status = 'active'", {"p": person.id})),
    )


async def by_name(tx: Tx, name: str) -> list[Person]:
    """People whose display name (or a platform account's) is `name`, ignoring case, accents and
    spacing (by the names' keys, `bot/core/names.py`)."""
    rows = await tx.all(
        f"{_PERSON} WHERE name_key = :k OR id IN (SELECT person_id FROM identities WHERE name_key = :k)"
        " ORDER BY signed_up_at IS NULL, id",
        {"k": fold(name)},
    )
    return [person_from(row) for row in rows]


async def sign_up(tx: Tx, person_id: PersonId, now: int) -> None:
    """Sign up, the first time: from then on the person and their skills are counted."""
    if await tx.execute(
        "UPDATE people SET signed_up_at = :now WHERE id = :id AND signed_up_at IS NULL",
        {"now": now, "id": person_id},
    ):
        summaries.people_in(tx, [person_id], (summaries.PEOPLE_GROUPS, summaries.SKILLS))


async def update_profile(tx: Tx, person_id: PersonId, changes: dict[str, str | int | None]) -> None:
    """Set profile columns; the names come from our own code, never from input."""
    if not changes:
        return
    unknown = set(changes) - set(PROFILE_COLUMNS)
    if unknown:
        raise ValueError(f"not profile columns: {sorted(unknown)}")
    assignments = ", ".join(f"{column} = :{column}" for column in changes)
    counted = [summary for summary, columns in ((summaries.PEOPLE_GROUPS, _GROUPED), (summaries.TIE_GROUPS, _TIED))
               if columns & set(changes)]  # fmt: skip
    summaries.people_out(tx, [person_id], counted)
    tx.later(f"UPDATE people SET {assignments} WHERE id = :id", {**changes, "id": person_id})
    summaries.people_in(tx, [person_id], counted)
    if _TIED & set(changes):  # the reach of the person and of everyone they met
        summaries.refresh_people(tx, [person_id, *await summaries.neighbours(tx, [person_id])])


async def set_pause(tx: Tx, person_id: PersonId, paused_at: int | None, until: int | None) -> None:
    await tx.execute(
        "UPDATE people SET paused_at = :a, paused_until = :u WHERE id = :id",
        {"a": paused_at, "u": until, "id": person_id},
    )


async def skills(tx: Tx, person_id: PersonId) -> list[str]:
    rows = await tx.all(
        "SELECT skill FROM person_skills WHERE person_id = :id ORDER BY added_at, skill",
        {"id": person_id},
    )
    return [row["skill"] for row in rows]


_ONE_SKILL = "s.person_id = :p AND s.skill = :s"  # one person's skill, as the skills summary counts it


async def add_skills(tx: Tx, person_id: PersonId, names: Sequence[str], now: int) -> list[str]:
    """Add skills; returns those that were new."""
    added = []
    for name in names:
        changed = await tx.execute(
            "INSERT OR IGNORE INTO person_skills (person_id, skill, added_at) VALUES (:id, :s, :now)",
            {"id": person_id, "s": name, "now": now},
        )
        if changed:
            added.append(name)
            summaries.shift(tx, [summaries.SKILLS], _ONE_SKILL, {"p": person_id, "s": name}, 1)
    return added


async def remove_skill(tx: Tx, person_id: PersonId, name: str) -> bool:
    summaries.shift(tx, [summaries.SKILLS], _ONE_SKILL, {"p": person_id, "s": name}, -1)
    changed = await tx.execute(
        "DELETE FROM person_skills WHERE person_id = :id AND skill = :s",
        {"id": person_id, "s": name},
    )
    return changed > 0


async def skill_counts(tx: Tx) -> list[tuple[str, int]]:
    """Skills in use by signed-up volunteers, most common first: from the summary kept in step with
    every skill added or removed (`summaries.SKILLS`), not a count over every person's skills (90 ms
    at national scale, which `volunteer` and `skills` paid on every use)."""
    rows = await tx.all("SELECT key AS skill, n FROM tallies WHERE name = 'skills' ORDER BY n DESC, key")
    return [(row["skill"], row["n"]) for row in rows]


async def interests(tx: Tx, person_id: PersonId) -> list[str]:
    rows = await tx.all(
        "SELECT interest FROM person_interests WHERE person_id = :id ORDER BY interest",
        {"id": person_id},
    )
    return [row["interest"] for row in rows]


async def set_interests(tx: Tx, person_id: PersonId, names: Sequence[str]) -> None:
    tx.later("DELETE FROM person_interests WHERE person_id = :id", {"id": person_id})
    await tx.executemany(
        "INSERT OR IGNORE INTO person_interests (person_id, interest) VALUES (?, ?)",
        [(person_id, name) for name in names],
    )


async def regions(tx: Tx) -> list[tuple[str, str]]:
    """Regions in use: (display form, key). One index seek per region (a loose index scan), not a
    grouping of every person (77 ms at national scale, which each `profile region:` paid): there
    are dozens of regions and 100,000 people. Any person's display form of a key will do, since it
    is made from the key's words (`normalise_region`)."""
    rows = await tx.all(
        "WITH RECURSIVE keys (k) AS (SELECT MIN(region_key) FROM people"
        " UNION ALL SELECT (SELECT MIN(region_key) FROM people WHERE region_key > keys.k) FROM keys"
        " WHERE keys.k IS NOT NULL)"
        " SELECT (SELECT region FROM people WHERE region_key = keys.k LIMIT 1) AS region, keys.k AS region_key"
        " FROM keys WHERE keys.k IS NOT NULL"
    )
    return [(row["region"], row["region_key"]) for row in rows]


async def region_held_privately(tx: Tx, region_key: str) -> bool:
    """Whether someone whose profile is for leads only gives this region (then naming it is private)."""
    sql = "SELECT EXISTS (SELECT 1 FROM people WHERE region_key = :k AND visibility = 'leads')"
    return bool(await tx.value(sql, {"k": region_key}))


async def complete_members(tx: Tx, typed: str, asker: Asker) -> list[Choice]:
    """People whose name starts with what was typed (any case or accents), alphabetically (by
    their names' keys), with their account on the asker's platform (so it can be filled in as a
    mention)."""
    prefix = fold(typed.lstrip("@")) + (" " if typed[-1:].isspace() and typed.strip("@ ") else "")
    rows = await tx.all(
        "SELECT p.display_name, i.user_id FROM people p"
        " LEFT JOIN identities i ON i.person_id = p.id AND i.platform = :platform"
        " WHERE p.name_key >= :low AND p.name_key < :high ORDER BY p.name_key, p.id LIMIT :limit",
        {"platform": asker.platform, "low": prefix, "high": prefix + _TOP, "limit": SUGGESTIONS},
    )
    return [Choice(row["display_name"], row["display_name"], row["user_id"]) for row in rows]


async def skills_starting(tx: Tx, prefix: str) -> list[tuple[str, int]]:
    """Skills in use that start with `prefix` (skills are stored normalised), most common first."""
    rows = await tx.all(
        "SELECT skill, COUNT(*) AS n FROM person_skills WHERE skill >= :low AND skill < :high"
        " GROUP BY skill ORDER BY n DESC, skill LIMIT :limit",
        {"low": prefix, "high": prefix + _TOP, "limit": SUGGESTIONS},
    )
    return [(row["skill"], row["n"]) for row in rows]
