"""Contacts (spec §4): people outside the bot that members keep a log of, and follow-ups.

Sharing is the heart of it. `can_see` is the one rule — private: the owner; leads: the owner,
leads and admins; members: every member — and every function here applies it (lists apply the
same rule in SQL). A contact someone may not see is reported exactly like one that does not
exist ("There's no contact 5 you can see"), so not even its existence leaks. Only the owner
changes a contact, logs notes or has its follow-ups.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.areas.contacts import due, followup_queries, words
from bot.areas.contacts import queries as store
from bot.areas.contacts.records import Contact, FollowUp, Note, WaitingIntro
from bot.clock import from_ts, to_ts
from bot.config import Config
from bot.core.dates import MORNING, When
from bot.core.errors import Conflict, NotAllowed, NotFound, UsageError
from bot.core.names import fold
from bot.core.paging import Page, offset
from bot.core.timing import person_zone
from bot.ids import ContactId, FollowUpId, PersonId, Role
from bot.storage import outbox, persons
from bot.storage.db import Tx
from bot.storage.persons import Person
from bot.zones import later_by, localize, zone

SHARES = ("private", "leads", "members")
DEFAULT_SHARE = "leads"
NOTES_SHOWN = 10
PAGE_SIZE = 10


@dataclass(frozen=True)
class ContactView:
    """A contact as its viewer may see it; `followup` only for the owner (it is their to-do)."""

    contact: Contact
    notes: tuple[Note, ...]
    note_count: int
    followup: FollowUp | None
    mine: bool


@dataclass(frozen=True)
class Saved:
    """A contact after `add` or `edit`, with its open follow-up, and (after `add`) the owner's
    other contacts of the same name: added twice by a slip, notes would split between them."""

    contact: Contact
    followup: FollowUp | None
    namesakes: tuple[ContactId, ...] = ()


@dataclass(frozen=True)
class Noted:
    """A note logged: the follow-ups it settled, the intros' hand-offs on the contact it left open
    (it named none of their members), and the next follow-up if one was set."""

    contact: Contact
    settled: tuple[FollowUp, ...]
    still_open: tuple[FollowUp, ...]
    followup: FollowUp | None


@dataclass(frozen=True)
class IntroOff:
    """An intro that went with its contact, and who is told it is off."""

    intro_id: int
    told: tuple[PersonId, ...]


@dataclass(frozen=True)
class Dropped:
    """A contact dropped, and the intros to it that were still waiting (they went with it)."""

    contact: Contact
    intros_off: tuple[IntroOff, ...] = ()


def can_see(contact: Contact, viewer: PersonId, role: Role) -> bool:
    """The one sharing rule."""
    if contact.owner_id == viewer or contact.share == "members":
        return True
    return contact.share == "leads" and role >= Role.LEAD


def missing(contact_id: int) -> NotFound:
    """The same refusal whether the contact does not exist or is not the viewer's to see."""
    return NotFound(words.missing(contact_id))


async def visible(tx: Tx, viewer: Person, role: Role, contact_id: int) -> Contact:
    contact = await store.get(tx, ContactId(contact_id))
    if contact is None or not can_see(contact, viewer.id, role):
        raise missing(contact_id)
    return contact


async def visible_named(tx: Tx, viewer: Person, role: Role, name: str) -> list[Contact]:
    """The contacts the viewer may see called `name` (an intro's `"Pat Ally"`), or, when none is,
    whose name begins with it (`jordan` for "Jordan Lee")."""
    return await store.named(tx, name, viewer.id, role >= Role.LEAD)


async def owned(tx: Tx, viewer: Person, role: Role, contact_id: int) -> Contact:
    """A contact the viewer owns; someone who may only read it is told whose it is."""
    contact = await visible(tx, viewer, role, contact_id)
    if contact.owner_id != viewer.id:
        raise NotAllowed(words.only_owner(contact))
    return contact


def _clean(value: str | None) -> str | None:
    cleaned = " ".join(value.split()) if value is not None else None
    return cleaned or None


async def add(
    tx: Tx,
    owner: Person,
    *,
    name: str,
    org: str | None,
    how: str | None,
    interests: str | None,
    share: str | None,
    follow_at: int | None,
    now: int,
) -> Saved:
    clean_name = _clean(name)
    if clean_name is None:
        raise UsageError(words.needs_name())
    contact = await store.create(
        tx,
        owner_id=owner.id,
        name=clean_name,
        org=_clean(org),
        how=how.strip() if how and how.strip() else None,
        interests=_clean(interests),
        share=share or DEFAULT_SHARE,
        now=now,
    )
    followup = (
        await followup_queries.add_followup(tx, owner.id, contact.id, None, follow_at, now) if follow_at else None
    )
    return Saved(contact, followup, await store.namesakes(tx, contact))


