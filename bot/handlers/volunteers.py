"""Handlers for volunteers and profiles (spec §1)."""

from __future__ import annotations

from datetime import time

from bot.clock import to_ts
from bot.core.args import Args
from bot.core.commands import Arg, Command, Kind, Section
from bot.core.context import Context
from bot.core.messages import Reply
from bot.core.text import Rich, fmt, join, lines
from bot.features import asks as asks_feature
from bot.features import checkins, people
from bot.features.people import LIBRARY_TYPES, MAX_SKILLS, ProfileChanges
from bot.handlers.render import ask_line, day_text, profile_lines, summary
from bot.storage import people as store

PROFILE_FIELDS = (
    "tz",
    "region",
    "library",
    "role",
    "interests",
    "hours",
    "quiet",
    "visibility",
    "load",
)


async def volunteer(ctx: Context, args: Args) -> Reply:
    result = await people.volunteer(ctx.tx, ctx.speaker, args.words("skill"), ctx.ts)
    rows: list[Rich] = []
    if result.first_time:
        rows.append(fmt("Welcome aboard, {name}! You're signed up.", name=ctx.speaker.display_name))
    if result.added:
        rows.append(fmt("Added: {skills}.", skills=", ".join(result.added)))
    if result.already:
        rows.append(fmt("Already on your profile: {skills}.", skills=", ".join(result.already)))
    for new, existing in result.similar:
        rows.append(
            fmt(
                "Others use `{existing}`; if you meant that, `unvolunteer {new}` then `volunteer {existing}`.",
                new=new,
                existing=existing,
            )
        )
    rows.append(fmt("Your skills: {skills}.", skills=", ".join(result.profile.skills)))
    if any((result.profile.person.tz, result.profile.person.region, result.profile.person.library)):
        rows.append(summary(result.profile))
    matches = await asks_feature.suggestions(ctx.tx, ctx.speaker)
    if matches:
        rows.append(fmt("Open asks for you:"))
        rows.extend(ask_line(ask, ctx.zone, ctx.now) for ask in matches)
    if result.profile.person.tz is None:
        rows.append(fmt("Next: tell me your timezone, e.g. `profile tz:America/Chicago` (or your city)."))
    elif matches:
        rows.append(fmt("Next: `claim {id}` to take one on.", id=str(matches[0].id)))
    else:
        rows.append(
            fmt("No open asks match yet; I'll tell you privately when one does. Next: `profile` to fill in the rest.")
        )
    return Reply(lines(*rows))


async def show_profile(ctx: Context, args: Args) -> Reply:
    if args.given():
        return await set_profile(ctx, args)
    profile = await people.profile(ctx.tx, ctx.speaker)
    text = lines(
        profile_lines(profile, ctx.config.quiet_hours.window(), full=True),
        fmt(
            'Change a field with `profile region:"Upper Midwest"` (fields: {fields}).',
            fields=", ".join(PROFILE_FIELDS),
        ),
    )
    return Reply(text, sensitive=profile.person.visibility == "leads")


async def set_profile(ctx: Context, args: Args) -> Reply:
    zone = args.zone("tz")
    quiet = args.quiet("quiet")
    changes = ProfileChanges(
        tz=zone.name if zone else None,
        region=args.opt_text("region"),
        library=args.opt_text("library"),
        job=args.opt_text("role"),
        interests=args.words("interests") if "interests" in args else None,
        hours=args.opt_text("hours"),
        quiet=(quiet.start, quiet.end) if quiet else None,
        visibility=args.opt_text("visibility"),
        max_claims=args.opt_number("load"),
        notes=[zone.note] if zone and zone.note else [],
    )
    notes = await people.update_profile(ctx.tx, ctx.speaker, changes)
    if changes.tz is not None:
        await checkins.reschedule(ctx.tx, ctx.speaker.id, ctx.now, ctx.config)
    profile = await people.profile(ctx.tx, ctx.speaker)
    rows: list[Rich] = [fmt("Saved {fields}.", fields=", ".join(args.given()))]
    rows.extend(fmt("{note}", note=note) for note in notes)
    rows.append(profile_lines(profile, ctx.config.quiet_hours.window(), full=True))
    rows.append(fmt("Next: `asks` to see what needs doing."))
    return Reply(lines(*rows), sensitive=profile.person.visibility == "leads")


async def unvolunteer(ctx: Context, args: Args) -> Reply:
    skill = args.words("skill")[0]
    profile = await people.unvolunteer(ctx.tx, ctx.speaker, skill)
    remaining = ", ".join(profile.skills) or "none"
    return Reply(
        fmt(
            "Removed {skill}. Your skills: {remaining}. Add one with `volunteer <skill>`.",
            skill=skill,
            remaining=remaining,
        )
    )


async def whois(ctx: Context, args: Args) -> Reply:
    subject = await people.resolve(ctx.tx, args.member("member"), ctx.incoming.platform)
    profile = await people.profile(ctx.tx, subject)
    full = people.can_see_private(ctx.speaker, ctx.role, subject)
    if not subject.signed_up:
        return Reply(fmt("{name} hasn't signed up as a volunteer yet.", name=subject.display_name))
    text = lines(
        profile_lines(profile, ctx.config.quiet_hours.window(), full=full),
        fmt("Next: `intro` them to someone, or `asks` to work together."),
    )
    return Reply(text, sensitive=full and subject.visibility == "leads")


