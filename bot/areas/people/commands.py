"""Commands for volunteers and profiles (spec §1)."""

from __future__ import annotations

from datetime import time

from bot.areas.people import params, queries, rules, words
from bot.areas.people.queries import Profile
from bot.areas.people.rules import LIBRARY_TYPES, MAX_SKILLS, ProfileChanges, library_kind
from bot.clock import to_ts
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.kinds import Choices, Items, Number, QuietHours, Text, Zone
from bot.core.messages import Reply
from bot.core.params import Args, Param
from bot.core.text import Rich, lines
from bot.core.timing import Reader, person_zone

people = CommandSet[Context](Section.VOLUNTEERS)

SKILLS = Param(
    "skill", params.skills(MAX_SKILLS),
    "Your skills, split by spaces, or by commas when one is several words: research, graphic design.",
    required=True, positional=True, rest=True,
)  # fmt: skip
TZ = Param("tz", Zone(), "Your timezone: an IANA name like America/Chicago, or your city.", placeholder="zone")
REGION = Param("region", Text(80), "Where you are, in your own words (e.g. Upper Midwest).")
LIBRARY = Param("library", Choices(LIBRARY_TYPES, read=library_kind), "The kind of library you work in.")
JOB = Param("role", Text(100), "Your job, in your own words.")
INTERESTS = Param("interests", Items(max_len=50, max_items=20), "Comma-separated interests.", placeholder="a,b")
HOURS = Param("hours", Text(100), "When and how much you can help (e.g. weekday evenings, 5h/week).")
QUIET = Param(
    "quiet",
    QuietHours(),
    "Hours I must not message you, local time (default 21:00-09:00; `default` goes back to it).",
    placeholder="21:00-09:00",
)
VISIBILITY = Param("visibility", Choices(("members", "leads")), "Who can see your full profile.")
LOAD = Param("load", Number(1, 50), "How many asks you can hold at once (default 3).", placeholder="n")
ONE_SKILL = Param("skill", params.skills(), "The skill to remove.", required=True, positional=True, rest=True)
MEMBER = Param("member", params.member(), "The member: a mention or their name.", required=True, positional=True)
UNTIL = Param(
    "until",
    params.PauseEnd(),
    "When to resume by yourself (optional): a date, or how long.",
    placeholder="date",
    positional=True,
    rest=True,
)


@people.command(
    "volunteer",
    "Sign up, or add skills to your profile.",
    example="volunteer research writing",
    params=(SKILLS,),
    meant_by=("join", "signup", "sign up", "register"),
)
async def volunteer(ctx: Context, args: Args) -> Reply:
    offered: tuple[str, ...] = args[SKILLS]
    result = await rules.volunteer(ctx.tx, ctx.speaker, offered, ctx.ts)
    rows: list[Rich] = []
    if result.first_time:
        rows.append(words.welcome(ctx.speaker.display_name))
    if result.added:
        rows.append(words.added(result.added))
    if result.already:
        rows.append(words.already(result.already))
    rows.extend(words.similar_skill(new, existing) for new, existing in result.similar)
    rows.append(words.your_skills(result.profile.skills))
    person = result.profile.person
    if any((person.tz, person.region, person.library)):
        rows.append(words.summary(result.profile))
    next_step = None
    for offer in ctx.catalog.offers:
        listing = await offer(ctx)
        if listing is not None and listing.lines:
            rows.extend((listing.heading, *listing.lines))
            next_step = next_step or listing.next_step
    if person.tz is None:
        rows.append(words.tell_me_your_zone())
    else:
        rows.append(next_step or words.nothing_matches_yet())
    return Reply(lines(*rows))


PROFILE_PARAMS = (TZ, REGION, LIBRARY, JOB, INTERESTS, HOURS, QUIET, VISIBILITY, LOAD)


@people.command(
    "profile", "Show your profile, or set fields of it.", example="profile tz:America/Chicago library:public",
    params=PROFILE_PARAMS,
)  # fmt: skip
async def show_profile(ctx: Context, args: Args) -> Reply:
    if args.given():
        return await set_profile(ctx, args)
    profile = await queries.profile(ctx.tx, ctx.speaker)
    text = lines(_shown(ctx, profile, full=True), words.change_a_field())
    return Reply(text, sensitive=profile.person.visibility == "leads")


