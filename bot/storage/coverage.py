"""Counts of signed-up volunteers by region, library type and skill."""

from __future__ import annotations

from bot.storage.db import Tx


async def by_region_and_library(tx: Tx) -> list[tuple[str | None, str | None, int]]:
    """(region as shown, library type, volunteers); NULL where people have not said."""
    rows = await tx.all(
        "SELECT MAX(region) AS region, library, COUNT(*) AS n FROM people"
        " WHERE signed_up_at IS NOT NULL GROUP BY region_key, library"
    )
    return [(row["region"], row["library"], row["n"]) for row in rows]


async def by_skill(tx: Tx) -> list[tuple[str, int]]:
    rows = await tx.all(
        "SELECT s.skill, COUNT(*) AS n FROM person_skills s JOIN people p ON p.id = s.person_id"
        " WHERE p.signed_up_at IS NOT NULL GROUP BY s.skill ORDER BY n, s.skill"
    )
    return [(row["skill"], row["n"]) for row in rows]


async def skills_wanted(tx: Tx) -> list[tuple[str, int]]:
    """Skills open asks need, with how many open asks need each."""
    rows = await tx.all(
        "SELECT skill, COUNT(*) AS n FROM asks WHERE status = 'open' AND skill IS NOT NULL GROUP BY skill"
    )
    return [(row["skill"], row["n"]) for row in rows]
