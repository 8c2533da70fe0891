"""Telling whoever caused a private message that it could not reach its reader (spec §11: rather
than leave them believing "I've asked bob"), in as few messages as that takes.

An ask that 2,000 volunteers hear of, or an announcement to everyone, may find hundreds of them
with private messages closed to the bot; one report each would bury its poster. So the reports
about one subject (`ask:12`, `announcement:3`) to one person gather in one message for as long
as it waits in the outbox (in a burst, or for the poster's waking hour): each failure names its
reader in the waiting report (`outbox.rewrite`). Once it has gone, the next failure starts another,
which waits `GATHER` seconds for the rest of the burst; someone named once about a subject is not
named again (an ask opened again reaches the same closed doors). Who was named is kept in
`state` (`unreachable:<subject>:p<person>`). A message about no subject gets a report of its own.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.clock import to_ts
from bot.config import Config
from bot.core.notices import encode, to_person
from bot.core.text import Rich
from bot.core.words import unreachable
from bot.ids import PersonId
from bot.scheduling.job import DeliveryRule
from bot.storage import outbox, persons, state
from bot.storage.db import Tx
from bot.storage.outbox import OutboxRow
from bot.storage.persons import Person

GATHER = 300  # seconds a later report waits, gathering the rest of a burst
NAMED = 10  # readers named in one report; the rest are counted


async def report(
    tx: Tx, rows: Sequence[OutboxRow], advice: Rich, now: datetime, config: Config, rule: Callable[[str], DeliveryRule]
) -> None:
    """Tell whoever caused `rows` (one message to one reader) that it could not reach them."""
    recipient, subject = rows[0].person_id, rows[0].subject
    causers = (await persons.get_many(tx, sorted(await _causers(tx, rows, rule) - {recipient}))).values()
    if recipient is None or subject is None:  # a report of its own, the same words to each
        text = await _text(tx, [recipient] if recipient is not None else [], advice)
        notes = [_note(causer, text, f"unreachable:{rows[0].key}:p{causer.id}", now, config) for causer in causers]
        await outbox.queue(tx, notes, to_ts(now))
        return
    for causer in causers:
        await _gathered(tx, causer, subject, recipient, advice, now, config)


async def _gathered(
    tx: Tx, causer: Person, subject: str, recipient: PersonId, advice: Rich, now: datetime, config: Config
) -> None:
    """Name `recipient` in the report about `subject` still waiting for `causer`, or start one;
    someone named in an earlier report about it is not named again."""
    base = f"unreachable:{subject}:p{causer.id}"
    kept = json.loads(await state.get(tx, base) or '{"round": -1, "ids": [], "from": 0}')
    round_, ids, start = int(kept["round"]), [PersonId(i) for i in kept["ids"]], int(kept["from"])
    if recipient in ids:
        return
    ids.append(recipient)
    waiting = round_ >= 0 and await outbox.rewrite(
        tx, f"{base}:r{round_}", encode(await _text(tx, ids[start:], advice), ())
    )
    if not waiting:  # none yet, or it has gone: a new one (after the rest of the burst, if one went)
        round_, start = round_ + 1, len(ids) - 1
        later = now + timedelta(seconds=GATHER) if round_ else now
        note = _note(causer, await _text(tx, ids[start:], advice), f"{base}:r{round_}", later, config)
        await outbox.queue(tx, [note], to_ts(now))
    await state.put(tx, base, json.dumps({"round": round_, "ids": ids, "from": start}))


async def _text(tx: Tx, ids: Sequence[PersonId], advice: Rich) -> Rich:
    """The report naming these readers (ten at most, the rest counted; "them" when none is left)."""
    names = await _names(tx, ids[:NAMED])
    others = len(ids) - len(names)
    return unreachable(names, others, advice) if names else unreachable(["them"], 0, advice)


async def _names(tx: Tx, ids: Sequence[PersonId]) -> list[str]:
    """The readers' names, in the order they failed (someone forgotten since is left out)."""
    found = await persons.get_many(tx, list(ids))
    return [found[i].display_name for i in ids if i in found]


def _note(causer: Person, text: Rich, key: str, at: datetime, config: Config) -> outbox.OutboxMessage:
    return to_person(causer.id, causer, text, key=key, kind="unreachable", at=at, config=config)


async def _causers(tx: Tx, rows: Sequence[OutboxRow], rule: Callable[[str], DeliveryRule]) -> set[PersonId]:
    """Who caused these messages: `caused_by`, or for one queued as no one's, whom its kind's
    rule names for its subject (`DeliveryRule.reported_to`: an announcement's lead)."""
    causers = set()
    for row in rows:
        reported_to = rule(row.kind).reported_to
        ident = (row.subject or "").partition(":")[2]
        if row.caused_by is not None:
            causers.add(row.caused_by)
        elif reported_to is not None and ident.isdigit() and (found := await reported_to(tx, int(ident))):
            causers.add(found)
    return causers
