"""Everything the to-do area says: `mine` and `snooze`."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.context import Snoozed, SnoozeKind
from bot.core.text import Moment, Rich, fmt
from bot.core.words import plural


def nothing(signed_up: bool) -> Rich:
    if not signed_up:  # the list fills once they have said what they can do
        return fmt("Nothing on your list: you haven't signed up yet. Next: `volunteer <skill>`, "
                   "like `volunteer research`.")  # fmt: skip
    return fmt("Nothing on your list. Next: `asks` to find something to do.")


def paused(until: Moment | None) -> Rich:
    """Atop `mine`: why nothing pings (`until`: a day, or the moment the pause ends)."""
    if until is None:
        return fmt("You're paused: no ask pings, nudges or check-ins. `resume` when you're back.")
    return fmt("You're paused until {when}: no ask pings, nudges or check-ins. Back sooner? `resume`.", when=until)


def find_something() -> Rich:
    return fmt("Next: `asks` to find something to do.")


def snoozed(moved: Snoozed) -> Rich:
    if not moved.ref:  # the one thing of its kind: `checkin`
        day = Moment(moved.until)
        return fmt("Moved {subject} to {day}. Next: `mine` for your list.", subject=moved.subject, day=day)
    return fmt(
        "Snoozed {kind} {ref} ({subject}) until {day}. Next: `mine` for your list.",
        kind=moved.kind,
        ref=moved.ref,
        subject=moved.subject,
        day=Moment(moved.until),
    )


def already_past(moved: Snoozed, thing: str) -> Rich:
    return fmt("{when} is already past: snooze to a later time, like `snooze {thing} 3d` or `snooze {thing} friday`.",
               when=Moment(moved.until), thing=thing)  # fmt: skip


def unknown_thing(thing: str, kinds: Iterable[SnoozeKind]) -> Rich:
    described = ", ".join(f"{plural(kind.name)} (`{kind.example}`)" for kind in kinds)
    return fmt(
        "I can't tell what {thing} is. I can snooze {kinds}; `followups` lists yours. Example: `snooze f7 3d`.",
        thing=thing[:40],
        kinds=fmt(described),
    )
