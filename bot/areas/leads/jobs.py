"""The weekly digest to every lead, at `scheduler.digest` in each lead's own zone, once per ISO
week; a lead whose moment passed while the bot was down gets it when it is back, that week.

It is news for the people running the network, so it reaches only someone who is one when it is
sent (`RELEVANCE`): a lead demoted while theirs waited for the morning does not get the week's
names and check-in counts. And a pause stops it as it stops nudges (spec §1): a paused lead's is
not queued, and one they paused after it was queued is dropped, not held — held to the pause's
end it would bring figures and names from before the pause, which is not what anyone back from
one wants; they want the week as it stands. So a lead back before their week is out gets that
week's digest then, written as it stands (as after the bot was down); one whose queued digest
was dropped gets next week's at its time. `digest` shows the week on demand, paused or not.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.areas.leads import rules, words
from bot.clock import from_ts, to_ts
from bot.config import Config
from bot.core.notices import to_person
from bot.core.speakers import role_now
from bot.core.text import Rich
from bot.ids import PersonId, Role
from bot.scheduling.job import Job, Queued, Reading, Relevance, Write
from bot.scheduling.shares import size
from bot.scheduling.weekly import iso_week, next_week_moment, week_moment
from bot.storage import outbox, persons
from bot.storage.db import Tx
from bot.zones import zone as zone_for


async def _digests_due(
    tx: Tx, now: datetime, config: Config, *, unqueued_only: bool = False
) -> list[tuple[PersonId, ZoneInfo, datetime, str, bool]]:
    """Each lead with their zone, their next digest moment there (this week's, or next week's for a
    lead made after this week's had passed), its key, and whether it was queued.

    Asked every sweep, so it reads only an index and the keys; whole profiles are loaded only
    for digests whose moment has passed unqueued (about to be queued, or their lead is paused).
    With `unqueued_only`, leads whose digest is queued are left out in SQL when every timezone is
    in the same week now (all but about a day a week), so a sweep does no per-lead work in Python
    once this week's digests are out.
    """
    lacking = None
    if unqueued_only:
        weeks = {iso_week((now + timedelta(hours=hours)).date()) for hours in (-12, 14)}  # every zone's date
        lacking = ("digest:", f":{weeks.pop()}") if len(weeks) == 1 else None
    moments: dict[str, tuple[datetime, str]] = {}
    found = []
    for lead_id, (tz, since) in (await persons.lead_zones(tx, config.admins, lacking=lacking)).items():
        zone = zone_for(tz, config.organisation.timezone)
        if zone.key not in moments:
            moments[zone.key] = week_moment(config.scheduler.digest, zone, now)
        moment, week = moments[zone.key]
        if since is not None and since > to_ts(moment):  # a new lead: from next week's digest on
            moment, week = week_moment(config.scheduler.digest, zone, moment + timedelta(days=7))
        found.append((lead_id, zone, moment, f"digest:{lead_id}:{week}"))
    queued = await outbox.existing(tx, [key for *_, key in found])
    return [(lead_id, zone, moment, key, key in queued) for lead_id, zone, moment, key in found]


#: Leads' digests queued a transaction at most (`shares.size`): a national network's thousand
#: leads go in shares, so commands that write take their turn in between.
SHARE = 100

Due = list[tuple[PersonId, datetime, str]]  # a lead, the moment of their digest, its key


async def send_digests(tx: Tx, now: datetime, config: Config) -> bool:
    """Queue the digests whose moment has come, a share at a time; True while more are due."""
    due = await _unqueued(tx, now, config)
    if not due:
        return False
    return await _queue_share(tx, due, await _text(tx, now, config), now, config)


async def prepare_digests(reading: Reading, now: datetime, config: Config) -> Write | None:
    """The digests due and their text, read beside the writer (the network's figures take 8 ms at
    national scale; the writer would wait for them in every share): then queued in shares."""
    async with reading() as tx:
        due = await _unqueued(tx, now, config)
        if not due:
            return None
        text = await _text(tx, now, config)

    async def share(tx: Tx) -> bool:
        return await _queue_share(tx, due, text, now, config)

    return share


async def _unqueued(tx: Tx, now: datetime, config: Config) -> Due:
    """The digests whose moment has come and that are not queued, but for paused leads."""
    due = [(lead_id, moment, key) for lead_id, _, moment, key, queued
           in await _digests_due(tx, now, config, unqueued_only=True) if now >= moment and not queued]  # fmt: skip
    away = await _paused(tx, [lead_id for lead_id, _, _ in due], to_ts(now))
    return [item for item in due if item[0] not in away]


async def _paused(tx: Tx, lead_ids: list[PersonId], now: int) -> dict[PersonId, int | None]:
    """Those of these leads paused now, with when their pause ends (None: when they `resume`)."""
    leads = await persons.get_many(tx, lead_ids)
    return {lead.id: lead.paused_until for lead in leads.values() if lead.paused(now)}


async def _text(tx: Tx, now: datetime, config: Config) -> Rich:
    return words.digest(await rules.digest(tx, to_ts(now), config), config.organisation.name)


async def _queue_share(tx: Tx, due: Due, text: Rich, now: datetime, config: Config) -> bool:
    """Queue the first share of `due` (keyed: a digest queued already is not queued again) and take
    it off the list; True while more are due."""
    share = due[: size(SHARE)]
    del due[: len(share)]
    leads = await persons.get_many(tx, [lead_id for lead_id, _, _ in share])
    messages = [
        to_person(
            lead_id,
            leads.get(lead_id),
            text,
            key=key,
            kind="digest",
            at=moment,
            config=config,
            subject=f"digest:{lead_id}",
        )
        for lead_id, moment, key in share
    ]
    await outbox.queue(tx, messages, to_ts(now))
    return bool(due)


async def next_digest(tx: Tx, now: datetime, config: Config) -> datetime | None:
    """The next moment a digest is to be queued: a paused lead's whose moment has passed waits
    for the end of their pause (none before they `resume`, if it has no end)."""
    found: list[datetime] = []
    passed: list[PersonId] = []
    for lead_id, zone, moment, _, queued in await _digests_due(tx, now, config):
        if moment > now:
            found.append(moment)
        elif not queued:
            passed.append(lead_id)
        else:
            found.append(next_week_moment(config.scheduler.digest, zone, now))
    away = await _paused(tx, passed, to_ts(now))
    for lead_id in passed:
        if lead_id not in away:
            found.append(now)
        elif (until := away[lead_id]) is not None:
            found.append(max(from_ts(until), now))
    return min(found) if found else None


async def _for_a_lead_now(tx: Tx, queued: Queued) -> bool:
    """Whether a queued digest still goes: its reader is a lead (by role, or on the config's
    `admins` list) and not paused as it is about to be sent (see the module's docstring)."""
    lead = await persons.get(tx, PersonId(queued.subject_id))
    return lead is not None and not lead.paused(queued.now) and await role_now(tx, lead, queued.config) >= Role.LEAD


WEEKLY_DIGEST = Job("weekly digest", send_digests, next_digest, prepare_digests)
#: Asked of a digest (`digest:<lead>`) just before it is sent, however long it waited (as
#: `since_queued`, which is given the time, for the pause, and the config, for its admins).
RELEVANCE = (Relevance("digest", since_queued=_for_a_lead_now),)