async def view(tx: Tx, viewer: Person, role: Role, contact_id: int) -> ContactView:
    contact = await visible(tx, viewer, role, contact_id)
    mine = contact.owner_id == viewer.id
    return ContactView(
        contact,
        tuple(await store.notes(tx, contact.id, NOTES_SHOWN)),
        await store.count_notes(tx, contact.id),
        await followup_queries.open_for_contact(tx, contact.id) if mine else None,
        mine,
    )


async def note(tx: Tx, owner: Person, role: Role, contact_id: int, text: str, follow_at: int | None, now: int) -> Noted:
    """Log an interaction, and settle what it is about (`settles`); it may set the next follow-up."""
    contact = await owned(tx, owner, role, contact_id)
    if not text.strip():
        raise UsageError(words.say_what_happened(contact_id))
    noted = await store.add_note(tx, contact, owner.id, text.strip(), now)
    open_ = await followup_queries.open_on(tx, contact.id)
    settled = tuple(followup for followup in open_ if settles(text, followup))
    await followup_queries.close(tx, [followup.id for followup in settled], now)
    followup = (
        await followup_queries.add_followup(tx, owner.id, contact.id, None, follow_at, now) if follow_at else None
    )
    return Noted(noted, settled, tuple(f for f in open_ if f not in settled), followup)


def settles(text: str, followup: FollowUp) -> bool:
    """Whether a note settles a follow-up on its contact. Any note settles the owner's own
    `follow:` date: they were in touch. A hand-off (putting a member in touch, after an intro) only
    when the note names that member, as the wording the owner is given does (`contact note 5
    introduced bob`): with bob and carol both waiting, "introduced bob by email" made carol's
    intro read "introduced" too, and dropped the reminder to put her in touch."""
    if followup.intro_id is None:
        return True
    return followup.intro_member_name is not None and _names(text, followup.intro_member_name)


_WORD = re.compile(r"\w+")


def _names(text: str, name: str) -> bool:
    """Whether `text` names `name`: its words, in order, as whole words folded as names are (`Bob`
    and `@bob` name bob, `renee` names Renée; `bobby` does not), or all run together as one
    (`obrien` names O'Brien). A name without letters or digits, as written."""
    wanted = _WORD.findall(fold(name))
    if not wanted:
        return name.strip().casefold() in text.casefold()
    said = _WORD.findall(fold(text))
    joined = "".join(wanted)
    return joined in said or any(said[i : i + len(wanted)] == wanted for i in range(len(said) - len(wanted) + 1))


async def edit(
    tx: Tx,
    owner: Person,
    role: Role,
    contact_id: int,
    changes: dict[str, str | None],
    follow_at: int | None,
    now: int,
) -> Saved:
    contact = await owned(tx, owner, role, contact_id)
    if not changes and follow_at is None:
        raise UsageError(words.what_to_change(contact.id))
    cleaned: dict[str, str | None] = {}
    for field, value in changes.items():
        if field == "how":  # a story keeps its line breaks
            cleaned[field] = value.strip() if value and value.strip() else None
        else:
            cleaned[field] = _clean(value)
    if "name" in cleaned and cleaned["name"] is None:
        raise UsageError(words.empty_name())
    if cleaned.get("share") is None:
        cleaned.pop("share", None)
    if cleaned:
        await store.update_fields(tx, contact, cleaned, now)
    followup = await followup_queries.open_for_contact(tx, contact.id)
    if follow_at is not None:
        if followup is None:
            followup = await followup_queries.add_followup(tx, owner.id, contact.id, None, follow_at, now)
        else:
            await followup_queries.move_followup(tx, followup.id, follow_at)
            followup = await followup_queries.get_followup(tx, followup.id)
    refreshed = await store.get(tx, contact.id)
    assert refreshed is not None
    return Saved(refreshed, followup)


async def drop(tx: Tx, owner: Person, role: Role, contact_id: int) -> Dropped:
    """Delete a contact with its notes, follow-ups and intros. An intro still waiting for its
    member's answer goes too, so it is called off out loud: what was queued about it is withdrawn,
    and whoever heard of it (the member asked, its proposer) is to be told, or they would wait on
    it, or answer `accept <n>` to a number that no longer means anything."""
    contact = await owned(tx, owner, role, contact_id)
    waiting = await store.intros_waiting_on(tx, contact.id)
    await store.delete(tx, contact.id)
    unheard = await outbox.unsent(tx, [_ask_key(intro) for intro in waiting])
    off = []
    for intro in waiting:
        await outbox.withdraw(tx, f"intro:{intro.id}", "its contact was dropped")
        told = [] if _ask_key(intro) in unheard else [intro.member_id]
        if intro.proposer_id is not None and intro.proposer_id not in (owner.id, intro.member_id):
            told.append(intro.proposer_id)
        off.append(IntroOff(intro.id, tuple(told)))
    return Dropped(contact, tuple(off))


