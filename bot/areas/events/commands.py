"""Commands for events and meetings (spec §15): event add/show/cancel/edit, events, rsvp.

Where an event is posted: the reply to the lead who posts it (in the room or chat where they
typed), an announcement wherever the deployment announces (`ctx.announce`: the Discord
announce channel), and, for an event for a skill or a region, a private invitation to each
matching member at their waking hour. Each carries Yes / Maybe / No buttons on Discord and the
`rsvp` command in its text everywhere.
"""

from __future__ import annotations

from bot.areas.events import notice_words, queries, rules, words
from bot.areas.events.ical import calendar_file
from bot.areas.events.records import Occurrence
from bot.areas.events.rules import Audience, Changed, Draft, Resumed, Skipped
from bot.areas.events.when import HOUR, reminders_to_come
from bot.clock import from_ts
from bot.core import words as core_words
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.errors import TooLong, UsageError
from bot.core.kinds import Choices, Date, Duration, Flag, Id, Number, Text
from bot.core.messages import Attachment, Reply
from bot.core.notices import announce_targets
from bot.core.params import Args, ArgType, Converting, Param
from bot.core.text import Rich
from bot.core.timing import next_send_time, person_quiet, person_zone
from bot.core.values import normalise_region, normalise_skill
from bot.ids import Role
from bot.storage.persons import Person
from bot.zones import zone

TITLE_MAX = 200
PLACE_MAX = 200
REGION_MAX = 100
SOON = 2 * 3600  # news of an occurrence starting this soon may wake people (kind `event.soon`)

events = CommandSet[Context](Section.EVENTS)


class AudienceType(ArgType[Audience]):
    """Whom an event is for: `everyone`, `skill:<skill>` or `region:"…"`."""

    label = "audience"
    multiword = True
    joins_leftovers = True

    def usage(self, param: Param[Audience]) -> str:
        return f'[{param.name}:everyone|skill:<s>|region:"…"]'

    async def parse(self, text: str, param: Param[Audience], call: Converting) -> Audience:
        kind, _, value = text.partition(":")
        kind, value = kind.strip().lower(), value.strip().strip('"“”').strip()
        if len(value) > REGION_MAX:
            raise TooLong(core_words.too_long(param.name, REGION_MAX, len(value)))
        if kind == "everyone" and not value:
            return Audience()
        if kind == "skill" and normalise_skill(value):
            return Audience(skill=normalise_skill(value))
        if kind == "region" and value:
            return Audience(region=normalise_region(value))
        raise UsageError(words.bad_audience(text))


EVENT_ID = Param("id", Id(complete=queries.complete_events), "The event's number.", required=True, positional=True)
TITLE = Param("title", Text(TITLE_MAX), "What it is, in a line.", required=True)
WHEN = Param("when", Date(), "When it starts, your time unless you name a zone (thursday 19:00, friday 7pm ET).",
             required=True, placeholder="date time")  # fmt: skip
LENGTH = Param("length", Duration(), "How long (default 1h).", placeholder="duration")
WHERE = Param("where", Text(PLACE_MAX), "Where: a room, an address or a link.")
EVERY = Param("every", Choices(("week", "2weeks", "month")), "Repeat every week, two weeks or month.")
FOR = Param("for", AudienceType(), 'Whom it is for: everyone (default), skill:<s> or region:"…".')
ANSWER = Param("answer", Choices(words.ANSWERS), "yes, maybe or no.", required=True, positional=True)
ALL = Param("all", Flag(), "The whole series, not only the next one.")
ON = Param("on", Date(), "One day of a series to call off, your date (on:\"24 dec\"); default: the next.",
           placeholder="date")  # fmt: skip
RESTORE_ON = Param("on", Date(), "The day to put back, your date (on:\"24 dec\"); default: the one cancelled last.",
                   placeholder="date")  # fmt: skip
PAGE = Param("page", Number(1), "Which page.", placeholder="n")
NEW_TITLE = Param("title", Text(TITLE_MAX), "New title.")
NEW_WHEN = Param("when", Date(), "New date and time, your time.", placeholder="date time")
NEW_LENGTH = Param("length", Duration(), "New length.", placeholder="duration")
NEW_WHERE = Param("where", Text(PLACE_MAX), "New place.")


