"""Everything the intros area says.

Public replies name people in plain text, never as pings: an intro is nobody's business but the
people in it. The words "declined" and "no" are never shown for an intro; it is "not now".
Contacts are shown to each reader only as their share allows (`contact_text` gets None when not).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.areas.contacts import Contact
from bot.core.messages import Button
from bot.core.text import Mention, Moment, Rich, fmt, join, lines
from bot.core.words import FORMER, count
from bot.ids import PersonId
from bot.storage.persons import Person


def buttons(intro_id: int) -> tuple[Button, ...]:
    return (
        Button("Yes, introduce us", f"accept {intro_id}"),
        Button("Not now", f"decline {intro_id}", "secondary"),
    )


def reminder_buttons(intro_id: int) -> tuple[Button, ...]:
    return (Button("Accept", f"accept {intro_id}"), Button("Not now", f"decline {intro_id}", "secondary"))


def contact_text(contact: Contact | None) -> Rich:
    """A contact as the reader may see it: named, or only "an outside contact"."""
    if contact is None:
        return fmt("an outside contact")
    return fmt("{name} (contact {id})", name=contact.name, id=str(contact.id))


def name(person: Person | None, viewer: PersonId) -> Rich:
    if person is None:
        return fmt("{who}", who=FORMER)
    return fmt("you") if person.id == viewer else fmt("{name}", name=person.display_name)


def parties(a: Person, b: Person | None, contact: Rich, viewer: PersonId) -> Rich:
    other = name(b, viewer) if b is not None else contact
    return fmt("{a} and {b}", a=name(a, viewer), b=other)


# --- asking each side -----------------------------------------------------------------------


def _because(why: str) -> Rich:
    """The proposer's reason after a colon, or a full stop when there is none (its proposer left)."""
    return fmt(": “{why}”", why=why) if why.strip() else fmt(".")


def ask_member(intro_id: int, other: Person, proposer: Person | None, why: str) -> Rich:
    """What one member is asked about meeting another."""
    who: Rich = (Mention(other.id, other.display_name),)
    if proposer is not None and proposer.id == other.id:
        opening = fmt("{who} would like to meet you", who=who) + _because(why)
    else:
        by = proposer.display_name if proposer else "A member"
        opening = fmt("{by} would like to introduce you to {who}", by=by, who=who) + _because(why)
    return lines(opening, fmt("If you both say yes, I'll introduce you."), answer_hint(intro_id))


def ask_about_contact(intro_id: int, contact: Contact, proposer: Person | None, why: str) -> Rich:
    """What a member is asked about meeting an outside contact."""
    about = fmt("{name}", name=contact.name) + (fmt(" ({org})", org=contact.org) if contact.org else ())
    by = proposer.display_name if proposer else "A member"
    if proposer is not None and proposer.id == contact.owner_id:
        opening = fmt("{by} would like to introduce you to {about}, one of their contacts", by=by, about=about)
    else:
        opening = fmt(
            "{by} would like to introduce you to {about}, an outside contact of {owner}'s",
            by=by, about=about, owner=contact.owner_name,
        )  # fmt: skip
    opening += _because(why)
    after = fmt("If you say yes, {owner} will put you in touch.", owner=contact.owner_name)
    return lines(opening, after, answer_hint(intro_id))


def answer_hint(intro_id: int) -> Rich:
    return fmt("Next: `accept {id}` or `decline {id}` (nobody hears more than “not now”).", id=str(intro_id))


def connect(
    contact: Contact,
    member: Person,
    proposer: Person | None,
    owner: Person,
    why: str,
    followup_id: int,
    due_at: int,
) -> Rich:
    """What a contact's owner is told once a member said yes to meeting the contact."""
    about = fmt("{contact} (contact {id})", contact=contact.name, id=str(contact.id))
    who = Mention(member.id, member.display_name)
    if proposer is not None and proposer.id == member.id:
        opening = fmt("{who} would like to meet {about}", who=who, about=about) + _because(why)
    else:
        by = "you" if proposer is not None and proposer.id == owner.id else (
            proposer.display_name if proposer else FORMER)  # fmt: skip
        opening = fmt("{who} said yes to meeting {about}, proposed by {by}", who=who, about=about, by=by)
        opening += _because(why)
    return lines(
        opening,
        fmt(
            "Next: put them in touch, then `contact note {id} introduced {name}`. "
            "I'll remind you on {day} (`snooze f{f} 3d` to move it).",
            id=str(contact.id),
            name=member.display_name,
            day=Moment(due_at, "date"),
            f=str(followup_id),
        ),
    )


