"""Introductions (spec §3): double opt-in, and a decline that is only ever "not now".

An intro joins two members, or a member and an outside contact. Every member side is asked
privately and answers `accept <id>` or `decline <id>`; a side who proposed it has said yes by
proposing. When every side says yes the intro is made: two members are recorded as having met;
for a contact, its owner gets a follow-up to make the connection. One "no" closes the intro as
`not_now`, the only word anyone is ever shown for it. A pair is proposed at most once, ever
(pending, made or not now), and the refusal to ask again does not say which it was.

A contact in an intro obeys its share like everywhere else: the proposer and the member must
both be allowed to see it, and lists show it only to those who still may (`contact_seen_by`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.areas import contacts, network, people
from bot.areas.contacts import Contact, FollowUp
from bot.areas.intros import queries as store
from bot.areas.intros import words
from bot.areas.intros.queries import Intro
from bot.config import Config
from bot.core.errors import Conflict, NotFound, UsageError
from bot.core.params import MemberRef
from bot.ids import ContactId, IntroId, PersonId, Role
from bot.storage import persons
from bot.storage.db import Tx
from bot.storage.persons import Person

RECENT_DAYS = 30
LISTED = 20
_CONTACT_NUMBER = re.compile(r"^#?(\d{1,9})$")


@dataclass(frozen=True)
class IntroView:
    """An intro with the people in it. Show `contact` only through `contact_seen_by`."""

    intro: Intro
    proposer: Person | None
    a: Person
    b: Person | None
    contact: Contact | None

    @property
    def made(self) -> bool:
        return self.intro.status == "made"

    @property
    def not_now(self) -> bool:
        return self.intro.status == "not_now"


@dataclass(frozen=True)
class Outcome:
    """An intro after a proposal or an answer: who must still be asked, and the owner's follow-up
    when an intro to a contact was just made."""

    view: IntroView
    asked: tuple[Person, ...]
    followup: FollowUp | None


def contact_seen_by(view: IntroView, person_id: PersonId, role: Role) -> Contact | None:
    """The intro's contact if this person may see it (by its share), else None."""
    if view.contact is None or not contacts.can_see(view.contact, person_id, role):
        return None
    return view.contact


def contact_number(ref: MemberRef) -> int | None:
    """`5` or `#5` typed where a member or contact goes means contact 5; a mention never does."""
    if ref.user_id is not None:
        return None
    match = _CONTACT_NUMBER.match(ref.text.strip())
    return int(match.group(1)) if match else None


async def _member_or_contact(
    tx: Tx, speaker: Person, role: Role, ref: MemberRef, platform: str
) -> tuple[Person | None, Contact | None]:
    """A member by mention or name; else a contact the speaker may see, by its name (`"Pat Ally"`,
    which was refused as nobody the bot knew)."""
    try:
        return await people.member_or_me(tx, speaker, ref, platform), None
    except NotFound:
        if ref.user_id is not None:
            raise
    found = await contacts.visible_named(tx, speaker, role, ref.text.strip())
    if len(found) > 1:
        raise UsageError(words.which_contact(ref.text.strip(), [contact.id for contact in found]))
    if not found:
        raise NotFound(words.nobody_or_contact_called(ref.text.strip()))
    return None, found[0]


async def view_of(tx: Tx, intro: Intro) -> IntroView:
    ids = [pid for pid in (intro.proposer_id, intro.a_id, intro.b_id) if pid is not None]
    found = await persons.get_many(tx, ids)
    contact = await contacts.get_contact(tx, intro.contact_id) if intro.contact_id is not None else None
    return IntroView(
        intro,
        found.get(intro.proposer_id) if intro.proposer_id is not None else None,
        found[intro.a_id],
        found.get(intro.b_id) if intro.b_id is not None else None,
        contact,
    )


def _check_contact(speaker: Person, member: Person, contact: Contact) -> None:
    if contact.owner_id == member.id:
        whose = "your" if member.id == speaker.id else f"{member.display_name}'s"
        raise Conflict(words.own_contact(contact.name, whose))
    if contact.share == "private":
        raise Conflict(words.private_contact(contact.id))
    if not contacts.can_see(contact, member.id, member.role):
        raise Conflict(
            words.cannot_see(member.display_name, contact.id, contact.owner_id == speaker.id, contact.owner_name)
        )


