"""Everything the contacts area says: contacts, their notes, follow-ups and their reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.areas.contacts import due
from bot.areas.contacts.records import Contact, FollowUp, Note
from bot.clock import to_ts
from bot.core.messages import Button
from bot.core.paging import Page
from bot.core.text import Moment, Rich, fmt, join, lines
from bot.core.words import count, entry, not_theirs, page_header, plural, series, someone
from bot.ids import PersonId

_SHARED = {"private": "private", "leads": "shared with leads", "members": "shared with members"}


def share_text(contact: Contact, viewer: PersonId) -> str:
    whose = "yours" if contact.owner_id == viewer else f"{contact.owner_name}'s"
    return f"{whose}, {_SHARED[contact.share]}"


def contact_line(contact: Contact, viewer: PersonId) -> Rich:
    parts: list[Rich] = [fmt("**{id}** {name}", id=str(contact.id), name=contact.name)]
    if contact.org:
        parts.append(fmt("{org}", org=contact.org))
    if contact.interests:
        parts.append(fmt("interests: {i}", i=contact.interests))
    parts.append(fmt("{share}", share=share_text(contact, viewer)))
    return join(parts, " · ")


def followup_line(followup: FollowUp, now: datetime, zone: ZoneInfo) -> Rich:
    """`zone`: the reader's, the follow-up's owner's, where its day is over or not (`due.py`)."""
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
    overdue = " · overdue" if due.is_overdue(followup, to_ts(now), zone) else ""
    return fmt(
        "**f{f}** {what} · due {day}{overdue}",
        f=str(followup.id),
        what=what,
        day=Moment(followup.due_at, "date"),
        overdue=overdue,
    )


def _followup_note(followup: FollowUp | None) -> Rich:
    if followup is None:
        return fmt("")
    return fmt(" Follow-up **f{f}** on {day}.", f=str(followup.id), day=Moment(followup.due_at, "date"))


def log_after_talking(contact_id: int) -> Rich:
    return fmt("Next: `contact note {id} <text>` after you talk.", id=str(contact_id))


def added(contact: Contact, followup: FollowUp | None, viewer: PersonId, namesakes: Sequence[int] = ()) -> Rich:
    """`namesakes`: the owner's other contacts of this name (the same person added twice?)."""
    return lines(
        fmt("Added contact **{id}**, {share}.", id=str(contact.id), share=share_text(contact, viewer))
        + _followup_note(followup),
        contact_line(contact, viewer),
        _namesakes(contact, namesakes),
        log_after_talking(contact.id),
    )


def _namesakes(contact: Contact, namesakes: Sequence[int]) -> Rich:
    if not namesakes:
        return ()
    return fmt("You already have {them} named {name}. The same person? `contact drop {id}`, and keep notes on "
               "{first}.", them=count(len(namesakes), "contact"), name=contact.name, id=str(contact.id),
               first=str(namesakes[0]))  # fmt: skip


def shown(
    contact: Contact,
    notes: Sequence[Note],
    note_count: int,
    followup: FollowUp | None,
    mine: bool,
    viewer: PersonId,
    now: datetime,
    zone: ZoneInfo,
) -> Rich:
    rows: list[Rich] = [
        fmt("**{name}** (contact {id})", name=contact.name, id=str(contact.id))
        + (fmt(" · {org}", org=contact.org) if contact.org else fmt(""))
    ]
    if contact.how:
        rows.append(fmt("How we met: {how}", how=contact.how))
    if contact.interests:
        rows.append(fmt("Interests: {i}", i=contact.interests))
    rows.append(fmt("{share}.", share=share_text(contact, viewer).capitalize()))
    if followup is not None:
        rows.append(fmt("Next follow-up: ") + followup_line(followup, now, zone))
    if notes:
        rows.append(fmt("Notes, newest first:"))
        for note in notes:
            rows.append(entry(Moment(note.created_at, "date"), someone(note.author_name), note.text))
        if note_count > len(notes):
            rows.append(fmt("…and {n} older.", n=str(note_count - len(notes))))
    if mine:
        rows.append(log_after_talking(contact.id))
    else:
        rows.append(
            fmt(
                'Next: `intro me {id} why:"…"` if you\'d like {owner} to put you in touch.',
                id=str(contact.id),
                owner=contact.owner_name,
            )
        )
    return lines(*rows)