def introduction(other: Person, proposer: Person | None, me: Person, why: str) -> Rich:
    """The message that introduces two members, as `me` reads it."""
    if proposer is None or proposer.id in (me.id, other.id):
        reason = fmt("The reason: “{why}”", why=why) if why.strip() else ()
    else:
        reason = fmt("{by} thought you should meet", by=proposer.display_name) + _because(why)
    return lines(
        fmt("Meet {other}! You both said yes.", other=Mention(other.id, other.display_name)),
        reason,
        fmt("Next: send {name} a message to say hello.", name=other.display_name),
    )


# --- replies --------------------------------------------------------------------------------


def on_with_contact(intro_id: int, owner: str, contact: str) -> Rich:
    return fmt(
        "Intro {id} is on: {owner} will put you in touch with {contact}. Next: `intros` to see it.",
        id=str(intro_id),
        owner=owner,
        contact=contact,
    )


def asked(asked_names: Sequence[str], intro_id: int, speaker_in_it: bool) -> Rich:
    who = join((fmt("{name}", name=n) for n in asked_names), " and ")
    if speaker_in_it:
        return fmt(
            "I've asked {asked} privately (intro {id}); you're in by proposing it. "
            "I'll introduce you when they say yes. Next: `intros` to see where it stands.",
            asked=who,
            id=str(intro_id),
        )
    return fmt(
        "I've asked {asked} privately (intro {id}). I'll let you know when {it} done. "
        "Next: `intros` to see where it stands.",
        asked=who,
        id=str(intro_id),
        it="both say yes and it's" if len(asked_names) > 1 else "they say yes and it's",
    )


def said_yes_waiting(intro_id: int, other: str) -> Rich:
    return fmt(
        "Thanks, you said yes to intro {id}. I'll introduce you as soon as {other} says yes too. "
        "Next: `intros` to see it.",
        id=str(intro_id),
        other=other,
    )


def contact_yes_for_proposer(member: str, contact: Rich, intro_id: int, owner: str) -> Rich:
    return fmt(
        "{member} said yes to meeting {contact} (intro {id}); {owner} will put them in touch. Thank you! "
        "Next: `intros`.",
        member=member, contact=contact, id=str(intro_id), owner=owner,
    )  # fmt: skip


def owner_will_connect(owner: str, contact: str) -> Rich:
    return fmt("Thanks! {owner} will put you in touch with {contact}. Next: `intros` to see it.", owner=owner,
               contact=contact)  # fmt: skip


def made_for_proposer(a: str, b: str, intro_id: int) -> Rich:
    return fmt(
        "{a} and {b} both said yes to your intro {id}, so I've introduced them. Thank you! Next: `intros`.",
        a=a, b=b, id=str(intro_id),
    )  # fmt: skip


def not_now_for_proposer(intro_id: int, who: Rich) -> Rich:
    return fmt(
        "Intro {id} ({parties}) isn't going ahead for now. Thanks for thinking of them. Next: `intros` for the rest.",
        id=str(intro_id),
        parties=who,
    )


def wont_go_ahead(intro_id: int) -> Rich:
    return fmt(
        "Okay, intro {id} won't go ahead. Nobody hears more than “not now”. Next: `intros` for the rest.",
        id=str(intro_id),
    )


def called_off(intro_id: int) -> Rich:
    """An intro that went with someone who left (`forget me`): "not now", as for a decline."""
    return fmt("Intro {id} won't go ahead for now. Next: `intros` for the rest.", id=str(intro_id))


def status_not_now() -> Rich:
    return fmt("not now")


def status_made(at: int) -> Rich:
    return fmt("introduced {day}", day=Moment(at, "date"))


def status_connecting(owner: str, *, you: bool) -> Rich:
    """An intro to a contact that everyone said yes to, before its owner noted making it; `you`:
    the reader is the member being put in touch (not a proposer from outside it)."""
    return fmt("{owner} is putting {whom} in touch", owner=owner, whom="you" if you else "them")


def status_yours_to_connect(contact_id: int, member: str) -> Rich:
    """A note naming the member settles the hand-off (contacts' `rules.settles`)."""
    return fmt("yours to put in touch: `contact note {id} introduced {member}` once you have",
               id=str(contact_id), member=member)  # fmt: skip


def status_yours(intro_id: int) -> Rich:
    return fmt("waiting for you: `accept {id}` or `decline {id}`", id=str(intro_id))


def status_theirs(other: str) -> Rich:
    return fmt("waiting for {other}", other=other)


def status_open() -> Rich:
    return fmt("waiting for answers")


def you_proposed() -> Rich:
    return fmt("you proposed")


def proposed_by(name_: str) -> Rich:
    return fmt("proposed by {name}", name=name_)


def numbered(intro_id: int) -> Rich:
    return fmt("**{id}** ", id=str(intro_id))


def waiting_line(intro_id: int, who: Rich) -> Rich:
    """One intro waiting for the reader's answer, for `mine`."""
    return numbered(intro_id) + who + fmt(" · `accept {id}` or `decline {id}`", id=str(intro_id))


