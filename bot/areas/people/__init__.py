"""People (spec §1): signing up, profiles, skills, pauses, and finding a member by name.

Other areas use `resolve` (a mention or a typed name → a person), the `member()` and `skills()`
argument types, `LIBRARY_TYPES` and `library_kind` (the type words name), `fill_empty` (a profile
filled from a signature), `pause_of` (a pause as its person reads it), and `nearest_in_use` (the
skill or region a typo was meant to be).
"""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.people.commands import people
from bot.areas.people.params import member, skills
from bot.areas.people.queries import Profile, profile
from bot.areas.people.rules import (
    LIBRARY_TYPES,
    LIBRARY_WORDS,
    can_see_private,
    fill_empty,
    library_kind,
    member_or_me,
    nearest_in_use,
    pause_of,
    resolve,
)  # fmt: skip

AREA = Area("people", commands=people.commands)

__all__ = [
    "AREA", "LIBRARY_TYPES", "LIBRARY_WORDS", "Profile", "can_see_private", "fill_empty", "library_kind", "member",
    "member_or_me", "nearest_in_use", "pause_of", "profile", "resolve", "skills",
]  # fmt: skip
