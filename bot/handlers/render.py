"""Shared pieces of reply text: dates in the reader's zone, ask lines, profile summaries."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import from_ts
from bot.core.text import Plain, Rich, Strong, fmt, join, lines
from bot.features.people import Profile
from bot.storage.accounts import FORMER
from bot.storage.asks import Ask
from bot.zones import Quiet


def someone(name: str | None) -> str:
    """A person's name, or how someone who used `forget me` is shown everywhere (`accounts.FORMER`)."""
    return name or FORMER


def day_text(ts: int, zone: ZoneInfo, now: datetime) -> str:
    """`Fri 27 Nov`, with the year when it is not this year, and the time when it matters."""
    local = from_ts(ts).astimezone(zone)
    text = f"{local:%a} {local.day} {local:%b}"
    if local.year != now.astimezone(zone).year:
        text += f" {local.year}"
    if (local.hour, local.minute, local.second) not in {(23, 59, 59), (0, 0, 0)}:
        text += f" {local:%H:%M}"
    return text


def date_text(ts: int, zone: ZoneInfo, now: datetime) -> str:
    """`Mon 23 Nov`: the day only, when the time of day does not matter."""
    local = from_ts(ts).astimezone(zone)
    text = f"{local:%a} {local.day} {local:%b}"
    return text if local.year == now.astimezone(zone).year else f"{text} {local.year}"


def ask_line(ask: Ask, zone: ZoneInfo, now: datetime) -> Rich:
    """One line per ask: id, title, skill, slots, due date.

    Built directly rather than through `fmt`: listings render many of these, and every part after
    the id is plain text (escaped by each platform's renderer like any other).
    """
    parts = [ask.title]
    if ask.skill:
        parts.append(ask.skill)
    parts.append(f"{ask.taken}/{ask.need} taken")
    if ask.due_at is not None:
        parts.append(f"due {day_text(ask.due_at, zone, now)}")
    if ask.status != "open":
        parts.append("done" if ask.status == "done" else "closed")
    return (Strong(str(ask.id)), Plain(" " + " · ".join(parts)))


def quiet_text(start: int | None, end: int | None, default: Quiet) -> str:
    if start is None or end is None:
        return f"{default.describe()} (default)"
    return Quiet(start, end).describe()


def summary(profile: Profile) -> Rich:
    """One line: skills, zone, region and library, for replies that confirm a change."""
    person = profile.person
    parts = [", ".join(profile.skills) or "no skills yet"]
    parts += [value for value in (person.tz, person.region) if value]
    if person.library:
        parts.append(f"{person.library} library")
    return fmt("Your profile: {parts}.", parts=" · ".join(parts))


def profile_lines(profile: Profile, default_quiet: Quiet, full: bool) -> Rich:
    """A profile; `full` false shows only what any member may see of a leads-only profile."""
    person = profile.person
    skills = ", ".join(profile.skills) or "none yet"
    rows: list[Rich] = [fmt("**{name}** · skills: {skills}", name=person.display_name, skills=skills)]
    if not full:
        rows.append(fmt("(The rest of this profile is visible to leads only.)"))
        return lines(*rows)
    groups = [
        [("timezone", person.tz or "not set"), ("region", person.region or "not set"),
         ("library", person.library or "not set")],
        [("role", person.job or "not set"), ("interests", ", ".join(profile.interests) or "none"),
         ("hours", person.hours or "not set")],
        [("quiet hours", quiet_text(person.quiet_start, person.quiet_end, default_quiet)),
         ("load", str(person.max_claims or "default")), ("visible to", person.visibility)],
    ]  # fmt: skip
    for group in groups:
        rows.append(join((fmt("{k}: {v}", k=k, v=v) for k, v in group), " · "))
    if person.paused_at is not None:
        rows.append(fmt("Paused."))
    return lines(*rows)
