"""Volunteers and profiles (spec §1): signing up, skills, profile fields, pausing."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.args import MemberRef
from bot.core.errors import Conflict, NotFound, TooLong, UsageError
from bot.core.messages import Role
from bot.core.text import PersonId, fmt
from bot.core.values import normalise_region
from bot.storage import people as store
from bot.storage.db import Tx
from bot.storage.people import Person

MAX_SKILLS = 30
LIBRARY_TYPES = ("public", "academic", "school", "special", "archive", "other")


@dataclass(frozen=True)
class Profile:
    """A person with their skills and interests, as a profile shows them."""

    person: Person
    skills: tuple[str, ...]
    interests: tuple[str, ...]
    active_claims: int


@dataclass(frozen=True)
class SignUp:
    """What `volunteer` did: skills added, those already there, and near-duplicates to consider."""

    first_time: bool
    added: tuple[str, ...]
    already: tuple[str, ...]
    similar: tuple[tuple[str, str], ...]
    profile: Profile


@dataclass(frozen=True)
class ProfileChanges:
    """Fields to set; None means leave alone."""

    tz: str | None = None
    region: str | None = None
    library: str | None = None
    job: str | None = None
    interests: tuple[str, ...] | None = None
    hours: str | None = None
    quiet: tuple[int, int] | None = None
    visibility: str | None = None
    max_claims: int | None = None
    notes: list[str] = field(default_factory=list)


async def profile(tx: Tx, person: Person) -> Profile:
    fresh = await store.get(tx, person.id) or person
    return Profile(
        fresh,
        tuple(await store.skills(tx, person.id)),
        tuple(await store.interests(tx, person.id)),
        int(
            await tx.value(
                "SELECT COUNT(*) FROM claims WHERE person_id = :p AND status = 'active'",
                {"p": person.id},
            )
        ),
    )


async def resolve(tx: Tx, ref: MemberRef, platform: str) -> Person:
    """The person a mention or typed name refers to; a friendly error when none or several."""
    if ref.user_id is not None:
        found = await store.by_identity(tx, ref.platform or platform, ref.user_id)
        if found is not None:
            return found
    text = ref.text.strip()
    bare = text.removeprefix("@")
    for candidate in (text, bare):
        if candidate:
            found = await store.by_identity(tx, platform, candidate)
            if found is not None:
                return found
    matches = await store.by_name(tx, bare) if bare else []
    signed = [p for p in matches if p.signed_up] or matches
    if len(signed) == 1:
        return signed[0]
    if len(signed) > 1:
        raise UsageError(
            fmt(
                "Several members are called {name}. Mention the one you mean (@name).",
                name=bare[:60],
            )
        )
    shown = f"@{bare}" if ref.user_id is not None else text
    raise NotFound(
        fmt("I don't know anyone called {name} yet. They can join with `volunteer <skill>`.", name=shown[:60])
    )


async def similar_skills(tx: Tx, names: Sequence[str], own: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs (new, existing) where a brand-new skill looks like one already in use."""
    in_use = [skill for skill, _ in await store.skill_counts(tx)]
    pairs = []
    for name in names:
        if name in in_use:
            continue
        others = [s for s in in_use if s not in own and s != name]
        close = difflib.get_close_matches(name, others, n=1, cutoff=0.75)
        stem = [
            s
            for s in others
            if len(name) >= 5
            and len(s) >= 5
            and (s.startswith(name[:5]) and (s.startswith(name) or name.startswith(s)))
        ]
        match = close[0] if close else (stem[0] if stem else None)
        if match:
            pairs.append((name, match))
    return pairs


