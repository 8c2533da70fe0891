"""Everything the people area says: sign-up, profiles, skills, pauses, and who is who."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.areas.people.queries import Profile
from bot.core.text import Moment, Rich, fmt, join, lines, private
from bot.storage.persons import Person
from bot.zones import Quiet

PROFILE_FIELDS = ("tz", "region", "library", "role", "interests", "hours", "quiet", "visibility", "load")


# --- replies --------------------------------------------------------------------------------


def welcome(name: str) -> Rich:
    return fmt("Welcome aboard, {name}! You're signed up.", name=name)


def added(skills: Sequence[str]) -> Rich:
    return fmt("Added: {skills}.", skills=", ".join(skills))


def already(skills: Sequence[str]) -> Rich:
    return fmt("Already on your profile: {skills}.", skills=", ".join(skills))


def similar_skill(new: str, existing: str) -> Rich:
    return fmt(
        "Others use `{existing}`; if you meant that, `unvolunteer {new}` then `volunteer {existing}`.",
        new=new,
        existing=existing,
    )


def your_skills(skills: Sequence[str]) -> Rich:
    return fmt("Your skills: {skills}.", skills=", ".join(skills))


def tell_me_your_zone() -> Rich:
    return fmt("Next: tell me your timezone, e.g. `profile tz:America/Chicago` (or your city).")


def nothing_matches_yet() -> Rich:
    return fmt("No open asks match yet; I'll tell you privately when one does. Next: `profile` to fill in the rest.")


def change_a_field() -> Rich:
    return fmt(
        'Change a field with `profile region:"Upper Midwest"` (fields: {fields}).', fields=", ".join(PROFILE_FIELDS)
    )


def saved(fields: Sequence[str]) -> Rich:
    return fmt("Saved {fields}.", fields=", ".join(fields))


def note(text: str) -> Rich:
    return fmt("{note}", note=text)


def region_like(similar: str) -> str:
    return f"Others wrote “{similar}”; if that's the same place, use that spelling so you are counted together."


def next_asks() -> Rich:
    return fmt("Next: `asks` to see what needs doing.")


def next_sign_up() -> Rich:
    """After a profile is set by someone who has not signed up: what makes them a volunteer."""
    return fmt("Next: `volunteer <your skills>` to sign up, like `volunteer research writing`.")


def removed(skill: str, remaining: Sequence[str]) -> Rich:
    return fmt(
        "Removed {skill}. Your skills: {remaining}. Add one with `volunteer <skill>`.",
        skill=skill,
        remaining=", ".join(remaining) or "none",
    )


def not_signed_up(name: str) -> Rich:
    return fmt("{name} hasn't signed up as a volunteer yet. They can join with `volunteer <skill>`.", name=name)


def whois_next() -> Rich:
    return fmt("Next: `intro` them to someone, or `asks` to work together.")


def no_skills_yet() -> Rich:
    return fmt("No skills yet. Be the first: `volunteer research`.")


def skills_in_use(counts: Sequence[tuple[str, int]], shown: int) -> Rich:
    listed = join((fmt("{skill} ({n})", skill=s, n=str(n)) for s, n in counts[:shown]), ", ")
    more = f" …and {len(counts) - shown} more." if len(counts) > shown else ""
    return lines(
        fmt("Skills in use:"),
        listed + fmt(more),
        fmt("Next: `volunteer <skill>` to add yours, or `asks <skill>` to see work."),
    )


def paused_until(ts: int, day_in: str | None, *, hidden: bool = False) -> Rich:
    """Paused until a time, or until a day (`day_in` the zone it was given in; `hidden`: the
    speaker's own zone, which their leads-only profile keeps from others)."""
    day = Moment(ts, "day", day_in) if day_in else Moment(ts)
    return fmt(
        "Paused until {day}: no ask pings, nudges or check-ins till then. Your claims stay. Back sooner? `resume`.",
        day=private(day) if hidden else day,
    )


def paused() -> Rich:
    return fmt("Paused: no ask pings, nudges or check-ins. Your claims stay. `resume` when you're back.")


def welcome_back() -> Rich:
    return fmt("Welcome back! Next: `mine` for your list, or `asks` for what's open.")


def field(person: Person, value: str) -> Rich:
    """A profile field as text: private when the person keeps their profile for leads only."""
    return private(value) if person.visibility == "leads" else fmt("{v}", v=value)


def summary(profile: Profile) -> Rich:
    """One line: skills, zone, region and library, for replies that confirm a change."""
    person = profile.person
    parts: list[Rich] = [fmt("{s}", s=", ".join(profile.skills) or "no skills yet")]
    parts += [field(person, value) for value in (person.tz, person.region) if value]
    if person.library:
        parts.append(field(person, f"{person.library} library"))
    return fmt("Your profile: {parts}.", parts=join(parts, " · "))


def quiet_text(start: int | None, end: int | None, default: Quiet) -> str:
    if start is None or end is None:
        return f"{default.describe()} (default)"
    return Quiet(start, end).describe()


@dataclass(frozen=True)
class Pause:
    """A pause as its person reads it: `until` a day or moment, or None until they `resume`."""

    until: Moment | None


def profile_lines(profile: Profile, default_quiet: Quiet, full: bool, pause: Pause | None = None) -> Rich:
    """A profile; `full` false shows only what any member may see of a leads-only profile; `pause`
    the person's pause, if they are paused now (`rules.pause_of`)."""
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
        rows.append(join((fmt("{k}: {v}", k=k, v=field(person, v)) for k, v in group), " · "))
    if pause is not None:
        rows.append(fmt("Paused until {when}.", when=pause.until) if pause.until else fmt("Paused."))
    return lines(*rows)


# --- refusals -------------------------------------------------------------------------------


def several_called(name: str) -> Rich:
    return fmt("Several members are called {name}. Mention the one you mean (@name).", name=name[:60])


def nobody_called(name: str) -> Rich:
    return fmt("I don't know anyone called {name} yet. They can join with `volunteer <skill>`.", name=name[:60])


def too_many_skills(limit: int, have: int) -> Rich:
    return fmt(
        "A profile can have at most {limit} skills; you have {have}. Remove some with `unvolunteer <skill>` first.",
        limit=str(limit),
        have=str(have),
    )


def not_your_skill(skill: str, have: Sequence[str]) -> Rich:
    if not have:
        return fmt("{skill} isn't one of your skills (you have: none yet). Add one with `volunteer <skill>`.",
                   skill=skill)  # fmt: skip
    return fmt("{skill} isn't one of your skills (you have: {have}). Name one of those, like `unvolunteer {first}`.",
               skill=skill, have=", ".join(have), first=have[0])  # fmt: skip


def empty_region() -> Rich:
    return fmt('`region:` is empty. Try `region:"Upper Midwest"`.')


def too_many_interests() -> Rich:
    return fmt("A profile can have at most 20 interests. Leave some out and try again.")


def pause_over() -> Rich:
    return fmt("That pause would be over already. Say how long, like `pause 2 weeks`, or `pause` until you `resume`.")


def not_paused() -> Rich:
    return fmt("You're not paused. Use `pause` to take a break.")
