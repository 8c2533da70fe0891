"""Handlers for contacts and follow-ups (spec §4): contact add/show/note/edit/drop, contacts,
followups, snooze.

Every command here carries contact details or notes, so every one is `sensitive`: replies only
ever go to the speaker's private chat, whatever channel the command was typed in.
"""

from __future__ import annotations

from bot.clock import to_ts
from bot.core.args import Args
from bot.core.commands import Arg, Command, Kind, Section
from bot.core.context import Context
from bot.core.messages import Reply
from bot.core.text import Rich, fmt, join, lines
from bot.features import contacts, snooze
from bot.features.contacts import FOLLOW_TIME, SHARES
from bot.handlers.render import day_text, someone
from bot.storage.contacts import Contact
from bot.storage.followups import FollowUp

NAME_MAX = 200
NOTE_MAX = 2000
FIELD_MAX = 500
_FIELDS = ("name", "org", "how", "interests", "share")


def _follow_at(ctx: Context, args: Args) -> int | None:
    when = args.opt_when("follow")
    return to_ts(when.moment(FOLLOW_TIME)) if when else None


def _share_text(contact: Contact, ctx: Context) -> str:
    whose = "yours" if contact.owner_id == ctx.speaker.id else f"{contact.owner_name}'s"
    shared = {"private": "private", "leads": "shared with leads", "members": "shared with members"}
    return f"{whose}, {shared[contact.share]}"


def contact_line(contact: Contact, ctx: Context) -> Rich:
    parts: list[Rich] = [fmt("**{id}** {name}", id=str(contact.id), name=contact.name)]
    if contact.org:
        parts.append(fmt("{org}", org=contact.org))
    if contact.interests:
        parts.append(fmt("interests: {i}", i=contact.interests))
    parts.append(fmt("{share}", share=_share_text(contact, ctx)))
    return join(parts, " · ")


def followup_line(followup: FollowUp, ctx: Context) -> Rich:
    if followup.intro_id is not None:
        what = fmt(
            "put {member} in touch with {name} (contact {id}, intro {intro})",
            member=someone(followup.intro_member_name),
            name=followup.contact_name,
            id=str(followup.contact_id),
            intro=str(followup.intro_id),
        )
    else:
        what = fmt("{name} (contact {id})", name=followup.contact_name, id=str(followup.contact_id))
    overdue = " · overdue" if followup.due_at <= ctx.ts else ""
    return fmt(
        "**f{f}** {what} · due {day}{overdue}",
        f=str(followup.id),
        what=what,
        day=day_text(followup.due_at, ctx.zone, ctx.now),
        overdue=overdue,
    )


def _followup_note(followup: FollowUp | None, ctx: Context) -> Rich:
    if followup is None:
        return fmt("")
    return fmt(" Follow-up **f{f}** on {day}.", f=str(followup.id), day=day_text(followup.due_at, ctx.zone, ctx.now))


async def add(ctx: Context, args: Args) -> Reply:
    saved = await contacts.add(
        ctx.tx,
        ctx.speaker,
        name=args.text("name"),
        org=args.opt_text("org"),
        how=args.opt_text("how"),
        interests=args.opt_text("interests"),
        share=args.opt_text("share"),
        follow_at=_follow_at(ctx, args),
        now=ctx.ts,
    )
    contact = saved.contact
    return Reply(
        lines(
            fmt("Added contact **{id}**, {share}.", id=str(contact.id), share=_share_text(contact, ctx))
            + _followup_note(saved.followup, ctx),
            contact_line(contact, ctx),
            fmt("Next: `contact note {id} <text>` after you talk.", id=str(contact.id)),
        )
    )