@events.command(
    "event add", "Post an event or meeting; people answer with rsvp.", role=Role.LEAD,
    example='event add title:"Organising committee" when:thursday 19:00 length:90m where:"Zoom" every:week',
    params=(TITLE, WHEN, LENGTH, WHERE, EVERY, FOR),
)  # fmt: skip
async def add(ctx: Context, args: Args) -> Reply:
    audience = args.get(FOR) or Audience()
    draft = Draft(args[TITLE], args[WHEN], args.get(LENGTH), args.get(WHERE), args.get(EVERY), audience)
    posted = await rules.post(ctx.tx, ctx.speaker, draft, ctx.ts)
    occurrence = posted.occurrence
    buttons = words.answer_buttons(occurrence.event_id)
    await ctx.notify_people(
        posted.going, words.invitation(occurrence), key_prefix=f"event:{occurrence.event_id}:invite",
        kind="event.invite", buttons=buttons, subject=f"event.invite:{occurrence.event_id}",
    )  # fmt: skip
    announced = bool(announce_targets(ctx.config))
    await ctx.announce(
        words.announcement(ctx.speaker.display_name, occurrence),
        key=f"announce:event:{occurrence.event_id}",
        kind="announce",
        buttons=buttons,
    )
    await ctx.audit("event.add", f"event {occurrence.event_id}")
    hidden = occurrence.region is not None and any(person.visibility == "leads" for person in posted.going)
    return Reply(words.posted(occurrence, len(posted.going), announced, hidden), buttons=buttons)


def _calendar(ctx: Context, occurrence: Occurrence) -> Attachment:
    return calendar_file(occurrence, ctx.config.organisation.name, ctx.ts)


@events.command("event", "One event: when, where, and who's coming.", form="show", example="event 12",
                params=(EVENT_ID,), reads=True)  # fmt: skip
async def show(ctx: Context, args: Args) -> Reply:
    view = await rules.view(ctx.tx, ctx.speaker, ctx.role, args[EVENT_ID], ctx.ts)
    occurrence = view.occurrence
    text = words.details(occurrence, view.mine, view.names, ctx.ts, view.skipped, view.following)
    if not occurrence.upcoming or occurrence.happening(ctx.ts):  # (nothing to answer or add to a calendar)
        return Reply(text)
    return Reply(text, buttons=words.answer_buttons(occurrence.event_id), attachment=_calendar(ctx, occurrence))


@events.command("events", "Events coming up, soonest first, with the answers so far.", example="events",
                params=(PAGE,), reads=True, meant_by=("meetings", "calendar"))  # fmt: skip
async def listing(ctx: Context, args: Args) -> Reply:
    page, answers = await rules.listing(ctx.tx, ctx.speaker, args.get(PAGE) or 1, ctx.ts)
    if not page.items:
        return Reply(words.none_upcoming())
    return Reply(words.listing(page, answers, ctx.ts))


# `sensitive`: whether someone goes is theirs to tell (every answer is private), and a click on an
# RSVP button that takes long is then deferred privately, leaving nothing in the channel.
@events.command("rsvp", "Say whether you're coming to an event: yes, maybe or no.", example="rsvp 12 yes",
                params=(EVENT_ID, ANSWER), sensitive=True)  # fmt: skip
async def rsvp(ctx: Context, args: Args) -> Reply:
    status = args[ANSWER]
    occurrence, before = await rules.answer(ctx.tx, ctx.speaker, args[EVENT_ID], status, ctx.ts)
    coming = reminders_to_come(
        occurrence.starts_at, ctx.ts, person_zone(ctx.speaker, ctx.config), person_quiet(ctx.speaker, ctx.config)
    )
    text = words.answered(occurrence, status, before, coming)
    attachment = None if status == "no" else _calendar(ctx, occurrence)
    return Reply(text, private=True, attachment=attachment)


def _local_day(ts: int, occurrence: Occurrence) -> str:
    """The date of a moment where the event meets (its zone), for the audit."""
    return from_ts(ts).astimezone(zone(occurrence.tz, "UTC")).date().isoformat()


async def _tell(ctx: Context, changed: Changed, key: str, text: Rich, subject: str | None = None) -> None:
    """Tell everyone who said yes or maybe of a change, once (by `key`), at a waking hour, but
    never later than the hour before the occurrence starts (or was to start), when its reminder
    may wake them too: they chose to be there then. Within two hours of it, that is at once,
    whatever the hour; someone whose quiet hours last past that hour hears at that hour. (A
    cancellation at 23:00 of a breakfast at 08:00 reached people at 09:00.) A notice about a
    `subject` is dropped if it no longer holds when its hour comes (a cancellation put back)."""
    latest = ctx.ts if changed.soonest - ctx.ts <= SOON else changed.soonest - HOUR
    waking: list[Person] = []
    late: list[Person] = []
    for person in changed.going:
        (late if next_send_time(person, ctx.config, ctx.now) > latest else waking).append(person)
    if waking:
        await ctx.notify_people(waking, text, key_prefix=key, kind="event.change", subject=subject)
    if late:
        await ctx.notify_people(late, text, key_prefix=key, kind="event.soon", send_at=latest, subject=subject)


