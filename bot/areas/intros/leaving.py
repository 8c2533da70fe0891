"""Intros that go with someone who is forgotten (`forget me`).

An intro the person is a side of goes with them (its rows cascade), and so does one to a contact
of theirs when their contacts go too. Whoever still waits on such an intro (the other member
asked, its proposer) would hold an `accept <n>` that no longer means anything, or wait on it for
ever: they are told it is off, as "not now" — never who left — unless the question had not
reached them yet (then it is only withdrawn). The notices are queued as no one's: what a
forgotten person caused goes with them (`outbox.caused_by`).

An intro they only proposed, whose sides have all had their question, goes on: those two were
asked, may well want to meet, and their answers are theirs; what was the proposer's, their name
and their reason, goes in the scrub (spec §11: the words of intros they proposed). But one whose
question had not reached a side yet (held for quiet hours) would be left half-alive: that question
goes with the proposer, as all they caused does, so the side would be shown "waiting for you" on
a question they never got, and the other side would wait for ever. Asking them again would send,
after the proposer left, words only the proposer had a reason for. So it is called off like the
others: whoever knew of it hears "not now", and it is deleted, so the pair is free to be proposed
again by someone still here (its number is never reused).
"""

from __future__ import annotations

from bot.areas.intros import queries, words
from bot.areas.intros.queries import Intro
from bot.core.context import Context
from bot.core.notices import to_person
from bot.ids import PersonId
from bot.storage import outbox

#: More pending intros than anyone has (each needs its two sides' yes within days).
_AT_MOST = 10_000


async def call_off(ctx: Context, *, contacts_go: bool) -> int:
    """Call off the pending intros that go with the speaker; returns how many."""
    leaving = ctx.speaker.id
    pending = await queries.involving(ctx.tx, leaving, closed_since=ctx.ts + 1, limit=_AT_MOST)
    theirs = await queries.pending_to_contacts_of(ctx.tx, leaving) if contacts_go else set()
    pending = [intro for intro in pending if intro.status == "pending"]
    going = [intro for intro in pending if leaving in intro.sides or intro.id in theirs]
    proposed = [intro for intro in pending if intro not in going and intro.proposer_id == leaving]
    asked = {queries.ask_key(intro.id, person) for intro in going + proposed for person in intro.sides}
    unread = await outbox.unsent(ctx.tx, sorted(asked))
    half_asked = [intro for intro in proposed if any(not _knows(intro, side, unread) for side in intro.sides)]
    messages = []
    for intro in going + half_asked:
        await outbox.withdraw(ctx.tx, f"intro:{intro.id}", "one of its people left")
        for person in _waiting(intro, leaving, unread):
            messages.append(to_person(person, None, words.called_off(intro.id), key=f"intro:{intro.id}:off:p{person}",
                                      kind="intro", at=ctx.now, config=ctx.config))  # fmt: skip
    for intro in half_asked:  # (the others go with the person's rows)
        await queries.delete(ctx.tx, intro.id)
    await outbox.queue(ctx.tx, messages, ctx.ts)
    return len(going) + len(half_asked)


def _knows(intro: Intro, person: PersonId, unread: set[str]) -> bool:
    """Whether a side knows of the intro: their question reached them, or they answered it anyway
    (`intros` lists it before the question arrives)."""
    return queries.ask_key(intro.id, person) not in unread or intro.answer_of(person) != "pending"


def _waiting(intro: Intro, leaving: PersonId, unread: set[str]) -> list[PersonId]:
    """Who still waits on the intro: the other side, if it knows of it, and the proposer."""
    told = [p for p in intro.sides if p != leaving and _knows(intro, p, unread)]
    if intro.proposer_id is not None and intro.proposer_id != leaving and intro.proposer_id not in told:
        told.append(intro.proposer_id)
    return told