async def volunteer(tx: Tx, person: Person, skills: Sequence[str], now: int) -> SignUp:
    """Sign up (the first time) and add skills."""
    first_time = not person.signed_up
    current = await store.skills(tx, person.id)
    new = [s for s in skills if s not in current]
    if len(current) + len(new) > MAX_SKILLS:
        raise TooLong(
            fmt(
                "A profile can have at most {limit} skills; you have {have}. "
                "Remove some with `unvolunteer <skill>` first.",
                limit=str(MAX_SKILLS),
                have=str(len(current)),
            )
        )
    similar = await similar_skills(tx, new, current)
    await store.sign_up(tx, person.id, now)
    added = await store.add_skills(tx, person.id, new, now)
    return SignUp(
        first_time=first_time,
        added=tuple(added),
        already=tuple(s for s in skills if s in current),
        similar=tuple(similar),
        profile=await profile(tx, person),
    )


async def unvolunteer(tx: Tx, person: Person, skill: str) -> Profile:
    if not await store.remove_skill(tx, person.id, skill):
        have = await store.skills(tx, person.id)
        listed = ", ".join(have) if have else "none yet"
        raise NotFound(fmt("{skill} isn't one of your skills (you have: {have}).", skill=skill, have=listed))
    return await profile(tx, person)


async def region_note(tx: Tx, region_key: str) -> str | None:
    """If a new region looks like one others use, say so; regions group people in `coverage`."""
    known = await store.regions(tx)
    keys = {key: display for display, key in known}
    if region_key in keys:
        return None
    close = difflib.get_close_matches(region_key, list(keys), n=1, cutoff=0.8)
    return keys[close[0]] if close else None


async def update_profile(tx: Tx, person: Person, changes: ProfileChanges) -> list[str]:
    """Apply profile changes; returns notes worth telling the person (a near-duplicate region).

    A new timezone moves everything scheduled in local time with it (the caller reschedules
    check-ins, which needs the clock and config this function does not have).
    """
    columns: dict[str, str | int | None] = {}
    notes = list(changes.notes)
    if changes.tz is not None:
        columns["tz"] = changes.tz
    if changes.region is not None:
        display, key = normalise_region(changes.region)
        if not key:
            raise UsageError(fmt('`region:` is empty. Try `region:"Upper Midwest"`.'))
        similar = await region_note(tx, key)
        if similar:
            notes.append(
                f"Others wrote “{similar}”; if that's the same place, use that spelling so you are counted together."
            )
        columns["region"], columns["region_key"] = display, key
    if changes.library is not None:
        columns["library"] = changes.library
    if changes.job is not None:
        columns["job"] = changes.job
    if changes.hours is not None:
        columns["hours"] = changes.hours
    if changes.quiet is not None:
        columns["quiet_start"], columns["quiet_end"] = changes.quiet
    if changes.visibility is not None:
        columns["visibility"] = changes.visibility
    if changes.max_claims is not None:
        if not 1 <= changes.max_claims <= 50:
            raise UsageError(fmt("`load:` is how many asks you can hold at once, from 1 to 50."))
        columns["max_claims"] = changes.max_claims
    await store.update_profile(tx, person.id, columns)
    if changes.interests is not None:
        if len(changes.interests) > 20:
            raise TooLong(fmt("At most 20 interests, please."))
        await store.set_interests(tx, person.id, changes.interests)
    return notes


def can_see_private(viewer: Person, viewer_role: Role, subject: Person) -> bool:
    """Whether the viewer may see fields the subject keeps for leads only."""
    return viewer.id == subject.id or subject.visibility == "members" or viewer_role >= Role.LEAD


async def pause(tx: Tx, person: Person, until: int | None, now: int) -> None:
    await store.set_pause(tx, person.id, now, until)


async def resume(tx: Tx, person: Person, now: int) -> None:
    if not person.paused(now):
        raise Conflict(fmt("You're not paused. Use `pause` to take a break."))
    await store.set_pause(tx, person.id, None, None)


async def set_role(tx: Tx, target: Person, role: Role) -> Role:
    """Change a stored role; returns the previous one."""
    await store.set_role(tx, target.id, role, "command")
    return target.role


async def names(tx: Tx, ids: Sequence[PersonId]) -> dict[PersonId, str]:
    found = await store.get_many(tx, ids)
    return {pid: person.display_name for pid, person in found.items()}