def noted(
    contact: Contact, settled: Sequence[FollowUp], still_open: Sequence[FollowUp], followup: FollowUp | None
) -> Rich:
    """`settled`: what the note settled; `still_open`: the hand-offs it did not, as it named none
    of their members (`rules.settles`), so the owner knows what a note settles and what is left."""
    said = fmt("Noted on contact {id} ({name}).", id=str(contact.id), name=contact.name)
    if settled:
        said += fmt(" That settles {n}.", n=count(len(settled), "follow-up"))
    handed = [f for f in settled if f.intro_id is not None]
    if handed:
        said += fmt(
            " You've put {who} in touch ({intros} {ids}).",
            who=series([someone(f.intro_member_name) for f in handed]),
            intros=plural("intro", len(handed)),
            ids=series([str(f.intro_id) for f in handed]),
        )
    if followup is not None:
        step = fmt("Next: `snooze f{f} 3d` if that date moves.", f=str(followup.id))
    else:
        step = fmt("Next: add `follow:<date>` next time to be reminded.")
    return lines(said + _followup_note(followup), _still_open(contact, still_open), step)


def _still_open(contact: Contact, handoffs: Sequence[FollowUp]) -> Rich:
    if not handoffs:
        return ()
    first = handoffs[0]
    who = series([f"{someone(f.intro_member_name)} (f{f.id})" for f in handoffs])
    return fmt(
        "Still open: putting {who} in touch. A note settles that once it names them, like "
        "`contact note {id} introduced {member}`.",
        who=who,
        id=str(contact.id),
        member=someone(first.intro_member_name),
    )


def edited(contact: Contact, followup: FollowUp | None, viewer: PersonId) -> Rich:
    return lines(
        fmt("Updated contact {id}.", id=str(contact.id)) + _followup_note(followup),
        contact_line(contact, viewer),
        fmt("Next: `contact {id}` to see it all.", id=str(contact.id)),
    )


def dropped(contact: Contact, intros_off: Sequence[int] = ()) -> Rich:
    if not intros_off:
        return fmt(
            "Dropped contact {id} ({name}) with its notes and follow-ups. Next: `contacts` for the rest.",
            id=str(contact.id),
            name=contact.name,
        )
    return fmt(
        "Dropped contact {id} ({name}) with its notes and follow-ups, and the pending {intros} {ids}: "
        "I've told whoever was waiting on {them} that {it_is} off. Next: `contacts` for the rest.",
        id=str(contact.id),
        name=contact.name,
        intros=plural("intro", len(intros_off)),
        ids=series([str(n) for n in intros_off]),
        them="it" if len(intros_off) == 1 else "them",
        it_is="it's" if len(intros_off) == 1 else "they're",
    )


def intro_off(intro_id: int) -> Rich:
    """To a member asked about an intro to a contact (or its proposer), when the contact's owner
    dropped it: the intro went with it. Nothing about who or why."""
    return fmt("Intro {id} is off: the contact it was about was removed.", id=str(intro_id))


def none_match(words: Sequence[str]) -> Rich:
    return fmt("No contacts you can see match {s}. Try fewer words, or plain `contacts`.", s=" ".join(words))


def none_yet() -> Rich:
    return fmt('No contacts yet. Next: `contact add name:"Jordan Lee" org:"Teachers Union"` to log one.')


def searched(terms: Sequence[str]) -> str:
    """The command that lists these search words' contacts (`contacts teachers`), for the next
    page's: `contacts page:2` after `contacts teachers` pages through every contact instead."""
    return " ".join(("contacts", *terms))


