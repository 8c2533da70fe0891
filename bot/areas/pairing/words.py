"""Everything the pairing area says: opting in or out, and each person's message of a round."""

from __future__ import annotations

from bot.areas.pairing.queries import Candidate
from bot.areas.pairing.rules import reasons
from bot.core.text import Mention, Moment, Rich, fmt, join, lines
from bot.core.words import member_word, series


def schedule_text(next_round: int | None) -> Rich:
    """When rounds are, for each reader: weekly, and the next one that will pair them in the
    reader's own zone (a round is at a time in the organisation's zone, which is not everyone's);
    None while they are paused with no end."""
    if next_round is None:
        return fmt("each week, once you `resume`")
    return fmt("each week, next on {when}", when=Moment(next_round))


def joined(when: Rich) -> Rich:
    return fmt(
        "You're in the pairing: {when}, I'll pair you with a member you haven't met and tell you why, "
        'privately. Next: `profile interests:"…"` helps me find a good match; `pairing off` stops it.',
        when=when,
    )


def already_in(when: Rich) -> Rich:
    return fmt("You're already in the pairing ({when}). Next: `pairing off` to stop.", when=when)


def left() -> Rich:
    return fmt(
        "You're out of the pairing. Past pairs stay on record so they never repeat. Next: `pairing on` to rejoin."
    )


def in_it(when: Rich) -> Rich:
    return fmt("You're in the pairing ({when}). Next: `pairing off` to stop.", when=when)


def out(when: Rich) -> Rich:
    return fmt("You're not in the pairing. Next: `pairing on` to join ({when}).", when=when)


def not_in(when: Rich) -> Rich:
    return fmt("You weren't in the pairing. Next: `pairing on` to join ({when}).", when=when)


_LIBRARY = {
    "public": "a public library",
    "academic": "an academic library",
    "school": "a school library",
    "special": "a special library",
    "archive": "an archive",
    "other": "another kind of library",
}


def _why(me: Candidate, other: Candidate) -> Rich:
    found = reasons(me, other)
    bits: list[Rich] = []
    if found.interests:
        bits.append(fmt("you both care about {x}", x=series(found.interests)))
    if found.moments:
        bits.append(fmt("you were both at {x}", x=series(found.moments)))
    if found.skills:
        bits.append(fmt("you both do {x}", x=series(found.skills)))
    if found.region:
        mine = fmt(" (you're in {r})", r=me.region) if me.region else fmt("")
        bits.append(fmt("{name} is in {r}", name=other.name, r=found.region) + mine)
    if found.library:
        bits.append(fmt("{name} works in {kind}", name=other.name, kind=_LIBRARY.get(found.library, found.library)))
    if not bits:
        bits.append(fmt("you haven't met yet"))
    return join(bits, "; ")


def pair_message(me: Candidate, others: list[Candidate]) -> Rich:
    """What one person is told about their pair (or trio) this round."""
    who = join(((Mention(o.id, o.name),) for o in others), " and ")
    rows: list[Rich] = [
        fmt("This week's pairing: meet {who}!", who=who)
        if len(others) == 1
        else fmt("This week you're a trio: meet {who}!", who=who)
    ]
    for other in others:
        label = fmt("Why: ") if len(others) == 1 else fmt("Why {name}: ", name=other.name)
        rows.append(label + _why(me, other) + fmt("."))
    if len(others) == 1:
        step = fmt(
            "Next: send {name} a message to say hello, and `met {who}` once you've talked. "
            "(`pairing off` stops these.)",
            name=others[0].name,
            who=member_word(others[0].name),
        )
    else:
        step = fmt(
            "Next: start a conversation with both, and `met {a}` and `met {b}` once you've talked. "
            "(`pairing off` stops these.)",
            a=member_word(others[0].name),
            b=member_word(others[1].name),
        )
    rows.append(step)
    return lines(*rows)


def alone_message() -> Rich:
    return fmt(
        "No new pair for you this round (odd numbers, or you've met everyone available). "
        'I\'ll try again next round. Next: `intros`, or `intro me <member> why:"…"` to meet someone now.'
    )
