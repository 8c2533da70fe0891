"""Read-only lookups for suggestions while someone is still typing (Discord autocomplete).

Each is one indexed query with a small limit: they run on every keystroke, so they must stay
cheap at 100,000 volunteers and 10,000 open asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.db import Tx

#: Above every character a skill or name can hold, to turn a prefix into an index range.
_TOP = "\U0010ffff"


@dataclass(frozen=True)
class AskHint:
    id: int
    title: str


@dataclass(frozen=True)
class SkillHint:
    skill: str
    volunteers: int


@dataclass(frozen=True)
class MemberHint:
    """A person, with their account on the platform asking (None if they have none there)."""

    name: str
    user_id: str | None


@dataclass(frozen=True)
class IntroHint:
    id: int
    other: str | None  # the other member; None for an intro to an outside contact


@dataclass(frozen=True)
class ContactHint:
    id: int
    name: str


def _like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (with `ESCAPE '\\'`)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def open_asks(tx: Tx, typed: str, limit: int) -> list[AskHint]:
    """Open asks, newest first, whose number starts with `typed` or whose title contains it."""
    pattern = _like(typed)
    rows = await tx.all(
        "SELECT id, title FROM asks WHERE status = 'open'"
        " AND (CAST(id AS TEXT) LIKE :prefix ESCAPE '\\' OR title LIKE :inside ESCAPE '\\')"
        " ORDER BY id DESC LIMIT :limit",
        {"prefix": f"{pattern}%", "inside": f"%{pattern}%", "limit": limit},
    )
    return [AskHint(row["id"], row["title"]) for row in rows]


async def skills(tx: Tx, prefix: str, limit: int) -> list[SkillHint]:
    """Skills in use that start with `prefix` (skills are stored normalised, lower case), most
    common first."""
    rows = await tx.all(
        "SELECT skill, COUNT(*) AS n FROM person_skills WHERE skill >= :low AND skill < :high"
        " GROUP BY skill ORDER BY n DESC, skill LIMIT :limit",
        {"low": prefix, "high": prefix + _TOP, "limit": limit},
    )
    return [SkillHint(row["skill"], row["n"]) for row in rows]


async def members(tx: Tx, platform: str, prefix: str, limit: int) -> list[MemberHint]:
    """People whose name starts with `prefix` (any case), alphabetically."""
    rows = await tx.all(
        "SELECT p.display_name, i.user_id FROM people p"
        " LEFT JOIN identities i ON i.person_id = p.id AND i.platform = :platform"
        " WHERE p.display_name >= :low COLLATE NOCASE AND p.display_name < :high COLLATE NOCASE"
        " ORDER BY p.display_name COLLATE NOCASE, p.id LIMIT :limit",
        {"platform": platform, "low": prefix, "high": prefix + _TOP, "limit": limit},
    )
    return [MemberHint(row["display_name"], row["user_id"]) for row in rows]


async def intros_waiting(tx: Tx, platform: str, user_id: str, typed: str, limit: int) -> list[IntroHint]:
    """Intros waiting for this account's answer, newest first, by number prefix."""
    rows = await tx.all(
        "SELECT i.id, CASE WHEN i.a_id = me.person_id THEN b.display_name ELSE a.display_name END AS other"
        " FROM identities me"
        " JOIN intros i ON (i.a_id = me.person_id AND i.a_answer = 'pending')"
        "  OR (i.b_id = me.person_id AND i.b_answer = 'pending')"
        " JOIN people a ON a.id = i.a_id LEFT JOIN people b ON b.id = i.b_id"
        " WHERE me.platform = :platform AND me.user_id = :user AND i.status = 'pending'"
        " AND CAST(i.id AS TEXT) LIKE :prefix ESCAPE '\\' ORDER BY i.id DESC LIMIT :limit",
        {"platform": platform, "user": user_id, "prefix": f"{_like(typed)}%", "limit": limit},
    )
    return [IntroHint(row["id"], row["other"]) for row in rows]


async def own_contacts(tx: Tx, platform: str, user_id: str, typed: str, limit: int) -> list[ContactHint]:
    """This account's own contacts, newest first, by number prefix or a word of name, org or
    interests."""
    rows = await tx.all(
        "SELECT c.id, c.name FROM identities me JOIN contacts c ON c.owner_id = me.person_id"
        " WHERE me.platform = :platform AND me.user_id = :user"
        " AND (CAST(c.id AS TEXT) LIKE :prefix ESCAPE '\\' OR c.search LIKE :inside ESCAPE '\\')"
        " ORDER BY c.id DESC LIMIT :limit",
        {
            "platform": platform,
            "user": user_id,
            "prefix": f"{_like(typed)}%",
            "inside": f"%{_like(typed.lower())}%",
            "limit": limit,
        },
    )
    return [ContactHint(row["id"], row["name"]) for row in rows]