def listing(page: Page[Contact], viewer: PersonId, *, open_ended: bool = False) -> Rich:
    """One page of the contacts a search finds (all, without one); `open_ended`: of a search that
    counted only the matches it read, in the order found."""
    header = page_header("Contacts you can see", page.page, page.pages, page.total)
    if open_ended:
        header = fmt("Contacts you can see (page {p}; more than {n} match, listed as found):",
                     p=str(page.page), n=str(page.total - 1))  # fmt: skip
    more = fmt(", or `{more}` for more", more=page.next_page) if page.page < page.pages else fmt("")
    return lines(
        header,
        *(contact_line(c, viewer) for c in page.items),
        fmt("Next: `contact {id}` for notes", id=str(page.items[0].id)) + more + fmt("."),
    )


def no_followups() -> Rich:
    return fmt("No follow-ups. Next: `contact note <id> <text> follow:<date>` sets one.")


def in_touch(followup: FollowUp) -> Rich:
    """The next step for a follow-up: a note settles it, one naming the member for a hand-off."""
    if followup.intro_id is not None:
        return fmt(
            "Next: `contact note {id} introduced {member}` once you've put them in touch, or `snooze f{f} 3d`.",
            id=str(followup.contact_id),
            member=someone(followup.intro_member_name),
            f=str(followup.id),
        )
    return fmt(
        "Next: `contact note {id} <text>` once you've been in touch, or `snooze f{f} 3d`.",
        id=str(followup.contact_id),
        f=str(followup.id),
    )


def followups(found: Sequence[FollowUp], now: datetime, zone: ZoneInfo) -> Rich:
    return lines(
        fmt("Your follow-ups, most overdue first:"),
        *(followup_line(f, now, zone) for f in found),
        in_touch(found[0]),
    )


def followups_due() -> Rich:
    return fmt("Follow-ups due:")


def followup_due(followup: FollowUp) -> Rich:
    if followup.intro_id is not None:  # a hand-off: the note that settles it names the member
        return fmt(
            "Put {member} in touch with {contact} (due {day}): then log it with `contact note {contact_id} introduced "
            "{member}`, or `snooze f{id} 3d`. `followups` lists them all.",
            member=someone(followup.intro_member_name),
            contact=followup.contact_name,
            day=Moment(followup.due_at, "date"),
            contact_id=str(followup.contact_id),
            id=str(followup.id),
        )
    return fmt(
        "Follow up with {contact} (due {day}): log it with `contact note {contact_id} <text>`, or "
        "`snooze f{id} 3d`. `followups` lists them all.",
        contact=followup.contact_name,
        day=Moment(followup.due_at, "date"),
        contact_id=str(followup.contact_id),
        id=str(followup.id),
    )


def snooze_button(followup_id: int) -> tuple[Button, ...]:
    return (Button("Snooze 3d", f"snooze f{followup_id} 3d", "secondary"),)


# --- refusals -------------------------------------------------------------------------------


def missing(contact_id: int) -> Rich:
    """The same words whether the contact does not exist or is not the viewer's to see."""
    return fmt("There's no contact {id} you can see. `contacts` lists the ones you can.", id=str(contact_id))


def only_owner(contact: Contact) -> Rich:
    rule = fmt("Only {owner}, who added contact {id}, can change it or log notes.", owner=contact.owner_name,
               id=str(contact.id))  # fmt: skip
    return not_theirs(rule, contact.owner_name, fmt("you can read it with `contact {id}`.", id=str(contact.id)))


def needs_name() -> Rich:
    return fmt('A contact needs a name, like `contact add name:"Jordan Lee"`.')


def say_what_happened(contact_id: int) -> Rich:
    return fmt("Say what happened, like `contact note {id} called about the rally`.", id=str(contact_id))


def what_to_change(contact_id: int) -> Rich:
    return fmt(
        'Say what to change, like `contact edit {id} org:"Teachers Union"` or `contact edit {id} share:members`.',
        id=str(contact_id),
    )


def empty_name() -> Rich:
    return fmt("A contact's name can't be empty. "
               'Give the new one, like `name:"Jordan Lee"`, or leave out `name:` to keep it.')  # fmt: skip


def no_such_followup(followup_id: int) -> Rich:
    return fmt("There's no follow-up f{id} of yours. `followups` lists them.", id=str(followup_id))


def followup_done(followup_id: int) -> Rich:
    return fmt("Follow-up f{id} is already done. `followups` lists the open ones.", id=str(followup_id))
