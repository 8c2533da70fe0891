"""Argument types other areas share: a member (with name completion) and skills (completed from
the skills in use), exported by the area's package; and the end of a pause."""

from __future__ import annotations

import re

from bot.areas.people import queries
from bot.core.dates import When, parse_when
from bot.core.kinds import Date, Member, Skills
from bot.core.params import ArgType, Asker, Choice, Completer, Converting, Param
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


#: What people say for a pause with no end (`pause indefinitely`, `pause until further notice`):
#: a pause until `resume`, as `pause` alone is.
OPEN_ENDED = frozenset({
    "indefinitely", "forever", "further notice", "now", "the time being", "resume", "i resume", "im back",
    "i am back", "i'm back", "i return", "i come back", "i say so", "i say otherwise",
})  # fmt: skip
_LEADING = re.compile(r"^(?:until|till|til|for)\s+")


class PauseEnd(ArgType[When | None]):
    """When a pause ends: a date, as `Date` reads it, or (None) no end, in words people use."""

    label = Date.label
    shows_usage = Date.shows_usage
    multiword = Date.multiword
    zoned = Date.zoned

    def continues(self, word: str, value: str) -> bool:
        return Date().continues(word, value)

    async def parse(self, text: str, param: Param[When | None], call: Converting) -> When | None:
        said = _LEADING.sub("", " ".join(text.casefold().replace("’", "'").split()).strip(" .!"))
        if said in OPEN_ENDED:
            return None
        return parse_when(text, call.zone, call.now)
