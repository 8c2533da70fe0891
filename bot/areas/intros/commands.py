"""Commands for introductions (spec §3): intro, accept, decline, intros.

Contacts are shown to each reader only as their share allows (`contact_seen_by`).
"""

from __future__ import annotations

from bot.areas import contacts, people
from bot.areas.contacts import FollowUp
from bot.areas.intros import queries, rules, words
from bot.areas.intros.rules import IntroView, contact_seen_by
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.kinds import Id, Text
from bot.core.messages import Reply
from bot.core.params import Args, Param
from bot.core.text import Rich, join, lines
from bot.ids import Role
from bot.storage import persons
from bot.storage.persons import Person

NOTE_MAX = 2000

intros = CommandSet[Context](Section.NETWORK)

INTRO_ID = Param("id", Id(complete=queries.complete_waiting), "The intro's number (not needed when one waits for you).",
                 positional=True)  # fmt: skip
MEMBER = Param(
    "member", people.member(), "The first member: a mention, their name, or `me`.", required=True, positional=True
)
OTHER = Param(
    "other",
    people.member(),
    "The second member, or an outside contact by its number (e.g. 5) or its name.",
    required=True,
    positional=True,
    placeholder="member or contact",
)
WHY = Param("why", Text(NOTE_MAX), "Why they should meet.", required=True)


def contact_text(view: IntroView, viewer: Person, role: Role) -> Rich:
    return words.contact_text(contact_seen_by(view, viewer.id, role))


def parties(view: IntroView, viewer: Person, role: Role) -> Rich:
    return words.parties(view.a, view.b, contact_text(view, viewer, role), viewer.id)


async def _ask(ctx: Context, view: IntroView, person: Person) -> None:
    """Ask one side privately, with buttons; the key makes it once per person per intro (and
    tells `contact drop` whether the ask has reached them, when it calls the intro off)."""
    intro = view.intro
    if view.b is not None:
        other = view.b if person.id == view.a.id else view.a
        text = words.ask_member(intro.id, other, view.proposer, intro.why)
    else:
        assert view.contact is not None
        text = words.ask_about_contact(intro.id, view.contact, view.proposer, intro.why)
    await ctx.notify(
        person.id,
        text,
        key=queries.ask_key(intro.id, person.id),
        kind="intro",
        buttons=words.buttons(intro.id),
        subject=f"intro:{intro.id}",
    )


async def _tell_owner(ctx: Context, view: IntroView, followup: FollowUp) -> None:
    """An intro to a contact was made: its owner makes the connection, with a follow-up as reminder."""
    assert view.contact is not None
    owner = await persons.get(ctx.tx, view.contact.owner_id)
    if owner is None or ctx.speaker.id == owner.id:
        return
    text = words.connect(view.contact, view.a, view.proposer, owner, view.intro.why, followup.id, followup.due_at)
    await ctx.notify(owner.id, text, key=f"intro:{view.intro.id}:connect:p{owner.id}", kind="intro")


@intros.command(
    "intro", "Propose an introduction; each side is asked privately and must say yes.",
    example='intro @alice @bob why:"both organising school libraries"', sensitive=True, params=(MEMBER, OTHER, WHY),
)  # fmt: skip
async def propose(ctx: Context, args: Args) -> Reply:
    outcome = await rules.propose(
        ctx.tx,
        ctx.speaker,
        ctx.role,
        args[MEMBER],
        args[OTHER],
        args[WHY],
        platform=ctx.incoming.platform,
        now=ctx.ts,
        config=ctx.config,
    )
    view = outcome.view
    for person in outcome.asked:
        await _ask(ctx, view, person)
    if outcome.followup is not None:
        await _tell_owner(ctx, view, outcome.followup)
        assert view.contact is not None
        return Reply(words.on_with_contact(view.intro.id, view.contact.owner_name, view.contact.name), sensitive=True)
    speaker_in_it = any(p.id == ctx.speaker.id for p in (view.a, view.b) if p is not None)
    text = words.asked([p.display_name for p in outcome.asked], view.intro.id, speaker_in_it)
    return Reply(text, sensitive=view.contact is not None)


async def _answered(ctx: Context, args: Args, verb: str) -> int:
    """The intro an answer is about: the one named, or the one waiting (`accept` alone)."""
    named = args.get(INTRO_ID)
    return named if named is not None else await rules.the_one_waiting(ctx.tx, ctx.speaker, verb)


