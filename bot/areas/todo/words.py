"""Everything the to-do area says: `mine` and `snooze`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.context import Snoozed, SnoozeKind
from bot.core.text import Rich, fmt
from bot.core.words import day_text, plural


def nothing() -> Rich:
    return fmt("Nothing on your list. Next: `asks` to find something to do.")


def find_something() -> Rich:
    return fmt("Next: `asks` to find something to do.")


def snoozed(moved: Snoozed, zone: ZoneInfo, now: datetime) -> Rich:
    if not moved.ref:  # the one thing of its kind: `checkin`
        day = day_text(moved.until, zone, now)
        return fmt("Moved {subject} to {day}. Next: `mine` for your list.", subject=moved.subject, day=day)
    return fmt(
        "Snoozed {kind} {ref} ({subject}) until {day}. Next: `mine` for your list.",
        kind=moved.kind,
        ref=moved.ref,
        subject=moved.subject,
        day=day_text(moved.until, zone, now),
    )


def unknown_thing(thing: str, kinds: Iterable[SnoozeKind]) -> Rich:
    described = ", ".join(f"{plural(kind.name)} (`{kind.example}`)" for kind in kinds)
    return fmt(
        "I can't tell what {thing} is. I can snooze {kinds}; `followups` lists yours. Example: `snooze f7 3d`.",
        thing=thing[:40],
        kinds=fmt(described),
    )
