"""Argument types other areas share: a member (with name completion) and skills (completed from
the skills in use). Exported by the area's package."""

from __future__ import annotations

from bot.areas.people import queries
from bot.core.kinds import Member, Skills
from bot.core.params import Asker, Choice, Completer
from bot.core.values import normalise_skill
from bot.storage.db import Tx

MAX_CHOICE_TEXT = 100
SKILL_MAX = 40


def member() -> Member:
    """A member argument, completed from names while someone types."""
    return Member(complete=queries.complete_members)


def skills(max_items: int = 1) -> Skills:
    """A skills argument (at most `max_items`), completed from the skills in use."""
    return Skills(max_len=SKILL_MAX, max_items=max_items, complete=_complete_skills(max_items > 1))


def _complete_skills(multi: bool) -> Completer:
    async def complete(tx: Tx, typed: str, asker: Asker) -> list[Choice]:
        # Several skills in one option: complete the last word, keep the ones before it.
        head, _, last = typed.rpartition(" ") if multi else ("", "", typed)
        lead = " ".join(head.split()) + " " if head.strip() else ""
        found = await queries.skills_starting(tx, normalise_skill(last))
        return [
            Choice(f"{lead}{skill} ({n})", lead + skill) for skill, n in found if len(lead + skill) <= MAX_CHOICE_TEXT
        ]

    return complete