@events.command(
    "event cancel", "Cancel an event's next occurrence, one on a later day with `on:`, or with `all` the whole series.",
    who="leads or the poster", example="event cancel 12", params=(EVENT_ID, ON, ALL),
)  # fmt: skip
async def cancel(ctx: Context, args: Args) -> Reply:
    day = args.get(ON)
    if day is not None and args.flag(ALL):
        raise UsageError(words.refusal("all or one", args[EVENT_ID]))
    if day is None:
        changed = await rules.cancel(ctx.tx, ctx.speaker, ctx.role, args[EVENT_ID], args.flag(ALL), ctx.ts)
    elif isinstance(done := await rules.cancel_on(ctx.tx, ctx.speaker, ctx.role, args[EVENT_ID], day, ctx.ts), Skipped):
        await ctx.audit("event.cancel", f"event {args[EVENT_ID]}", f"on {day.day.isoformat()}")
        return Reply(words.skipped(done.upcoming, done.starts_at))
    else:
        changed = done
    occurrence = changed.occurrence
    notice = notice_words.cancelled_notice(occurrence, changed.following)
    key = f"event:cancel:{occurrence.id}:r{occurrence.revision}"  # (cancelled again after `event restore`)
    await _tell(ctx, changed, key, notice, subject=f"event.off:{occurrence.id}")
    await ctx.audit("event.cancel", f"event {occurrence.event_id}", "all" if args.flag(ALL) else "")
    return Reply(words.cancelled(occurrence, changed.following, len(changed.going)))


@events.command(
    "event restore", "Put back a cancelled occurrence, a day called off (`on:`), or a whole series.",
    who="leads or the poster", example="event restore 12", params=(EVENT_ID, RESTORE_ON),
)  # fmt: skip
async def restore(ctx: Context, args: Args) -> Reply:
    done = await rules.restore(ctx.tx, ctx.speaker, ctx.role, args[EVENT_ID], args.get(RESTORE_ON), ctx.ts)
    subject = f"event {args[EVENT_ID]}"
    if isinstance(done, Skipped):
        await ctx.audit("event.restore", subject, f"on {_local_day(done.starts_at, done.upcoming)}")
        return Reply(words.unskipped(done.upcoming, done.starts_at))
    if isinstance(done, Resumed):
        await ctx.audit("event.restore", subject, "all")
        return Reply(words.restored_series(done.upcoming))
    occurrence = done.occurrence
    await ctx.audit("event.restore", subject, f"on {_local_day(occurrence.starts_at, occurrence)}")
    key = f"event:back:{occurrence.id}:r{occurrence.revision}"
    await _tell(ctx, done, key, notice_words.restored_notice(occurrence), subject=f"event:{occurrence.id}")
    return Reply(words.restored(occurrence, len(done.going), done.withdrawn))


@events.command(
    "event edit", "Change an event's title, time, length or place.", who="leads or the poster",
    example='event edit 12 when:friday 18:00 where:"Room 2"',
    params=(EVENT_ID, NEW_TITLE, NEW_WHEN, NEW_LENGTH, NEW_WHERE),
)  # fmt: skip
async def edit(ctx: Context, args: Args) -> Reply:
    edits = Draft(args.get(NEW_TITLE), args.get(NEW_WHEN), args.get(NEW_LENGTH), args.get(NEW_WHERE))
    changed = await rules.edit(ctx.tx, ctx.speaker, ctx.role, args[EVENT_ID], edits, ctx.ts)
    occurrence = changed.occurrence
    key = f"event:edit:{occurrence.event_id}:r{occurrence.revision}"
    # Dropped when it would be sent if the occurrence is no longer to come (cancelled, moved again)
    # or the person no longer going; a later edit withdraws it (`rules.edit`): news of the latest.
    await _tell(ctx, changed, key, notice_words.edited_notice(occurrence), subject=f"event.change:{occurrence.id}")
    await ctx.audit("event.edit", f"event {occurrence.event_id}", ", ".join(changed.fields))
    return Reply(words.edited(occurrence, len(changed.going)))