async def show(ctx: Context, args: Args) -> Reply:
    view = await contacts.view(ctx.tx, ctx.speaker, ctx.role, args.number("id"))
    contact = view.contact
    rows: list[Rich] = [
        fmt("**{name}** (contact {id})", name=contact.name, id=str(contact.id))
        + (fmt(" · {org}", org=contact.org) if contact.org else fmt(""))
    ]
    if contact.how:
        rows.append(fmt("How we met: {how}", how=contact.how))
    if contact.interests:
        rows.append(fmt("Interests: {i}", i=contact.interests))
    rows.append(fmt("{share}.", share=_share_text(contact, ctx).capitalize()))
    if view.followup is not None:
        rows.append(fmt("Next follow-up: ") + followup_line(view.followup, ctx))
    if view.notes:
        rows.append(fmt("Notes, newest first:"))
        for note in view.notes:
            rows.append(
                fmt(
                    "· {day} {who}: {text}",
                    day=day_text(note.created_at, ctx.zone, ctx.now),
                    who=someone(note.author_name),
                    text=note.text,
                )
            )
        if view.note_count > len(view.notes):
            rows.append(fmt("…and {n} older.", n=str(view.note_count - len(view.notes))))
    if view.mine:
        rows.append(fmt("Next: `contact note {id} <text>` after you talk.", id=str(contact.id)))
    else:
        rows.append(
            fmt(
                'Next: `intro me {id} why:"…"` if you\'d like {owner} to put you in touch.',
                id=str(contact.id),
                owner=contact.owner_name,
            )
        )
    return Reply(lines(*rows))


async def note(ctx: Context, args: Args) -> Reply:
    noted = await contacts.note(
        ctx.tx, ctx.speaker, ctx.role, args.number("id"), args.text("text"), _follow_at(ctx, args), ctx.ts
    )
    contact = noted.contact
    settled = fmt(" That settles {n} follow-up{s}.", n=str(noted.closed), s="" if noted.closed == 1 else "s")
    if noted.followup is not None:
        step = fmt("Next: `snooze f{f} 3d` if that date moves.", f=str(noted.followup.id))
    else:
        step = fmt("Next: add `follow:<date>` next time to be reminded.")
    return Reply(
        lines(
            fmt("Noted on contact {id} ({name}).", id=str(contact.id), name=contact.name)
            + (settled if noted.closed else fmt(""))
            + _followup_note(noted.followup, ctx),
            step,
        )
    )


async def edit(ctx: Context, args: Args) -> Reply:
    changes = {field: args.opt_text(field) for field in _FIELDS if field in args}
    saved = await contacts.edit(
        ctx.tx, ctx.speaker, ctx.role, args.number("id"), changes, _follow_at(ctx, args), ctx.ts
    )
    contact = saved.contact
    return Reply(
        lines(
            fmt("Updated contact {id}.", id=str(contact.id)) + _followup_note(saved.followup, ctx),
            contact_line(contact, ctx),
            fmt("Next: `contact {id}` to see it all.", id=str(contact.id)),
        )
    )


async def drop(ctx: Context, args: Args) -> Reply:
    contact = await contacts.drop(ctx.tx, ctx.speaker, ctx.role, args.number("id"))
    return Reply(
        fmt(
            "Dropped contact {id} ({name}) with its notes and follow-ups. Next: `contacts` for the rest.",
            id=str(contact.id),
            name=contact.name,
        )
    )


async def list_contacts(ctx: Context, args: Args) -> Reply:
    search = args.opt_text("search")
    words = search.split() if search else []
    page = await contacts.search(ctx.tx, ctx.speaker, ctx.role, words, args.opt_number("page") or 1)
    if not page.contacts:
        if words:
            return Reply(
                fmt(
                    "No contacts you can see match {s}. Try fewer words, or plain `contacts`.",
                    s=" ".join(words),
                )
            )
        return Reply(fmt('No contacts yet. Next: `contact add name:"Jordan Lee" org:"Teachers Union"` to log one.'))
    header = fmt("Contacts you can see ({total}):", total=str(page.total))
    if page.pages > 1:
        header = fmt(
            "Contacts you can see (page {p} of {n}, {total} in all):",
            p=str(page.page),
            n=str(page.pages),
            total=str(page.total),
        )
    rows: list[Rich] = [header, *(contact_line(c, ctx) for c in page.contacts)]
    more = fmt(", or `contacts page:{p}` for more", p=str(page.page + 1)) if page.page < page.pages else fmt("")
    rows.append(fmt("Next: `contact {id}` for notes", id=str(page.contacts[0].id)) + more + fmt("."))
    return Reply(lines(*rows))


async def list_followups(ctx: Context, args: Args) -> Reply:
    found = await contacts.followups(ctx.tx, ctx.speaker)
    if not found:
        return Reply(fmt("No follow-ups. Next: `contact note <id> <text> follow:<date>` sets one."))
    rows: list[Rich] = [fmt("Your follow-ups, most overdue first:")]
    rows.extend(followup_line(f, ctx) for f in found)
    first = found[0]
    rows.append(
        fmt(
            "Next: `contact note {id} <text>` once you've been in touch, or `snooze f{f} 3d`.",
            id=str(first.contact_id),
            f=str(first.id),
        )
    )
    return Reply(lines(*rows))


