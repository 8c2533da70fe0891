"""Handlers for introductions (spec §3): intro, accept, decline, intros.

Public replies name people in plain text, never as pings: an intro is nobody's business but the
people in it. The words "declined" and "no" are never shown for an intro; it is "not now".
Contacts are shown to each reader only as their share allows (`contact_seen_by`).
"""

from __future__ import annotations

from bot.core.args import Args
from bot.core.commands import Arg, Command, Kind, Section
from bot.core.context import Context
from bot.core.messages import Button, Reply, Role
from bot.core.text import Mention, Rich, fmt, join, lines
from bot.features import intros
from bot.features.intros import IntroView, contact_seen_by
from bot.features.timing import person_zone
from bot.handlers.render import day_text, someone
from bot.storage import people as people_store
from bot.storage.accounts import FORMER
from bot.storage.followups import FollowUp
from bot.storage.people import Person

NOTE_MAX = 2000


def _buttons(intro_id: int) -> tuple[Button, ...]:
    return (
        Button("Yes, introduce us", f"accept {intro_id}"),
        Button("Not now", f"decline {intro_id}", "secondary"),
    )


def _contact_text(view: IntroView, viewer: Person, role: Role) -> Rich:
    contact = contact_seen_by(view, viewer.id, role)
    if contact is None:
        return fmt("an outside contact")
    return fmt("{name} (contact {id})", name=contact.name, id=str(contact.id))


def _name(person: Person | None, viewer: Person) -> Rich:
    if person is None:
        return fmt("{who}", who=FORMER)
    return fmt("you") if person.id == viewer.id else fmt("{name}", name=person.display_name)


def _parties(view: IntroView, viewer: Person, role: Role) -> Rich:
    other = _name(view.b, viewer) if view.b is not None else _contact_text(view, viewer, role)
    return fmt("{a} and {b}", a=_name(view.a, viewer), b=other)


async def _ask(ctx: Context, view: IntroView, person: Person) -> None:
    """Ask one side privately, with buttons; the key makes it once per person per intro."""
    intro = view.intro
    why = fmt("“{why}”", why=intro.why)
    proposer = view.proposer
    if view.b is not None:
        other = view.b if person.id == view.a.id else view.a
        who: Rich = (Mention(other.id, other.display_name),)
        if proposer is not None and proposer.id == other.id:
            opening = fmt("{who} would like to meet you: {why}", who=who, why=why)
        else:
            by = proposer.display_name if proposer else "A member"
            opening = fmt("{by} would like to introduce you to {who}: {why}", by=by, who=who, why=why)
        after = fmt("If you both say yes, I'll introduce you.")
    else:
        assert view.contact is not None
        contact = view.contact
        about = fmt("{name}", name=contact.name) + (fmt(" ({org})", org=contact.org) if contact.org else ())
        by = proposer.display_name if proposer else "A member"
        if proposer is not None and proposer.id == contact.owner_id:
            opening = fmt("{by} would like to introduce you to {about}, one of their contacts: {why}",
                          by=by, about=about, why=why)  # fmt: skip
        else:
            opening = fmt(
                "{by} would like to introduce you to {about}, an outside contact of {owner}'s: {why}",
                by=by, about=about, owner=contact.owner_name, why=why,
            )  # fmt: skip
        after = fmt("If you say yes, {owner} will put you in touch.", owner=contact.owner_name)
    text = lines(
        opening,
        after,
        fmt("Next: `accept {id}` or `decline {id}` (nobody hears more than “not now”).", id=str(intro.id)),
    )
    await ctx.notify(
        person.id,
        text,
        key=f"intro:{intro.id}:ask:p{person.id}",
        kind="intro",
        buttons=_buttons(intro.id),
        subject=f"intro:{intro.id}",
    )


async def _tell_owner(ctx: Context, view: IntroView, followup: FollowUp) -> None:
    """An intro to a contact was made: its owner makes the connection, with a follow-up as reminder."""
    assert view.contact is not None
    contact, member, proposer = view.contact, view.a, view.proposer
    owner = await people_store.get(ctx.tx, contact.owner_id)
    if owner is None or ctx.speaker.id == owner.id:
        return
    about = fmt("{contact} (contact {id})", contact=contact.name, id=str(contact.id))
    who = Mention(member.id, member.display_name)
    if proposer is not None and proposer.id == member.id:
        opening = fmt("{who} would like to meet {about}: “{why}”", who=who, about=about, why=view.intro.why)
    else:
        by = "you" if proposer is not None and proposer.id == owner.id else (
            someone(proposer.display_name if proposer else None))  # fmt: skip
        opening = fmt(
            "{who} said yes to meeting {about}, proposed by {by}: “{why}”",
            who=who, about=about, by=by, why=view.intro.why,
        )  # fmt: skip
    text = lines(
        opening,
        fmt(
            "Next: put them in touch, then `contact note {id} introduced {name}`. "
            "I'll remind you on {day} (`snooze f{f} 3d` to move it).",
            id=str(contact.id),
            name=member.display_name,
            day=day_text(followup.due_at, person_zone(owner, ctx.config), ctx.now),
            f=str(followup.id),
        ),
    )
    await ctx.notify(owner.id, text, key=f"intro:{view.intro.id}:connect:p{owner.id}", kind="intro")


