"""Volunteers and profiles (spec §1): signing up, skills, profile fields, pausing, who is who."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from bot.areas.people import queries, words
from bot.areas.people.queries import Profile
from bot.areas.people.words import Pause
from bot.config import Config
from bot.core.errors import Conflict, NotFound, TooLong, UsageError
from bot.core.params import MemberRef
from bot.core.text import Moment
from bot.core.timing import Reader, person_zone
from bot.core.values import normalise_region, region_zone
from bot.ids import Role
from bot.storage import persons
from bot.storage.db import Tx
from bot.storage.persons import Person

MAX_SKILLS = 30
MAX_INTERESTS = 20
LIBRARY_TYPES = ("public", "academic", "school", "special", "archive", "other")
#: Words people use for a library type: a form's `University`, a profile's `law library`.
LIBRARY_WORDS = {
    "public": "public", "academic": "academic", "university": "academic", "univ": "academic", "uni": "academic",
    "college": "academic",
    "school": "school", "special": "special", "law": "special", "medical": "special", "corporate": "special",
    "government": "special", "archive": "archive", "archives": "archive", "museum": "archive", "other": "other",
}  # fmt: skip
#: A profile column as a person reads its name ("I filled in your region and timezone").
FILLED = {"job": "role", "tz": "timezone"}


def library_kind(text: str) -> str | None:
    """The library type words name (`Public library`, `University`, `law library`); None if none."""
    for word in re.findall(r"[a-z]+", text.casefold()):
        if word in LIBRARY_WORDS:
            return LIBRARY_WORDS[word]
    return None


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
    quiet: tuple[int, int] | tuple[None, None] | None = None  # (None, None): the network's default
    visibility: str | None = None
    max_claims: int | None = None
    notes: list[str] = field(default_factory=list)


async def resolve(tx: Tx, ref: MemberRef, platform: str) -> Person:
    """The person a mention or typed name refers to; a friendly error when none or several."""
    if ref.user_id is not None:
        found = await persons.by_identity(tx, ref.platform or platform, ref.user_id)
        if found is not None:
            return found
    text = ref.text.strip()
    bare = text.removeprefix("@")
    for candidate in (text, bare):
        if candidate:
            found = await persons.by_identity(tx, platform, candidate)
            if found is not None:
                return found
    matches = await queries.by_name(tx, bare) if bare else []
    signed = [p for p in matches if p.signed_up] or matches
    if len(signed) > 1:  # René and Rene both match `rene`; `René` means René
        signed = [p for p in signed if p.display_name == bare] or signed
    if len(signed) == 1:
        return signed[0]
    if len(signed) > 1:
        raise UsageError(words.several_called(bare))
    raise NotFound(words.nobody_called(f"@{bare}" if ref.user_id is not None else text))


#: Words that name the speaker where a member is expected, typed rather than a mention.
ME = frozenset({"me", "myself"})


async def member_or_me(tx: Tx, speaker: Person, ref: MemberRef, platform: str) -> Person:
    """The member `ref` names (`resolve`), or the speaker for `me` (`intro me @bob`, `met me`)."""
    if ref.user_id is None and ref.text.strip().lower() in ME:
        return speaker
    return await resolve(tx, ref, platform)


async def similar_skills(tx: Tx, names: Sequence[str], own: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs (new, existing) where a brand-new skill looks like one already in use."""
    in_use = [skill for skill, _ in await queries.skill_counts(tx)]
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


async def nearest_in_use(tx: Tx, kind: str, text: str) -> str | None:
    """A skill or region (`kind`) in use that `text` looks like a typo of, for a hint when what a
    lead typed reaches nobody; None when `text` itself is in use or nothing is close."""
    if kind == "skill":
        pairs = await similar_skills(tx, [text], ())
        return pairs[0][1] if pairs else None
    return await region_note(tx, normalise_region(text)[1])


async def volunteer(tx: Tx, person: Person, skills: Sequence[str], now: int) -> SignUp:
    """Sign up (the first time) and add skills."""
    first_time = not person.signed_up
    current = await queries.skills(tx, person.id)
    new = [s for s in skills if s not in current]
    if len(current) + len(new) > MAX_SKILLS:
        raise TooLong(words.too_many_skills(MAX_SKILLS, len(current)))
    similar = await similar_skills(tx, new, current)
    await queries.sign_up(tx, person.id, now)
    added = await queries.add_skills(tx, person.id, new, now)
    return SignUp(
        first_time=first_time,
        added=tuple(added),
        already=tuple(s for s in skills if s in current),
        similar=tuple(similar),
        profile=await queries.profile(tx, person),
    )


