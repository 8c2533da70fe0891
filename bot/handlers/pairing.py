"""The words of a pairing round (spec §3); `pairing on|off` itself is in `bot.handlers.network`.

The scheduler calls `run_pairing_round(tx, now, config)` at the weekly moment in
`scheduler.pairing`. It pairs (see `bot.features.pairing` and `docs/pairing.md`) and queues one
private message per person through the outbox, keyed `pair:<round date>:<ids>:p<person>`, so a
round that runs twice — or again after a crash — sends nothing twice; the round itself is
recorded by its date and never redone.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import to_ts
from bot.config import Config
from bot.core.context import encode_body
from bot.core.text import Mention, PersonId, Rich, fmt, join, lines
from bot.features import pairing
from bot.features.pairing import Candidate, Pair
from bot.features.timing import next_send_time
from bot.handlers.network import member_word
from bot.storage import outbox
from bot.storage import people as people_store
from bot.storage.db import Tx
from bot.storage.people import Person

CHUNK = 500

_LIBRARY = {
    "public": "a public library",
    "academic": "an academic library",
    "school": "a school library",
    "special": "a special library",
    "archive": "an archive",
    "other": "another kind of library",
}


def _why(me: Candidate, other: Candidate) -> Rich:
    found = pairing.reasons(me, other)
    bits: list[Rich] = []
    if found.interests:
        bits.append(fmt("you both care about {x}", x=", ".join(found.interests)))
    if found.skills:
        bits.append(fmt("you both do {x}", x=", ".join(found.skills)))
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


async def run_pairing_round(tx: Tx, now: datetime, config: Config) -> list[Pair]:
    """Run this round's pairing (once per round date) and queue each person's private message.

    Returns the pairs made by this call: empty when the round had already run.
    """
    made = await pairing.make_round(tx, now, config)
    if made is None:
        return []
    ids = [pid for pair in made.pairs for pid in pair.people] + list(made.unpaired)
    found: dict[PersonId, Person] = {}
    for start in range(0, len(ids), CHUNK):  # stay far below SQLite's limit on bound variables
        found.update(await people_store.get_many(tx, ids[start : start + CHUNK]))
    rows: list[dict[str, object]] = []

    def queue(person_id: PersonId, key: str, text: Rich) -> None:
        person = found.get(person_id)
        rows.append(
            {
                "key": key,
                "person_id": person_id,
                "channel": None,
                "kind": "pairing",
                "body": encode_body(text),
                "not_before": next_send_time(person, config, now),
                "bundle": False,
            }
        )

    for pair in made.pairs:
        names = "-".join(str(pid) for pid in pair.people)
        for me in pair.people:
            others = [made.members[o] for o in pair.people if o != me]
            queue(me, f"pair:{made.key}:{names}:p{me}", pair_message(made.members[me], others))
    for person_id in made.unpaired:
        queue(person_id, f"pair:{made.key}:alone:p{person_id}", alone_message())
    await outbox.enqueue_many(tx, rows, to_ts(now))
    return list(made.pairs)
