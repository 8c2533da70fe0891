"""The sweep: derive what is due from the database and queue it in the outbox.

Nothing scheduled lives in memory. Each job asks the database what has become due (every question
an indexed range scan on a "next reminder" column), queues outbox rows with unique keys, and moves
that column on, all in one transaction. Run it twice, or again after a crash, and the keys make
the second run a no-op; leave the bot down for three days and the first run afterwards queues
each reminder once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from bot.clock import from_ts, to_ts
from bot.config import Config
from bot.core.context import encode_body
from bot.core.messages import Button
from bot.core.text import PersonId, Rich
from bot.crashpoints import checkpoint
from bot.features import checkins
from bot.features.timing import next_send_time, person_zone
from bot.scheduling import messages
from bot.scheduling.job import Job
from bot.scheduling.weekly import WEEKLY_JOBS
from bot.storage import checkins as checkin_store
from bot.storage import events, nudges, outbox, state
from bot.storage import followups as followup_store
from bot.storage import intros as intro_store
from bot.storage import people as people_store
from bot.storage.db import Database, Tx
from bot.storage.people import Person

log = logging.getLogger(__name__)

BATCH = 500
DAY = 86400


def nudge_row(
    person: Person,
    *,
    key: str,
    kind: str,
    subject: str,
    text: Rich,
    now: datetime,
    config: Config,
    buttons: Sequence[Button] = (),
) -> dict[str, object]:
    """A reminder for the outbox, bundled with the person's others and sent at a waking hour,
    with one-click next steps."""
    return {
        "key": key,
        "person_id": person.id,
        "channel": None,
        "kind": kind,
        "body": encode_body(text, buttons),
        "not_before": next_send_time(person, config, now),
        "bundle": True,
        "subject": subject,
    }


async def _people(tx: Tx, ids: Iterable[PersonId | None]) -> dict[PersonId, Person]:
    """Everyone a job's due items are about, in one query rather than one per item."""
    return await people_store.get_many(tx, sorted({pid for pid in ids if pid is not None}))


def _moment(ts: int | None) -> datetime | None:
    """A stored time as a moment, for the jobs' "when do you next have work?" answers."""
    return None if ts is None else from_ts(ts)


def _paused_until(person: Person, now: int) -> int:
    """When to look again at a paused person's reminder: the end of the pause, or tomorrow."""
    return person.paused_until if person.paused_until is not None else now + DAY


# Each job reads what is due (one query), everyone it concerns (one query), then queues its
# messages in one statement; the per-item updates go out with them (`Tx.later`). So a sweep makes
# a handful of trips to the database whatever is due, instead of three or four per item.


async def stale_claims(tx: Tx, now: datetime, config: Config) -> None:
    now_ts = to_ts(now)
    period = config.asks.stale_claim_days * DAY
    claims = await nudges.stale_claims(tx, now_ts, BATCH)
    people = await _people(tx, (claim.person_id for claim in claims))
    rows = []
    for claim in claims:
        person = people.get(claim.person_id) if claim.person_id is not None else None
        if person is None:
            await nudges.set_next_nudge(tx, claim.claim_id, None)
            continue
        if person.paused(now_ts):
            await nudges.set_next_nudge(tx, claim.claim_id, _paused_until(person, now_ts))
            continue
        quiet_days = (now_ts - claim.last_activity_at) // DAY
        rows.append(
            nudge_row(
                person,
                key=f"nudge:claim:{claim.claim_id}:{claim.next_nudge_at}",
                kind="nudge.claim",
                subject=f"claim:{claim.claim_id}",
                text=messages.stale_claim(claim.ask_id, claim.title, quiet_days),
                buttons=messages.claim_buttons(claim.ask_id),
                now=now,
                config=config,
            )
        )
        await nudges.set_next_nudge(tx, claim.claim_id, now_ts + period)
    await outbox.enqueue_many(tx, rows, now_ts)