async def unvolunteer(tx: Tx, person: Person, skill: str) -> Profile:
    if not await queries.remove_skill(tx, person.id, skill):
        raise NotFound(words.not_your_skill(skill, await queries.skills(tx, person.id)))
    return await queries.profile(tx, person)


async def region_note(tx: Tx, region_key: str) -> str | None:
    """If a new region looks like one others use, that one; regions group people in `coverage`.
    Only a region no leads-only profile holds is named (as `coverage` counts a region private
    when one does): the hint goes wherever the command was typed, a channel too."""
    keys = {key: display for display, key in await queries.regions(tx)}
    if region_key in keys:
        return None
    for close in difflib.get_close_matches(region_key, list(keys), n=3, cutoff=0.8):
        if not await queries.region_held_privately(tx, close):
            return keys[close]
    return None


async def update_profile(tx: Tx, person: Person, changes: ProfileChanges) -> list[str]:
    """Apply profile changes; returns notes worth telling the person (a near-duplicate region).

    A new timezone moves everything scheduled in local time with it (the command runs the
    areas' `zone_changed` hooks).
    """
    columns: dict[str, str | int | None] = {}
    notes = list(changes.notes)
    if changes.tz is not None:
        columns["tz"] = changes.tz
    if changes.region is not None:
        display, key = normalise_region(changes.region)
        if not key:
            raise UsageError(words.empty_region())
        similar = await region_note(tx, key)
        if similar:
            notes.append(words.region_like(similar))
        columns["region"], columns["region_key"] = display, key
    for name in ("library", "job", "hours", "visibility"):
        value = getattr(changes, name)
        if value is not None:
            columns[name] = value
    if changes.quiet is not None:
        columns["quiet_start"], columns["quiet_end"] = changes.quiet
    if changes.max_claims is not None:
        columns["max_claims"] = changes.max_claims
    await queries.update_profile(tx, person.id, columns)
    if changes.interests is not None:
        if len(changes.interests) > MAX_INTERESTS:
            raise TooLong(words.too_many_interests())
        await queries.set_interests(tx, person.id, changes.interests)
    return notes


async def fill_empty(
    tx: Tx, person: Person, *, region: str | None, library: str | None, job: str | None, skills: Sequence[str], now: int
) -> tuple[str, ...]:
    """Fill the profile fields a person has left empty (from their signature, `iam`); skills only
    when they have none, the time zone from a region that has one (`Ohio`). Returns the names of
    the fields filled, as a person calls them; what they set stays theirs."""
    columns: dict[str, str | int | None] = {}
    if region and not person.region:
        columns["region"], columns["region_key"] = normalise_region(region)
    if region and not person.tz and (zone := region_zone(region)) is not None:
        columns["tz"] = zone  # (Ohio: Eastern time; a state that spans zones says none)
    if library in LIBRARY_TYPES and not person.library:
        columns["library"] = library
    if job and not person.job:
        columns["job"] = job
    await queries.update_profile(tx, person.id, columns)
    filled = [FILLED.get(name, name) for name in columns if name != "region_key"]
    if skills and not await queries.skills(tx, person.id):
        await queries.add_skills(tx, person.id, list(dict.fromkeys(skills))[:MAX_SKILLS], now)
        filled.append("skills")
    return tuple(filled)


def can_see_private(viewer: Person, viewer_role: Role, subject: Person) -> bool:
    """Whether the viewer may see fields the subject keeps for leads only."""
    return viewer.id == subject.id or subject.visibility == "members" or viewer_role >= Role.LEAD


async def pause(tx: Tx, person: Person, until: int | None, now: int) -> None:
    """Pause, until a moment or (None) until `resume`. A pause that would already be over (`pause
    0d`, `pause today`: from the start of today) is refused: "Paused until" it, and not paused."""
    if until is not None and until <= now:
        raise UsageError(words.pause_over())
    await queries.set_pause(tx, person.id, now, until)


def pause_of(person: Person, now: int, config: Config) -> Pause | None:
    """The person's pause, or None when they are not paused (a pause that has run out is over,
    though its record stays until the next `pause`). A pause until a day ends as that day begins
    in their zone, and reads as that day, as `pause` said it (`until Fri 11 Dec`, with their zone
    named to a lead elsewhere whose date differs: a leads-only profile's zone makes the day private,
    so what shows it goes privately); any other end as its moment."""
    if not person.paused(now):
        return None
    until, zone = person.paused_until, person_zone(person, config)
    if until is None:
        return Pause(None)
    day = datetime.fromtimestamp(until, zone).time() == time(0)
    return Pause(Moment(until, "day", zone.key, Reader.of(person, config).hidden) if day else Moment(until))


async def resume(tx: Tx, person: Person, now: int) -> None:
    if not person.paused(now):
        raise Conflict(words.not_paused())
    await queries.set_pause(tx, person.id, None, None)