def _introduction(view: IntroView, me: Person) -> Rich:
    """The message that introduces two members, as `me` reads it."""
    other = view.b if me.id == view.a.id else view.a
    assert other is not None
    proposer = view.proposer
    if proposer is None or proposer.id in (me.id, other.id):
        reason = fmt("The reason: “{why}”", why=view.intro.why)
    else:
        reason = fmt("{by} thought you should meet: “{why}”", by=proposer.display_name, why=view.intro.why)
    return lines(
        fmt("Meet {other}! You both said yes.", other=Mention(other.id, other.display_name)),
        reason,
        fmt("Next: send {name} a message to say hello.", name=other.display_name),
    )


async def propose(ctx: Context, args: Args) -> Reply:
    outcome = await intros.propose(
        ctx.tx,
        ctx.speaker,
        ctx.role,
        args.member("member"),
        args.member("other"),
        args.text("why"),
        platform=ctx.incoming.platform,
        now=ctx.ts,
        config=ctx.config,
    )
    view = outcome.view
    for person in outcome.asked:
        await _ask(ctx, view, person)
    intro_id = str(view.intro.id)
    sensitive = view.contact is not None
    if outcome.followup is not None:
        await _tell_owner(ctx, view, outcome.followup)
        assert view.contact is not None
        return Reply(
            fmt(
                "Intro {id} is on: {owner} will put you in touch with {contact}. Next: `intros` to see it.",
                id=intro_id,
                owner=view.contact.owner_name,
                contact=view.contact.name,
            ),
            sensitive=True,
        )
    asked = join((fmt("{name}", name=p.display_name) for p in outcome.asked), " and ")
    if any(p.id == ctx.speaker.id for p in (view.a, view.b) if p is not None):
        text = fmt(
            "I've asked {asked} privately (intro {id}); you're in by proposing it. "
            "I'll introduce you when they say yes. Next: `intros` to see where it stands.",
            asked=asked,
            id=intro_id,
        )
    else:
        text = fmt(
            "I've asked {asked} privately (intro {id}). I'll let you know when {it} done. "
            "Next: `intros` to see where it stands.",
            asked=asked,
            id=intro_id,
            it="both say yes and it's" if len(outcome.asked) > 1 else "they say yes and it's",
        )
    return Reply(text, sensitive=sensitive)


async def accept(ctx: Context, args: Args) -> Reply:
    outcome = await intros.answer(ctx.tx, ctx.speaker, args.number("id"), True, ctx.ts, ctx.config)
    view, intro_id = outcome.view, str(outcome.view.intro.id)
    if not view.made:
        other = view.b if view.a.id == ctx.speaker.id else view.a
        return Reply(
            fmt(
                "Thanks, you said yes to intro {id}. I'll introduce you as soon as {other} says yes too. "
                "Next: `intros` to see it.",
                id=intro_id,
                other=other.display_name if other else "the other side",
            )
        )
    proposer = view.proposer
    if view.b is None:
        assert view.contact is not None and outcome.followup is not None
        await _tell_owner(ctx, view, outcome.followup)
        if proposer is not None and proposer.id not in (ctx.speaker.id, view.contact.owner_id):
            contact = _contact_text(view, proposer, proposer.role)
            await ctx.notify(
                proposer.id,
                fmt("{member} said yes to meeting {contact} (intro {id}); {owner} will put them in touch. "
                    "Thank you! Next: `intros`.", member=ctx.speaker.display_name, contact=contact,
                    id=intro_id, owner=view.contact.owner_name),
                key=f"intro:{intro_id}:made:p{proposer.id}", kind="intro",
            )  # fmt: skip
        return Reply(
            fmt(
                "Thanks! {owner} will put you in touch with {contact}. Next: `intros` to see it.",
                owner=view.contact.owner_name,
                contact=view.contact.name,
            )
        )
    other = view.b if view.a.id == ctx.speaker.id else view.a
    await ctx.notify(other.id, _introduction(view, other), key=f"intro:{intro_id}:made:p{other.id}", kind="intro")
    if proposer is not None and proposer.id not in (view.a.id, view.b.id):
        await ctx.notify(
            proposer.id,
            fmt("{a} and {b} both said yes to your intro {id}, so I've introduced them. Thank you! "
                "Next: `intros`.", a=view.a.display_name, b=view.b.display_name, id=intro_id),
            key=f"intro:{intro_id}:made:p{proposer.id}", kind="intro",
        )  # fmt: skip
    return Reply(_introduction(view, ctx.speaker))