def none_yet() -> Rich:
    return fmt('No intros yet. Next: `intro @alice @bob why:"…"` to connect two people who should meet.')


def your_intros() -> Rich:
    return fmt("Your intros, open ones first:")


def answer_next(intro_id: int) -> Rich:
    return fmt("Next: `accept {id}` or `decline {id}`.", id=str(intro_id))


def connect_more() -> Rich:
    return fmt('Next: `intro @alice @bob why:"…"` to connect two more people.')


def waiting_heading() -> Rich:
    return fmt("Intros waiting for your answer:")


def intro_waiting(intro_id: int, days: int) -> Rich:
    return fmt(
        "An introduction has waited {days} for your answer: `accept {id}` or `decline {id}` "
        "(nobody hears more than “not now”). `intros` shows it.", id=str(intro_id), days=count(days, "day"),
    )  # fmt: skip


# --- refusals -------------------------------------------------------------------------------


def own_contact(contact: str, whose: str) -> Rich:
    return fmt(
        "{contact} is {whose} own contact, so there's nobody new to meet. Next: `intro` them to a member instead.",
        contact=contact,
        whose=whose,
    )


def private_contact(contact_id: int) -> Rich:
    return fmt(
        "Contact {id} is private, so I can't introduce anyone to it. "
        "Share it first: `contact edit {id} share:members`.",
        id=str(contact_id),
    )


def cannot_see(member: str, contact_id: int, own: bool, owner: str) -> Rich:
    how = (
        fmt("share it with members: `contact edit {id} share:members`.", id=str(contact_id))
        if own
        else fmt("ask {owner} to share it with members.", owner=owner)
    )
    return fmt(
        "{member} can't see contact {id} (it's shared with leads only). Pick someone who can, or {how}",
        member=member,
        id=str(contact_id),
        how=how,
    )


def which_contact(name_: str, numbers: list[int]) -> Rich:
    return fmt(
        "Several contacts you can see go by {name} ({numbers}). Put the one you mean by its number in place "
        "of the name, like `{first}`; `contact {first}` shows it.",
        name=name_[:60], numbers=", ".join(str(n) for n in numbers), first=str(numbers[0]),
    )  # fmt: skip


def nobody_or_contact_called(name_: str) -> Rich:
    return fmt(
        "I don't know anyone called {name}: no member, and no contact you can see. A member can join with "
        '`volunteer <skill>`; someone outside, add with `contact add name:"{name}"`.',
        name=name_[:60],
    )


def member_first() -> Rich:
    return fmt('Put the member first and the contact second, like `intro @alice 5 why:"…"`.')


def not_to_themselves(name_: str | None) -> Rich:
    who = fmt("you to yourself") if name_ is None else fmt("{name} to themselves", name=name_)
    return fmt('I can\'t introduce {who}. Name two different people, like `intro @alice @bob why:"…"`.', who=who)


def say_why() -> Rich:
    return fmt('Say why they should meet: `why:"both organising school libraries"`.')


def already_on_file(a: str, b: str) -> Rich:
    return fmt(
        "I already have an intro between {a} and {b} on file, so I won't ask again. "
        "Next: `intros` shows yours, or introduce someone else.",
        a=a,
        b=b,
    )


def none_waiting() -> Rich:
    return fmt("No intro is waiting for your answer. `intros` lists yours.")


def which_intro(verb: str, waiting: Sequence[int]) -> Rich:
    choices = " or ".join(f"`{verb} {n}`" for n in waiting[:3])
    return fmt("Which one? {n} wait for your answer: {choices}. `intros` shows who each is with.",
               n=count(len(waiting), "intro"), choices=choices)  # fmt: skip


def not_waiting(intro_id: int) -> Rich:
    return fmt("There's no intro {id} waiting for your answer. `intros` lists yours.", id=str(intro_id))


def yours_to_connect(intro_id: int, contact_id: int) -> Rich:
    return fmt("Intro {id} needs no answer from you: it's yours to put them in touch with your contact {contact}. "
               "Next: `contact note {contact} <text>` once you have.",
               id=str(intro_id), contact=str(contact_id))  # fmt: skip


def you_proposed_it(intro_id: int) -> Rich:
    return fmt(
        "You proposed intro {id}, so the answer is up to the people you introduced. `intros` shows where it stands.",
        id=str(intro_id),
    )


def already_happened(intro_id: int) -> Rich:
    return fmt("Intro {id} has already happened. `intros` lists the rest.", id=str(intro_id))


def not_going_ahead(intro_id: int) -> Rich:
    return fmt("Intro {id} isn't going ahead for now. `intros` lists the rest.", id=str(intro_id))


def already_yes(intro_id: int) -> Rich:
    return fmt(
        "You've already said yes to intro {id}; I'm waiting for the other side. `intros` shows it.", id=str(intro_id)
    )