def _ask_key(intro: WaitingIntro) -> str:
    """The key of the message that asked the member about the intro: `intros.queries.ask_key`'s,
    written here since the intros area imports this one."""
    return f"intro:{intro.id}:ask:p{intro.member_id}"


async def search(tx: Tx, viewer: Person, role: Role, terms: Sequence[str], page: int) -> tuple[Page[Contact], bool]:
    """Contacts the viewer may see, every word matching name, org or interests; and whether there
    are more than the page's total says (a search of common words counts only what it read). Past
    the last page, the refusal names the search with it (`contacts teachers page:2`)."""
    found = await store.visible_to(tx, viewer.id, role >= Role.LEAD, terms, PAGE_SIZE, offset(page, PAGE_SIZE))
    return Page.of(found.contacts, found.total, page, PAGE_SIZE, words.searched(terms)), found.more


async def followups(tx: Tx, person: Person, tz: ZoneInfo, due_before: int | None = None) -> list[FollowUp]:
    """The person's open follow-ups, most overdue first (only those due by `due_before`, if given):
    in the order they become overdue in `tz`, the person's zone, not by the moment stored, as a day's
    follow-up (stored as its morning) is late only after one due that afternoon (`due.py`)."""
    found = await followup_queries.open_of(tx, person.id, due_before)
    return sorted(found, key=lambda f: (due.overdue_from(f.due_at, f.intro_id is not None, tz), f.due_at, f.id))


async def count_overdue(tx: Tx, now: int, config: Config | None = None) -> int:
    """Open follow-ups overdue now, everyone's (the digest's count): each is read in its owner's
    zone (`due.py`), the organisation's from `config` for those who set none (UTC without it).
    Those due long ago are counted in SQL; only the last two days' are read one by one."""
    long_ago = now - due.SURELY_OVER
    count = await followup_queries.count_due_by(tx, long_ago)
    recent = await followup_queries.open_due_between(tx, long_ago, now)
    owners = sorted({f.person_id for f in recent})
    people = await persons.get_many(tx, owners)
    default = config.organisation.timezone if config is not None else "UTC"
    zones = {pid: zone(people[pid].tz if pid in people else None, default) for pid in owners}
    return count + sum(1 for f in recent if due.is_overdue(f, now, zones[f.person_id]))


async def keep_local_times(tx: Tx, person_id: PersonId, was: ZoneInfo, now: int, config: Config) -> None:
    """A follow-up is for a day (its morning, unless a time was given) where its owner lives, who
    had `was`: a new zone keeps each one still to come at its local date and time there. Set
    before `profile tz:Pacific/Auckland`, "friday" was reminded on Saturday morning there while
    `followups` said Friday. One already due is being reminded of: a day (its morning) is named
    anew, the same day, and not reminded again ("follow:today" in Chicago read "due Tue" in
    Tokyo); one for a time keeps its moment."""
    person = await persons.get(tx, person_id)
    if person is None:
        return
    tz = person_zone(person, config)
    for followup in await followup_queries.open_of(tx, person_id):
        local = from_ts(followup.due_at).astimezone(was)
        kept = to_ts(localize(local.date(), local.time(), tz))
        if kept == followup.due_at:
            continue
        if followup.due_at > now and kept > now:
            await followup_queries.move_followup(tx, followup.id, kept)
        elif followup.due_at <= now and local.time() == MORNING:
            await followup_queries.redate_followup(tx, followup.id, kept)


async def snooze_followup(
    tx: Tx, person: Person, followup_id: int, later: timedelta | When, now: datetime, tz: ZoneInfo
) -> FollowUp:
    """Move one of the person's follow-ups: `later` from now, or from its date if that is later; or
    to a date (that morning, `MORNING`, when it has no time of day). `3d` keeps the clock time in
    `tz`, the person's zone, across a change of clocks."""
    found = await followup_queries.get_followup(tx, FollowUpId(followup_id))
    if found is None or found.person_id != person.id:
        raise NotFound(words.no_such_followup(followup_id))
    if found.status != "open":
        raise Conflict(words.followup_done(followup_id))
    if isinstance(later, When):
        due = to_ts(later.moment(MORNING))
    else:
        due = to_ts(later_by(max(from_ts(found.due_at), now), later, tz))
    await followup_queries.move_followup(tx, found.id, due)
    moved = await followup_queries.get_followup(tx, found.id)
    assert moved is not None
    return moved
