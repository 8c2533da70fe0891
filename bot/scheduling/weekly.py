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
from bot.features import digest
from bot.features.timing import next_send_time, person_zone
from bot.handlers.pairing import run_pairing_round
from bot.scheduling import messages
from bot.scheduling.job import Job
from bot.storage import outbox, state
from bot.storage import people as people_store
from bot.storage.db import Tx
from bot.zones import localize


def week_moment(setting: WeeklyAt, zone: ZoneInfo, around: datetime) -> tuple[datetime, str]:
    """This ISO week's moment for a weekly setting in a zone, and the week's label (2026-W48)."""
    local = around.astimezone(zone).date()
    monday = local - timedelta(days=local.weekday())
    day: date = monday + timedelta(days=WEEKDAYS.index(setting.day.lower()))
    moment = localize(day, time.fromisoformat(setting.time), zone)
    year, week, _ = day.isocalendar()
    return moment, f"{year}-W{week:02d}"


def next_week_moment(setting: WeeklyAt, zone: ZoneInfo, after: datetime) -> datetime:
    moment, _ = week_moment(setting, zone, after)
    if moment > after:
        return moment
    return week_moment(setting, zone, after + timedelta(days=7))[0]


async def send_digests(tx: Tx, now: datetime, config: Config) -> None:
    report: digest.Digest | None = None
    for lead in await people_store.leads(tx, config.admins):
        zone = person_zone(lead, config)
        moment, week = week_moment(config.scheduler.digest, zone, now)
        key = f"digest:{lead.id}:{week}"
        if now < moment or await outbox.exists(tx, key):
            continue
        report = report or await digest.build(tx, to_ts(now), config)
        await outbox.enqueue(
            tx, key=key, person_id=lead.id, channel=None, kind="digest",
            body=encode_body(messages.digest(report, config.organisation.name)),
            not_before=next_send_time(lead, config, moment), bundle=False, now=to_ts(now),
        )  # fmt: skip


async def next_digest(tx: Tx, now: datetime, config: Config) -> datetime | None:
    found: list[datetime] = []
    for lead in await people_store.leads(tx, config.admins):
        zone = person_zone(lead, config)
        moment, week = week_moment(config.scheduler.digest, zone, now)
        if moment > now or not await outbox.exists(tx, f"digest:{lead.id}:{week}"):
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