@intros.command(
    "accept", "Say yes to an intro you were asked about.", who="the people introduced", example="accept 3",
    sensitive=True, params=(INTRO_ID,),
)  # fmt: skip
async def accept(ctx: Context, args: Args) -> Reply:
    intro_id = await _answered(ctx, args, "accept")
    outcome = await rules.answer(ctx.tx, ctx.speaker, intro_id, True, ctx.ts, ctx.config)
    view, intro_id = outcome.view, outcome.view.intro.id
    if not view.made:
        other = view.b if view.a.id == ctx.speaker.id else view.a
        return Reply(words.said_yes_waiting(intro_id, other.display_name if other else "the other side"))
    proposer = view.proposer
    if view.b is None:
        assert view.contact is not None and outcome.followup is not None
        await _tell_owner(ctx, view, outcome.followup)
        if proposer is not None and proposer.id not in (ctx.speaker.id, view.contact.owner_id):
            text = words.contact_yes_for_proposer(
                ctx.speaker.display_name, contact_text(view, proposer, proposer.role), intro_id,
                view.contact.owner_name,
            )  # fmt: skip
            await ctx.notify(proposer.id, text, key=f"intro:{intro_id}:made:p{proposer.id}", kind="intro")
        return Reply(words.owner_will_connect(view.contact.owner_name, view.contact.name))
    other = view.b if view.a.id == ctx.speaker.id else view.a
    await ctx.notify(
        other.id,
        words.introduction(ctx.speaker, proposer, other, view.intro.why),
        key=f"intro:{intro_id}:made:p{other.id}",
        kind="intro",
    )
    if proposer is not None and proposer.id not in (view.a.id, view.b.id):
        await ctx.notify(
            proposer.id,
            words.made_for_proposer(view.a.display_name, view.b.display_name, intro_id),
            key=f"intro:{intro_id}:made:p{proposer.id}",
            kind="intro",
        )
    return Reply(words.introduction(other, proposer, ctx.speaker, view.intro.why))


@intros.command(
    "decline", "Say no to an intro; everyone else only ever sees “not now”.", who="the people introduced",
    example="decline 3", sensitive=True, params=(INTRO_ID,),
)  # fmt: skip
async def decline(ctx: Context, args: Args) -> Reply:
    intro_id = await _answered(ctx, args, "decline")
    outcome = await rules.answer(ctx.tx, ctx.speaker, intro_id, False, ctx.ts, ctx.config)
    view, intro_id = outcome.view, outcome.view.intro.id
    proposer = view.proposer
    if proposer is not None and proposer.id != ctx.speaker.id:
        await ctx.notify(
            proposer.id,
            words.not_now_for_proposer(intro_id, parties(view, proposer, proposer.role)),
            key=f"intro:{intro_id}:not-now:p{proposer.id}",
            kind="intro",
        )
    return Reply(words.wont_go_ahead(intro_id))


def _status(view: IntroView, ctx: Context, connecting: set[int]) -> Rich:
    intro = view.intro
    if view.not_now:
        return words.status_not_now()
    contact = contact_seen_by(view, ctx.speaker.id, ctx.role)
    if view.made and intro.id in connecting and contact is not None:  # all said yes; now the owner's turn
        if contact.owner_id == ctx.speaker.id:
            return words.status_yours_to_connect(contact.id, view.a.display_name)
        return words.status_connecting(contact.owner_name, you=view.a.id == ctx.speaker.id)
    if view.made:
        return words.status_made(intro.closed_at or intro.created_at)
    mine = intro.answer_of(ctx.speaker.id)
    if mine == "pending":
        return words.status_yours(intro.id)
    if mine == "yes":
        other = view.b if view.a.id == ctx.speaker.id else view.a
        return words.status_theirs(other.display_name if other else "the other side")
    return words.status_open()


@intros.command("intros", "Your pending and recent intros.", example="intros", sensitive=True, reads=True)
async def list_intros(ctx: Context, args: Args) -> Reply:
    views = await rules.listing(ctx.tx, ctx.speaker, ctx.ts)
    if not views:
        return Reply(words.none_yet())
    rows: list[Rich] = [words.your_intros()]
    connecting = await contacts.connecting(ctx.tx, [v.intro.id for v in views if v.made and v.intro.contact_id])
    for view in views:
        row = [words.numbered(view.intro.id) + parties(view, ctx.speaker, ctx.role)]
        if view.proposer is not None and view.proposer.id == ctx.speaker.id:
            row.append(words.you_proposed())
        elif view.proposer is not None and view.proposer.id not in view.intro.sides:
            row.append(words.proposed_by(view.proposer.display_name))
        row.append(_status(view, ctx, connecting))
        rows.append(join(row, " · "))
    waiting = next(
        (v for v in views if v.intro.status == "pending" and v.intro.answer_of(ctx.speaker.id) == "pending"), None
    )
    rows.append(words.answer_next(waiting.intro.id) if waiting is not None else words.connect_more())
    return Reply(lines(*rows))
