"""Declarations of scheduled work, as areas make them and the sweep and the deliverer run them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime

from bot.config import Config
from bot.core.text import Live, Rich, Span
from bot.ids import PersonId
from bot.storage.db import Tx


@dataclass(frozen=True)
class Job:
    """What to do now (`run`), and when it next has something to do (`next_due`, for `::advance`)."""

    name: str
    # True when it stopped after a share of its work (fifty reminders of a week's backlog):
    # the sweep commits it and runs it again in a new transaction (see `Write`).
    run: Callable[[Tx, datetime, Config], Awaitable[bool | None]]
    next_due: Callable[[Tx, datetime, Config], Awaitable[datetime | None]]
    # Slow work a job can do before the sweep takes the writer (its reads, on a connection beside
    # the writer, and seconds of pure Python), so commands that write are held up only for its
    # writes. Returns what to run in the write transaction instead of `run`, or None to run `run`.
    prepare: Callable[[Reading, datetime, Config], Awaitable[Write | None]] | None = None


#: A prepared job's writes. It returns True when it stopped after a share of a long write (a
#: pairing round telling 10,000 people): the sweep commits that share and calls it again in a new
#: transaction, so commands that write take their turn in between instead of waiting for all of
#: it. Each share must leave the database right if the bot dies before the next one (the next
#: sweep's `prepare` finds where it stopped).
Write = Callable[[Tx], Awaitable[bool]]

#: A consistent read beside the writer (`Readers.reading`), for `prepare`.
Reading = Callable[[], AbstractAsyncContextManager[Tx]]


@dataclass(frozen=True)
class Queued:
    """A queued message as a relevance check sees it: the id of its subject, whom it is for, when
    it was queued (`queued_at`, the moment of the sweep that queued it) and now, with the config."""

    subject_id: int
    person_id: PersonId | None
    queued_at: int
    now: int
    config: Config


@dataclass(frozen=True)
class Relevance:
    """Whether a queued message about a subject (`claim:31`) still matters, asked again just
    before it is sent: the claim may have been finished, the check-in answered, the ask filled.

    `since_queued`, when given, is asked instead of `still_relevant`, for a reminder that a change
    leaving no mark but the time can settle: a claim updated or snoozed while its "no update for a
    week" waited for the morning is still open, but no longer stale (spec §11)."""

    subject: str
    still_relevant: Callable[[Tx, int, PersonId | None], Awaitable[bool]] | None = None
    since_queued: Callable[[Tx, Queued], Awaitable[bool]] | None = None


@dataclass(frozen=True)
class View:
    """How a part of a queued message about a subject (`ask:12`) reads now: the deliverer asks
    just before sending, so a notice about an ask shows its slots and due date as they are then,
    not as they were when it was queued (`core.text.Live`). `show` gets the subject's id and the
    part's name, and returns None when the subject is gone (the part then reads as written)."""

    subject: str
    show: Callable[[Tx, int, str], Awaitable[Rich | None]]


async def as_now(tx: Tx, text: Rich, views: Mapping[str, View]) -> Rich:
    """The text with each part about a subject that can change written from it as it is now."""
    out: list[Span] = []
    for span in text:
        kind, _, ident = span.subject.partition(":") if isinstance(span, Live) else ("", "", "")
        view = views.get(kind)
        if isinstance(span, Live) and view is not None and ident.isdigit():
            out.append(Live(span.subject, await view.show(tx, int(ident), span.view) or span.shown, span.view))
        else:
            out.append(span)
    return tuple(out)


@dataclass(frozen=True)
class DeliveryRule:
    """How the deliverer treats the messages of one outbox kind (`event.hour`) where they differ
    from an ordinary private message, declared by the area that queues them.

    `wakes`: may be sent inside the person's quiet hours (an event starting within the hour: they
    chose to be awake then). `once_a_day`: a bundled message of this kind counts toward, and waits
    for, the person's one bundle a day (nudges); when False it still joins a bundle due at the same
    time, but is never held for the next day, and a bundle of only such messages is not that day's
    bundle. `despite_pause`: sent to a paused person too (pause stops ask pings, nudges and
    check-ins, spec §1, not a reminder of an event they said they would go to). `reported_to`:
    who is told, given its subject's id, when a message of this kind queued as no one's cannot
    reach its reader (an announcement's copies, queued by the sweep and not in the lane of what
    commands queue, whose lead must still hear whom it missed: spec §11). `outlives_cause`: news
    of shared work that stays when the person whose command queued it uses `forget me` (an ask
    closed or changed, an event changed): what a forgotten person caused goes with them
    (`outbox.caused_by`), but its readers still need this, so it stays, queued as no one's, and
    the scrub takes their name out of it. A kind nobody declares gets the defaults.
    """

    kind: str
    wakes: bool = False
    once_a_day: bool = True
    despite_pause: bool = False
    reported_to: Callable[[Tx, int], Awaitable[PersonId | None]] | None = None
    outlives_cause: bool = False
