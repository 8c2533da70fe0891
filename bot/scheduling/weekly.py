"""Weekly work at a configured local time: the leads' digest and the pairing round.

Each runs once per ISO week: a digest per lead at the configured weekday and time in that lead's
own zone, the pairing round at its moment in the organisation's zone. If the bot was down at
that moment, it runs once when it is back, in the same week.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import to_ts
from bot.config import WEEKDAYS, Config, WeeklyAt
from bot.core.context import encode_body
from bot.core.text import PersonId
from bot.features import digest
from bot.features.timing import next_send_time
from bot.handlers.pairing import run_pairing_round
from bot.scheduling import messages
from bot.scheduling.job import Job
from bot.storage import outbox, state
from bot.storage import people as people_store
from bot.storage.db import Tx
from bot.zones import localize
from bot.zones import zone as zone_for


def week_moment(setting: WeeklyAt, zone: ZoneInfo, around: datetime) -> tuple[datetime, str]:
    """This ISO week's moment for a weekly setting in a zone, and the week's label (2026-W48)."""
    local = around.astimezone(zone).date()
    monday = local - timedelta(days=local.weekday())
    day: date = monday + timedelta(days=WEEKDAYS.index(setting.day.lower()))
    moment = localize(day, time.fromisoformat(setting.time), zone)
    return moment, _iso_week(day)


def next_week_moment(setting: WeeklyAt, zone: ZoneInfo, after: datetime) -> datetime:
    moment, _ = week_moment(setting, zone, after)
    if moment > after:
        return moment
    return week_moment(setting, zone, after + timedelta(days=7))[0]


async def _digests_due(
    tx: Tx, now: datetime, config: Config, *, unqueued_only: bool = False
) -> list[tuple[PersonId, ZoneInfo, datetime, str, bool]]:
    """Each lead with their zone, this week's digest moment there, its key, and whether it was queued.

    Asked every sweep, so it reads only an index and the keys; whole profiles are loaded only
    for digests about to be queued. With `unqueued_only`, leads whose digest is queued are left
    out in SQL when every timezone is in the same week now (all but about a day a week), so a
    sweep does no per-lead work in Python once this week's digests are out.
    """
    lacking = None
    if unqueued_only:
        weeks = {_iso_week((now + timedelta(hours=hours)).date()) for hours in (-12, 14)}  # every zone's date
        lacking = ("digest:", f":{weeks.pop()}") if len(weeks) == 1 else None
    moments: dict[str, tuple[datetime, str]] = {}
    found = []
    for lead_id, tz in (await people_store.lead_zones(tx, config.admins, lacking=lacking)).items():
        zone = zone_for(tz, config.organisation.timezone)
        if zone.key not in moments:
            moments[zone.key] = week_moment(config.scheduler.digest, zone, now)
        moment, week = moments[zone.key]
        found.append((lead_id, zone, moment, f"digest:{lead_id}:{week}"))
    queued = await outbox.existing(tx, [key for *_, key in found])
    return [(lead_id, zone, moment, key, key in queued) for lead_id, zone, moment, key in found]


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


async def send_digests(tx: Tx, now: datetime, config: Config) -> None:
    due = [(lead_id, moment, key) for lead_id, _, moment, key, queued
           in await _digests_due(tx, now, config, unqueued_only=True) if now >= moment and not queued]  # fmt: skip
    if not due:
        return
    report = await digest.build(tx, to_ts(now), config)
    leads = await people_store.get_many(tx, [lead_id for lead_id, _, _ in due])
    for lead_id, moment, key in due:
        await outbox.enqueue(
            tx, key=key, person_id=lead_id, channel=None, kind="digest",
            body=encode_body(messages.digest(report, config.organisation.name)),
            not_before=next_send_time(leads.get(lead_id), config, moment), bundle=False, now=to_ts(now),
        )  # fmt: skip


async def next_digest(tx: Tx, now: datetime, config: Config) -> datetime | None:
    found: list[datetime] = []
    for _, zone, moment, _, queued in await _digests_due(tx, now, config):
        if moment > now or not queued:
            found.append(max(moment, now))
        else:
            found.append(next_week_moment(config.scheduler.digest, zone, now))
    return min(found) if found else None


WEEKLY_JOBS = [Job("weekly digest", send_digests, next_digest)]


async def pairing_round(tx: Tx, now: datetime, config: Config) -> None:
    """The weekly pairing round, at the configured moment in the organisation's zone."""
    zone = zone_of(config)
    moment, week = week_moment(config.scheduler.pairing, zone, now)
    if now < moment or await state.get(tx, f"pairing:{week}") is not None:
        return
    await run_pairing_round(tx, now, config)
    await state.put(tx, f"pairing:{week}", str(to_ts(now)))


async def next_pairing(tx: Tx, now: datetime, config: Config) -> datetime | None:
    zone = zone_of(config)
    moment, week = week_moment(config.scheduler.pairing, zone, now)
    if moment > now or await state.get(tx, f"pairing:{week}") is None:
        return max(moment, now)
    return next_week_moment(config.scheduler.pairing, zone, now)


def zone_of(config: Config) -> ZoneInfo:
    return ZoneInfo(config.organisation.timezone)


WEEKLY_JOBS.append(Job("weekly pairing round", pairing_round, next_pairing))
