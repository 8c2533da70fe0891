"""Intros that go with someone who is forgotten (`forget me`).

An intro the person is a side of goes with them (its rows cascade), and so does one to a contact
of theirs when their contacts go too. Whoever still waits on such an intro (the other member
asked, its proposer) would hold an `accept <n>` that no longer means anything, or wait on it for
ever: they are told it is off, as "not now" — never who left — unless the question had not
reached them yet (then it is only withdrawn). The notices are queued as no one's: what a
forgotten person caused goes with them (`outbox.caused_by`).
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
    going = [intro for intro in pending if intro.status == "pending" and (leaving in intro.sides or intro.id in theirs)]
    asked = {queries.ask_key(intro.id, person) for intro in going for person in intro.sides if person != leaving}
    unread = await outbox.unsent(ctx.tx, sorted(asked))
    messages = []
    for intro in going:
        await outbox.withdraw(ctx.tx, f"intro:{intro.id}", "one of its people left")
        for person in _waiting(intro, leaving, unread):
            messages.append(to_person(person, None, words.called_off(intro.id), key=f"intro:{intro.id}:off:p{person}",
                                      kind="intro", at=ctx.now, config=ctx.config))  # fmt: skip
    await outbox.queue(ctx.tx, messages, ctx.ts)
    return len(going)


def _waiting(intro: Intro, leaving: PersonId, unread: set[str]) -> list[PersonId]:
    """Who still waits on the intro: the other side, if asked already, and the proposer."""
    told = [p for p in intro.sides if p != leaving and queries.ask_key(intro.id, p) not in unread]
    if intro.proposer_id is not None and intro.proposer_id != leaving and intro.proposer_id not in told:
        told.append(intro.proposer_id)
    return told