async def set_profile(ctx: Context, args: Args) -> Reply:
    zone = args.get(TZ)
    quiet = args.get(QUIET)
    changes = ProfileChanges(
        tz=zone.name if zone else None,
        region=args.get(REGION),
        library=args.get(LIBRARY),
        job=args.get(JOB),
        interests=args.get(INTERESTS),
        hours=args.get(HOURS),
        quiet=(quiet.start, quiet.end) if quiet else ((None, None) if QUIET in args else None),  # None: default
        visibility=args.get(VISIBILITY),
        max_claims=args.get(LOAD),
        notes=[zone.note] if zone and zone.note else [],
    )
    notes = await rules.update_profile(ctx.tx, ctx.speaker, changes)
    if changes.tz is not None:
        await ctx.zone_moved(ctx.speaker)
    profile = await queries.profile(ctx.tx, ctx.speaker)
    rows: list[Rich] = [words.saved(args.given())]
    rows.extend(words.note(note) for note in notes)
    rows.append(_shown(ctx, profile, full=True))
    rows.append(words.next_asks() if ctx.speaker.signed_up else words.next_sign_up())
    return Reply(lines(*rows), sensitive=profile.person.visibility == "leads")


@people.command("unvolunteer", "Remove a skill from your profile.", example="unvolunteer writing", params=(ONE_SKILL,))
async def unvolunteer(ctx: Context, args: Args) -> Reply:
    skill = args[ONE_SKILL][0]
    profile = await rules.unvolunteer(ctx.tx, ctx.speaker, skill)
    return Reply(words.removed(skill, profile.skills))


@people.command(
    "whois", "Another member's profile (what they share).", example="whois @alice", params=(MEMBER,), reads=True
)
async def whois(ctx: Context, args: Args) -> Reply:
    subject = await rules.member_or_me(ctx.tx, ctx.speaker, args[MEMBER], ctx.incoming.platform)
    profile = await queries.profile(ctx.tx, subject)
    full = rules.can_see_private(ctx.speaker, ctx.role, subject)
    own = subject.id == ctx.speaker.id  # `whois me`, `whois @me`: their own profile, as `profile` shows it
    if not subject.signed_up and not own:
        return Reply(words.not_signed_up(subject.display_name))
    text = lines(_shown(ctx, profile, full=full), words.change_a_field() if own else words.whois_next())
    return Reply(text, sensitive=full and subject.visibility == "leads")


@people.command("skills", "Skills in use and how many volunteers have each.", example="skills", reads=True)
async def skills(ctx: Context, args: Args) -> Reply:
    counts = await queries.skill_counts(ctx.tx)
    if not counts:
        return Reply(words.no_skills_yet())
    return Reply(words.skills_in_use(counts, 40))


@people.command(
    "pause", "Take a break: no pings, nudges or check-ins; claims stay.", example="pause 2 weeks",
    params=(UNTIL,), meant_by=("stop", "unsubscribe", "mute"),
)  # fmt: skip
async def pause(ctx: Context, args: Args) -> Reply:
    until = args.get(UNTIL)
    until_ts = to_ts(until.moment(time(0))) if until else None
    await rules.pause(ctx.tx, ctx.speaker, until_ts, ctx.ts)
    day_in = None if until is None or until.has_time else until.zone.key  # a day, in the zone it was given in
    if until_ts is None:
        return Reply(words.paused())
    # A day is named with its zone to readers whose date differs: a leads-only zone stays private.
    own_zone = day_in is not None and day_in == person_zone(ctx.speaker, ctx.config).key
    return Reply(words.paused_until(until_ts, day_in, hidden=own_zone and Reader.of(ctx.speaker, ctx.config).hidden))


@people.command("resume", "End a pause.", example="resume", meant_by=("unpause", "unmute"))
async def resume(ctx: Context, args: Args) -> Reply:
    await rules.resume(ctx.tx, ctx.speaker, ctx.ts)
    return Reply(words.welcome_back())


def _shown(ctx: Context, profile: Profile, *, full: bool) -> Rich:
    """A profile's lines, with the default quiet hours and the pause as its person has it now."""
    pause = rules.pause_of(profile.person, ctx.ts, ctx.config)
    return words.profile_lines(profile, ctx.config.quiet_hours.window(), full, pause)