async def propose(
    tx: Tx,
    speaker: Person,
    role: Role,
    first: MemberRef,
    second: MemberRef,
    why: str,
    *,
    platform: str,
    now: int,
    config: Config,
) -> Outcome:
    if contact_number(first) is not None:
        raise UsageError(words.member_first())
    a = await people.member_or_me(tx, speaker, first, platform)
    number = contact_number(second)
    contact = await contacts.visible(tx, speaker, role, number) if number is not None else None
    b = None
    if contact is None:
        b, contact = await _member_or_contact(tx, speaker, role, second, platform)
    if b is not None and b.id == a.id:
        raise UsageError(words.not_to_themselves(None if a.id == speaker.id else a.display_name))
    if contact is not None:
        _check_contact(speaker, a, contact)
    if not why.strip():
        raise UsageError(words.say_why())
    if await store.by_pair(tx, a.id, b.id if b else None, contact.id if contact else None) is not None:
        other = b.display_name if b is not None else contact.name if contact is not None else ""
        raise Conflict(words.already_on_file(a.display_name, other))
    intro = await store.create(
        tx,
        proposer_id=speaker.id,
        a_id=a.id,
        b_id=b.id if b else None,
        contact_id=contact.id if contact else None,
        why=why.strip(),
        a_answer="yes" if a.id == speaker.id else "pending",
        b_answer=None if b is None else "yes" if b.id == speaker.id else "pending",
        now=now,
        remind_at=now + config.nudges.intro_days * 86400,
    )
    followup = await _make(tx, intro, now, config) if intro.everyone_said_yes else None
    view = await view_of(tx, await _fresh(tx, intro.id))
    asked = tuple(p for p in (view.a, view.b) if p is not None and intro.answer_of(p.id) == "pending")
    return Outcome(view, asked, followup)


async def _fresh(tx: Tx, intro_id: IntroId) -> Intro:
    intro = await store.get(tx, intro_id)
    assert intro is not None
    return intro


async def _make(tx: Tx, intro: Intro, now: int, config: Config) -> FollowUp | None:
    """Everyone said yes: record the meeting, or give the contact's owner the connecting to do."""
    await store.close(tx, intro.id, "made", now)
    if intro.b_id is not None:
        await network.record_meeting(
            tx, intro.a_id, intro.b_id, recorded_by=None, how="intro", intro_id=intro.id, note=None, now=now
        )
        return None
    assert intro.contact_id is not None
    contact = await contacts.get_contact(tx, ContactId(intro.contact_id))
    assert contact is not None
    due = now + int(timedelta(days=config.network.intro_followup_days).total_seconds())
    return await contacts.add_followup(tx, contact.owner_id, contact.id, intro.id, due, now)


async def the_one_waiting(tx: Tx, speaker: Person, verb: str) -> int:
    """The intro `accept` or `decline` (`verb`) means without a number: the one waiting for the
    speaker's answer, when there is exactly one (`accept`, as people answer an invitation)."""
    waiting = [intro.id for intro in await store.waiting_for(tx, speaker.id)]
    if not waiting:
        raise NotFound(words.none_waiting())
    if len(waiting) > 1:
        raise UsageError(words.which_intro(verb, waiting))
    return waiting[0]


def _not_waiting(intro_id: int) -> NotFound:
    return NotFound(words.not_waiting(intro_id))


async def answer(tx: Tx, speaker: Person, intro_id: int, yes: bool, now: int, config: Config) -> Outcome:
    """`accept` or `decline`. A decline closes the intro as "not now"; a side may still decline
    after saying yes, while the intro is open."""
    intro = await store.get(tx, IntroId(intro_id))
    if intro is None:
        raise _not_waiting(intro_id)
    if speaker.id not in intro.sides:
        if intro.proposer_id == speaker.id:
            raise Conflict(words.you_proposed_it(intro.id))
        contact = await contacts.get_contact(tx, intro.contact_id) if intro.contact_id is not None else None
        if contact is not None and contact.owner_id == speaker.id:  # nobody asks the owner: they connect them
            raise Conflict(words.yours_to_connect(intro.id, contact.id))
        raise _not_waiting(intro_id)
    if intro.status == "made":
        raise Conflict(words.already_happened(intro.id))
    if intro.status == "not_now":
        raise Conflict(words.not_going_ahead(intro.id))
    if yes and intro.answer_of(speaker.id) == "yes":
        raise Conflict(words.already_yes(intro.id))
    await store.set_answer(tx, intro, speaker.id, "yes" if yes else "no")
    followup = None
    if not yes:
        await store.close(tx, intro.id, "not_now", now)
    else:
        updated = await _fresh(tx, intro.id)
        if updated.everyone_said_yes:
            followup = await _make(tx, updated, now, config)
    return Outcome(await view_of(tx, await _fresh(tx, intro.id)), (), followup)


async def listing(tx: Tx, person: Person, now: int) -> list[IntroView]:
    """Pending intros the person is in or proposed, then those closed in the last RECENT_DAYS."""
    since = now - int(timedelta(days=RECENT_DAYS).total_seconds())
    return [await view_of(tx, intro) for intro in await store.involving(tx, person.id, since, LISTED)]


async def waiting_for(tx: Tx, person: Person) -> list[IntroView]:
    """Intros waiting for this person's answer, oldest first (for `mine`)."""
    return [await view_of(tx, intro) for intro in await store.waiting_for(tx, person.id)]