async def snooze_thing(ctx: Context, args: Args) -> Reply:
    moved = await snooze.snooze(ctx.tx, ctx.speaker, args.text("thing"), args.duration("duration"), ctx.now, ctx.config)
    return Reply(
        fmt(
            "Snoozed {kind} {ref} ({subject}) until {day}. Next: `mine` for your list.",
            kind=moved.kind,
            ref=moved.ref,
            subject=moved.subject,
            day=day_text(moved.until, ctx.zone, ctx.now),
        )
    )


_ID = Arg("id", Kind.ID, "The contact's number.", required=True, positional=True, complete="contacts")
_FOLLOW = Arg("follow", Kind.DATE, "When to follow up (e.g. friday, in 2 weeks).", placeholder="date")
_SHARE = Arg("share", Kind.CHOICE, "Who else may see it (default: leads).", choices=SHARES)


def _detail_args(*, name_required: bool) -> tuple[Arg, ...]:
    return (
        Arg("name", Kind.TEXT, "Their name.", required=name_required, max_len=NAME_MAX),
        Arg("org", Kind.TEXT, "Their organisation.", max_len=NAME_MAX),
        Arg("how", Kind.TEXT, "How you met.", max_len=NOTE_MAX),
        Arg("interests", Kind.TEXT, "What they care about.", max_len=FIELD_MAX),
        _FOLLOW,
        _SHARE,
    )


COMMANDS = (
    Command(
        "contact add",
        Section.CONTACTS,
        "Log an outside contact you know (shared with leads unless you say otherwise).",
        add,
        example='contact add name:"Jordan Lee" org:"Teachers Union" how:"labour council" follow:friday',
        sensitive=True,
        args=_detail_args(name_required=True),
    ),
    Command(
        "contact",
        Section.CONTACTS,
        "One contact with its notes, newest first.",
        show,
        form="show",
        who="the owner, or whoever its share allows",
        example="contact 5",
        sensitive=True,
        args=(_ID,),
    ),
    Command(
        "contact note",
        Section.CONTACTS,
        "Log an interaction with a contact, and optionally the next follow-up.",
        note,
        who="the contact's owner",
        example="contact note 5 called about the rally follow:friday",
        sensitive=True,
        args=(
            _ID,
            Arg(
                "text",
                Kind.TEXT,
                "What happened.",
                required=True,
                positional=True,
                rest=True,
                max_len=NOTE_MAX,
            ),
            _FOLLOW,
        ),
    ),
    Command(
        "contact edit",
        Section.CONTACTS,
        "Change a contact's name, org, how, interests, follow-up date or share.",
        edit,
        who="the contact's owner",
        example="contact edit 5 share:members",
        sensitive=True,
        args=(_ID, *_detail_args(name_required=False)),
    ),
    Command(
        "contact drop",
        Section.CONTACTS,
        "Delete a contact with its notes and follow-ups.",
        drop,
        who="the contact's owner",
        example="contact drop 5",
        sensitive=True,
        args=(_ID,),
    ),
    Command(
        "contacts",
        Section.CONTACTS,
        "Contacts you may see; search by name, org or interest.",
        list_contacts,
        example="contacts teachers",
        sensitive=True,
        args=(
            Arg(
                "search",
                Kind.TEXT,
                "Words to look for (optional).",
                positional=True,
                rest=True,
                max_len=NAME_MAX,
            ),
            Arg("page", Kind.NUMBER, "Which page.", placeholder="n"),
        ),
    ),
    Command(
        "followups",
        Section.CONTACTS,
        "Your follow-ups, most overdue first.",
        list_followups,
        example="followups",
        sensitive=True,
    ),
    Command(
        "snooze",
        Section.CONTACTS,
        "Move a follow-up, your claim's reminders or your next check-in later.",
        snooze_thing,
        example="snooze f7 3d",
        sensitive=True,
        args=(
            Arg(
                "thing",
                Kind.WORD,
                "What: f7 (follow-up 7), c12 (your claim on ask 12) or checkin.",
                required=True,
                positional=True,
            ),
            Arg("duration", Kind.DURATION, "How long, like 3d or 2w.", required=True, positional=True),
        ),
    ),
)