async def next_stale(tx: Tx, now: datetime, config: Config) -> datetime | None:
    return _moment(await nudges.next_stale(tx))


async def due_soon(tx: Tx, now: datetime, config: Config) -> None:
    now_ts = to_ts(now)
    claims = await nudges.due_soon(tx, now_ts, config.nudges.due_soon_hours * 3600, BATCH)
    people = await _people(tx, (claim.person_id for claim in claims))
    rows = []
    for claim in claims:
        person = people.get(claim.person_id) if claim.person_id is not None else None
        await nudges.mark_due_nudged(tx, claim.claim_id, now_ts)
        if person is None or person.paused(now_ts) or claim.due_at is None:
            continue
        text = messages.due_soon(claim.ask_id, claim.title, claim.due_at, person_zone(person, config), now)
        rows.append(
            nudge_row(
                person,
                key=f"nudge:due:{claim.claim_id}:{claim.due_at}",
                kind="nudge.due",
                subject=f"claim:{claim.claim_id}",
                text=text,
                buttons=messages.claim_buttons(claim.ask_id),
                now=now,
                config=config,
            )
        )
    await outbox.enqueue_many(tx, rows, now_ts)


async def next_due_soon(tx: Tx, now: datetime, config: Config) -> datetime | None:
    return _moment(await nudges.next_due_soon(tx, to_ts(now), config.nudges.due_soon_hours * 3600))


async def ask_checkins(tx: Tx, now: datetime, config: Config) -> None:
    rows: list[dict[str, object]] = [
        {
            "key": f"checkin:{asked.checkin_id}",
            "person_id": asked.person.id,
            "channel": None,
            "kind": "checkin",
            "body": encode_body(messages.checkin_question()),
            "not_before": next_send_time(asked.person, config, from_ts(asked.due_at)),
            "bundle": False,
            "subject": f"checkin:{asked.checkin_id}",
        }
        for asked in await checkins.ask_due(tx, now, config)
    ]
    await outbox.enqueue_many(tx, rows, to_ts(now))


async def next_checkin(tx: Tx, now: datetime, config: Config) -> datetime | None:
    return _moment(await checkins.next_due(tx))


async def checkin_reminders(tx: Tx, now: datetime, config: Config) -> None:
    now_ts = to_ts(now)
    due = await checkin_store.due_reminders(tx, now_ts, BATCH)
    people = await _people(tx, (checkin.person_id for checkin in due))
    rows = []
    for checkin in due:
        person = people.get(checkin.person_id)
        await checkin_store.clear_reminder(tx, checkin.id)
        if person is None or person.paused(now_ts):
            continue
        text = messages.checkin_reminder(checkin.due_at, person_zone(person, config), now)
        rows.append(
            nudge_row(
                person,
                key=f"nudge:checkin:{checkin.id}",
                kind="nudge.checkin",
                subject=f"checkin:{checkin.id}",
                text=text,
                buttons=(Button("Snooze 1d", "snooze checkin 1d", "secondary"),),
                now=now,
                config=config,
            )
        )
    await outbox.enqueue_many(tx, rows, now_ts)


async def next_checkin_reminder(tx: Tx, now: datetime, config: Config) -> datetime | None:
    return _moment(await checkin_store.next_reminder_due(tx))


