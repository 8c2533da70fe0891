"""Whether a round's message still goes, asked again as it is about to be sent (spec §11).

A round's messages wait for each reader's waking hours, so hours may pass between the round and
the message. A pairing is this week's news: like a new ask to someone paused
(`DROPPED_WHEN_PAUSED`), it is dropped, not held, for a reader who paused or ran `pairing off`
meanwhile (spec §1: a paused member is left out of rounds).

And a message telling someone to meet a person who has left the round since is dropped too: the
other side asked not to be paired (`pairing off`) or not to be disturbed (`pause`), and a
partner who writes to them is pushing exactly the contact they declined. The round does the
same for whoever leaves while it is matched (`Round.among`: their partner sits it out). The
partner is not told "no pair this round" instead: the deliverer can only drop a message as it
is sent, and the words of one are read without the time (`View`), which a pause needs. A
trio's message names two people, and goes only while both are still in. The pair stays recorded,
so the round does not pair them again.
"""

from __future__ import annotations

from bot.areas.pairing import queries as store
from bot.scheduling.job import Queued, Relevance
from bot.storage.db import Tx

#: The subjects of a round's messages: `pair:20261130` (meet someone) and `pair-alone:20261130`
#: (sitting this round out), the round's date as a number.
PAIRED = "pair"
ALONE = "pair-alone"


def subject(round_key: str, paired: bool) -> str:
    """The subject of a message of the round `round_key` (its date, `2026-11-30`)."""
    return f"{PAIRED if paired else ALONE}:{round_key.replace('-', '')}"


def _round_key(number: int) -> str:
    digits = f"{number:08d}"
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"


async def _everyone_still_in(tx: Tx, queued: Queued) -> bool:
    """A "meet …" message: while its reader and everyone it names are opted in and not paused."""
    if queued.person_id is None:
        return True
    others = await store.partners_in_round(tx, _round_key(queued.subject_id), queued.person_id)
    return bool(others) and await store.all_in(tx, [queued.person_id, *others], queued.now)


async def _reader_still_in(tx: Tx, queued: Queued) -> bool:
    """A "no new pair for you this round": while its reader is opted in and not paused."""
    return queued.person_id is None or await store.all_in(tx, [queued.person_id], queued.now)


RELEVANCE = (Relevance(PAIRED, since_queued=_everyone_still_in), Relevance(ALONE, since_queued=_reader_still_in))