async def decline(ctx: Context, args: Args) -> Reply:
    outcome = await intros.answer(ctx.tx, ctx.speaker, args.number("id"), False, ctx.ts, ctx.config)
    view, intro_id = outcome.view, str(outcome.view.intro.id)
    proposer = view.proposer
    if proposer is not None and proposer.id != ctx.speaker.id:
        await ctx.notify(
            proposer.id,
            fmt("Intro {id} ({parties}) isn't going ahead for now. Thanks for thinking of them. "
                "Next: `intros` for the rest.", id=intro_id, parties=_parties(view, proposer, proposer.role)),
            key=f"intro:{intro_id}:not-now:p{proposer.id}", kind="intro",
        )  # fmt: skip
    return Reply(
        fmt(
            "Okay, intro {id} won't go ahead. Nobody hears more than “not now”. Next: `intros` for the rest.",
            id=intro_id,
        )
    )


def _status(view: IntroView, viewer: Person, ctx: Context) -> Rich:
    intro = view.intro
    if view.not_now:
        return fmt("not now")
    if view.made:
        return fmt("introduced {day}", day=day_text(intro.closed_at or intro.created_at, ctx.zone, ctx.now))
    mine = intro.answer_of(viewer.id)
    if mine == "pending":
        return fmt("waiting for you: `accept {id}` or `decline {id}`", id=str(intro.id))
    if mine == "yes":
        other = view.b if view.a.id == viewer.id else view.a
        return fmt("waiting for {other}", other=other.display_name if other else "the other side")
    return fmt("waiting for answers")


def waiting_line(view: IntroView, ctx: Context) -> Rich:
    """One intro waiting for the reader's answer, for `mine`."""
    return (
        fmt("**{id}** ", id=str(view.intro.id))
        + _parties(view, ctx.speaker, ctx.role)
        + fmt(" · `accept {id}` or `decline {id}`", id=str(view.intro.id))
    )


async def list_intros(ctx: Context, args: Args) -> Reply:
    views = await intros.listing(ctx.tx, ctx.speaker, ctx.ts)
    if not views:
        return Reply(fmt('No intros yet. Next: `intro @alice @bob why:"…"` to connect two people who should meet.'))
    rows: list[Rich] = [fmt("Your intros, open ones first:")]
    for view in views:
        parts = [fmt("**{id}** ", id=str(view.intro.id)) + _parties(view, ctx.speaker, ctx.role)]
        if view.proposer is not None and view.proposer.id == ctx.speaker.id:
            parts.append(fmt("you proposed"))
        elif view.proposer is not None and view.proposer.id not in view.intro.sides:
            parts.append(fmt("proposed by {name}", name=view.proposer.display_name))
        parts.append(_status(view, ctx.speaker, ctx))
        rows.append(join(parts, " · "))
    waiting = next((v for v in views if v.intro.status == "pending" and
                    v.intro.answer_of(ctx.speaker.id) == "pending"), None)  # fmt: skip
    if waiting is not None:
        rows.append(fmt("Next: `accept {id}` or `decline {id}`.", id=str(waiting.intro.id)))
    else:
        rows.append(fmt('Next: `intro @alice @bob why:"…"` to connect two more people.'))
    return Reply(lines(*rows))


_INTRO_ID = Arg("id", Kind.ID, "The intro's number.", required=True, positional=True, complete="intros")

COMMANDS = (
    Command(
        "intro",
        Section.NETWORK,
        "Propose an introduction; each side is asked privately and must say yes.",
        propose,
        example='intro @alice @bob why:"both organising school libraries"',
        sensitive=True,
        args=(
            Arg(
                "member",
                Kind.MEMBER,
                "The first member: a mention, their name, or `me`.",
                required=True,
                positional=True,
                complete="members",
            ),
            Arg(
                "other",
                Kind.MEMBER,
                "The second member, or an outside contact by its number (e.g. 5).",
                required=True,
                positional=True,
                placeholder="member or contact",
                complete="members",
            ),
            Arg("why", Kind.TEXT, "Why they should meet.", required=True, max_len=NOTE_MAX),
        ),
    ),
    Command(
        "accept",
        Section.NETWORK,
        "Say yes to an intro you were asked about.",
        accept,
        who="the people introduced",
        example="accept 3",
        sensitive=True,
        args=(_INTRO_ID,),
    ),
    Command(
        "decline",
        Section.NETWORK,
        "Say no to an intro; everyone else only ever sees “not now”.",
        decline,
        who="the people introduced",
        example="decline 3",
        sensitive=True,
        args=(_INTRO_ID,),
    ),
    Command(
        "intros",
        Section.NETWORK,
        "Your pending and recent intros.",
        list_intros,
        example="intros",
        sensitive=True,
    ),
)