async def skills(ctx: Context, args: Args) -> Reply:
    counts = await store.skill_counts(ctx.tx)
    if not counts:
        return Reply(fmt("No skills yet. Be the first: `volunteer research`."))
    shown = counts[:40]
    listed = join((fmt("{skill} ({n})", skill=s, n=str(n)) for s, n in shown), ", ")
    more = f" …and {len(counts) - len(shown)} more." if len(counts) > len(shown) else ""
    return Reply(
        lines(
            fmt("Skills in use:"),
            listed + fmt(more),
            fmt("Next: `volunteer <skill>` to add yours, or `asks <skill>` to see work."),
        )
    )


async def pause(ctx: Context, args: Args) -> Reply:
    until = args.opt_when("until")
    until_ts = to_ts(until.moment(time(0))) if until else None
    await people.pause(ctx.tx, ctx.speaker, until_ts, ctx.ts)
    if until_ts is not None:
        text = fmt(
            "Paused until {day}: no ask pings, nudges or check-ins till then. Your claims stay. Back sooner? `resume`.",
            day=day_text(until_ts, ctx.zone, ctx.now),
        )
    else:
        text = fmt("Paused: no ask pings, nudges or check-ins. Your claims stay. `resume` when you're back.")
    return Reply(text)


async def resume(ctx: Context, args: Args) -> Reply:
    await people.resume(ctx.tx, ctx.speaker, ctx.ts)
    return Reply(fmt("Welcome back! Next: `mine` for your list, or `asks` for what's open."))


def _profile_args() -> tuple[Arg, ...]:
    return (
        Arg(
            "tz",
            Kind.TIMEZONE,
            "Your timezone: an IANA name like America/Chicago, or your city.",
            placeholder="zone",
        ),
        Arg(
            "region",
            Kind.TEXT,
            "Where you are, in your own words (e.g. Upper Midwest).",
            max_len=80,
        ),
        Arg("library", Kind.CHOICE, "The kind of library you work in.", choices=LIBRARY_TYPES),
        Arg("role", Kind.TEXT, "Your job, in your own words.", max_len=100),
        Arg(
            "interests",
            Kind.LIST,
            "Comma-separated interests.",
            max_len=50,
            max_items=20,
            placeholder="a,b",
        ),
        Arg(
            "hours",
            Kind.TEXT,
            "When and how much you can help (e.g. weekday evenings, 5h/week).",
            max_len=100,
        ),
        Arg(
            "quiet",
            Kind.TIME_RANGE,
            "Hours I must not message you, local time (default 21:00-09:00).",
            placeholder="21:00-09:00",
        ),
        Arg(
            "visibility",
            Kind.CHOICE,
            "Who can see your full profile.",
            choices=("members", "leads"),
        ),
        Arg("load", Kind.NUMBER, "How many asks you can hold at once (default 3).", placeholder="n"),
    )


COMMANDS = (
    Command(
        "volunteer",
        Section.VOLUNTEERS,
        "Sign up, or add skills to your profile.",
        volunteer,
        example="volunteer research writing",
        args=(
            Arg(
                "skill",
                Kind.SKILLS,
                "Skills you offer, separated by spaces.",
                required=True,
                positional=True,
                rest=True,
                max_len=40,
                max_items=MAX_SKILLS,
                complete="skills",
            ),
        ),
    ),
    Command(
        "profile",
        Section.VOLUNTEERS,
        "Show your profile, or set fields of it.",
        show_profile,
        example="profile tz:America/Chicago library:public",
        args=_profile_args(),
    ),
    Command(
        "unvolunteer",
        Section.VOLUNTEERS,
        "Remove a skill from your profile.",
        unvolunteer,
        example="unvolunteer writing",
        args=(
            Arg(
                "skill",
                Kind.SKILLS,
                "The skill to remove.",
                required=True,
                positional=True,
                max_len=40,
                max_items=1,
                complete="skills",
            ),
        ),
    ),
    Command(
        "whois",
        Section.VOLUNTEERS,
        "Another member's profile (what they share).",
        whois,
        example="whois @alice",
        args=(
            Arg(
                "member",
                Kind.MEMBER,
                "The member: a mention or their name.",
                required=True,
                positional=True,
                complete="members",
            ),
        ),
    ),
    Command(
        "skills",
        Section.VOLUNTEERS,
        "Skills in use and how many volunteers have each.",
        skills,
        example="skills",
    ),
    Command(
        "pause",
        Section.VOLUNTEERS,
        "Take a break: no pings, nudges or check-ins; claims stay.",
        pause,
        example="pause until:2026-12-01",
        args=(Arg("until", Kind.DATE, "When to resume by yourself (optional).", placeholder="date"),),
    ),
    Command("resume", Section.VOLUNTEERS, "End a pause.", resume, example="resume"),
)