async def intro_reminders(tx: Tx, now: datetime, config: Config) -> None:
    now_ts = to_ts(now)
    waiting = await intro_store.to_remind(tx, now_ts, BATCH)
    people = await _people(tx, (item.person_id for item in waiting))
    rows = []
    for item in waiting:
        person = people.get(item.person_id)
        if person is None or person.paused(now_ts):
            continue
        days = max((now_ts - item.created_at) // DAY, 1)
        rows.append(
            nudge_row(
                person,
                key=f"nudge:intro:{item.intro_id}:p{person.id}",
                kind="nudge.intro",
                subject=f"intro:{item.intro_id}",
                text=messages.intro_waiting(item.intro_id, days),
                buttons=messages.intro_buttons(item.intro_id),
                now=now,
                config=config,
            )
        )
    await outbox.enqueue_many(tx, rows, now_ts)
    await intro_store.reminded(tx, sorted({item.intro_id for item in waiting}))


async def next_intro_reminder(tx: Tx, now: datetime, config: Config) -> datetime | None:
    return _moment(await intro_store.next_reminder(tx))


async def followup_reminders(tx: Tx, now: datetime, config: Config) -> None:
    now_ts = to_ts(now)
    due = await followup_store.to_remind(tx, now_ts, BATCH)
    people = await _people(tx, (followup.person_id for followup in due))
    rows = []
    for followup in due:
        person = people.get(followup.person_id)
        if person is not None and person.paused(now_ts):
            await followup_store.defer_reminder(tx, followup.id, _paused_until(person, now_ts))
            continue
        await followup_store.reminded(tx, followup.id)
        if person is None:
            continue
        text = messages.followup_due(
            followup.id, followup.contact_name, followup.due_at, person_zone(person, config), now
        )
        rows.append(
            nudge_row(
                person,
                key=f"nudge:followup:{followup.id}:{followup.due_at}",
                kind="nudge.followup",
                subject=f"followup:{followup.id}",
                text=text,
                buttons=(Button("Snooze 3d", f"snooze f{followup.id} 3d", "secondary"),),
                now=now,
                config=config,
            )
        )
    await outbox.enqueue_many(tx, rows, now_ts)


async def next_followup_reminder(tx: Tx, now: datetime, config: Config) -> datetime | None:
    return _moment(await followup_store.next_reminder(tx))


async def housekeeping(tx: Tx, now: datetime, config: Config) -> None:
    """Once a day: forget handled event ids and old delivered messages."""
    now_ts = to_ts(now)
    last = await state.get(tx, "housekeeping:last")
    if last is not None and now_ts - int(last) < DAY:
        return
    await events.prune(tx, now_ts - 30 * DAY)
    await outbox.prune(tx, now_ts - 90 * DAY)
    await state.put(tx, "housekeeping:last", str(now_ts))


async def next_housekeeping(tx: Tx, now: datetime, config: Config) -> datetime | None:
    last = await state.get(tx, "housekeeping:last")
    return from_ts(int(last) + DAY) if last is not None else now


JOBS: list[Job] = [
    Job("stale claims", stale_claims, next_stale),
    Job("asks due soon", due_soon, next_due_soon),
    Job("check-ins", ask_checkins, next_checkin),
    Job("check-in reminders", checkin_reminders, next_checkin_reminder),
    Job("intro reminders", intro_reminders, next_intro_reminder),
    Job("follow-up reminders", followup_reminders, next_followup_reminder),
    *WEEKLY_JOBS,
    Job("housekeeping", housekeeping, next_housekeeping),
]


class Sweep:
    """Runs every job, each in its own transaction so one failure cannot block the others."""

    def __init__(self, db: Database, config: Config, jobs: list[Job] | None = None) -> None:
        self.db = db
        self.config = config
        self.jobs = list(JOBS if jobs is None else jobs)

    async def run(self, now: datetime) -> None:
        for job in self.jobs:
            try:
                async with self.db.transaction() as tx:
                    await job.run(tx, now, self.config)
                    checkpoint("sweep-before-commit")
            except Exception:
                log.exception("sweep job %r failed; it runs again at the next tick", job.name)

    async def next_due(self, after: datetime) -> datetime | None:
        """The earliest moment after `after` at which some job has work."""
        found: list[datetime] = []
        async with self.db.reading() as tx:
            for job in self.jobs:
                moment = await job.next_due(tx, after, self.config)
                if moment is not None:
                    found.append(max(moment, after + timedelta(seconds=1)))
        return min(found) if found else None
