"""Announcements (spec §14): a lead's message to the channels, or privately to everyone or to
those with a skill, region or library type — at once, or `at:` a later time.

A private announcement goes to each matching member once (its outbox key names the announcement
and the person), at their next waking hour, bundled with that day's reminders; members paused
when it is released are left out, and the deliverer drops a copy whose reader paused meanwhile.
A scheduled one is released by the sweep at its time; who it reaches is decided then.

A large group is queued in shares (`release`): the command queues the first `AT_ONCE` people
itself, and the sweep the rest, a share a transaction, so commands that write are not held up
behind 98,000 messages (everyone, at national scale). Each share records the last person it
queued; a bot killed between two goes on from there, and a message's key keeps anyone from
getting it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.areas import people
from bot.areas.announcements import queries as store
from bot.areas.announcements import words
from bot.areas.announcements.queries import Announcement
from bot.clock import from_ts, to_ts
from bot.config import Config
from bot.core.errors import UsageError
from bot.core.notices import broadcast_targets, to_channel, to_people
from bot.core.values import normalise_region, normalise_skill
from bot.scheduling.shares import size
from bot.storage import outbox
from bot.storage.db import Tx, written
from bot.storage.persons import Person

AUDIENCES = ("channel", "everyone", "skill", "region", "library")
#: What else a lead may call every member (`to:all`, `to:members`): words meaning no group.
EVERYONE = ("all", "everybody", "members")
#: People an `announce` command queues itself (about 15 ms); a larger group's rest goes with the
#: next sweep, within `scheduler.sweep_seconds`: a delay nobody sees, as each message waits for
#: its reader's waking hour and that day's bundle anyway.
AT_ONCE = 100
#: People a share of the sweep queues at most (`shares.size` makes it what fits its time budget).
SHARE = 2_000


@dataclass(frozen=True)
class Audience:
    kind: str
    target: str | None = None


def audience(to: str | None, skill: str | None, region: str | None, library: str | None) -> Audience:
    """Who an announcement is for, from `to:` (`everyone`, `skill:research`…) or its own keys."""
    chosen = [Audience(kind, value) for kind, value in (("skill", skill), ("region", region), ("library", library))
              if value is not None]  # fmt: skip
    if to is not None:
        kind, _, value = to.strip().partition(":")
        kind = kind.strip().lower()
        kind = "everyone" if kind in EVERYONE else kind
        if kind not in AUDIENCES or (kind in ("channel", "everyone")) == bool(value.strip()):
            raise UsageError(words.bad_audience(to))
        chosen.append(Audience(kind, value.strip().strip("\"“”'") or None))
    if len(chosen) > 1:
        raise UsageError(words.one_audience())
    found = chosen[0] if chosen else Audience("channel")
    return _normalised(found)


def _normalised(found: Audience) -> Audience:
    if found.kind == "skill" and found.target:
        return Audience("skill", normalise_skill(found.target))
    if found.kind == "region" and found.target:
        return Audience("region", normalise_region(found.target)[0])
    if found.kind == "library":
        kind = people.library_kind(found.target or "")
        if kind is None:
            raise UsageError(words.bad_library(found.target or "", people.LIBRARY_TYPES))
        return Audience("library", kind)
    if found.kind in ("skill", "region") and not found.target:
        raise UsageError(words.bad_audience(found.kind))
    return found


def _beyond_console(config: Config) -> bool:
    """Whether a platform other than the console has a channel for announcements."""
    return any(not target.startswith("console:") for target in broadcast_targets(config))


def _target(kind: str, target: str | None) -> str | None:
    """The audience's target as the people table keeps it (a region by its grouping key)."""
    return normalise_region(target)[1] if kind == "region" and target else target


async def post(
    tx: Tx, poster: Person, text: str, to: Audience, send_at: int, now: datetime, config: Config, platform: str
) -> tuple[Announcement, int]:
    """The announcement, released now unless `send_at` is later, and how many it reaches (or, not
    yet released, would reach now). One that would reach nobody now is refused before anything is
    written, and so is one to the channels from a platform with none set up for it: the console's
    channel, all there is then, is no one's on Discord or Matrix ("Posted … in 1 channel" was
    said of a post nobody there would see)."""
    if not text.strip():
        raise UsageError(words.needs_text())
    if to.kind == "channel" and platform != "console" and not _beyond_console(config):
        raise UsageError(words.no_channel_set_up())
    released = send_at <= to_ts(now)
    if released and to.kind != "channel":  # scheduled, it is kept: by then the group may have people
        await _someone_in(tx, to, poster, to_ts(now))
    item = await store.create(
        tx, text=text.strip(), kind=to.kind, target=to.target, posted_by=poster.id, send_at=send_at, now=to_ts(now)
    )
    if released:
        done = await release(tx, item, now, config, AT_ONCE)
        item = written(await store.get(tx, item.id))
        if done:
            return item, item.reach or 0
    if item.kind == "channel":
        return item, len(broadcast_targets(config))
    return item, await store.count(tx, item.kind, _target(item.kind, item.target), poster.id, to_ts(now))


async def _someone_in(tx: Tx, to: Audience, poster: Person, now: int) -> None:
    """Refuses a group nobody would hear from now: a typo'd skill or region (with the one in use
    it looks like), or everyone in it paused."""
    if await store.anyone(tx, to.kind, _target(to.kind, to.target), poster.id, now):
        return
    typo = to.kind in ("skill", "region")
    meant = await people.nearest_in_use(tx, to.kind, to.target or "") if typo else None
    raise UsageError(words.reaches_nobody(to.kind, to.target, meant))


async def release(tx: Tx, item: Announcement, now: datetime, config: Config, most: int) -> bool:
    """Queue the announcement's messages, to `most` people at most after those queued before (all
    its channels at once); True when that was the last of them."""
    text = words.announcement(item.poster, item.text)
    key = f"announcement:{item.id}"
    if item.kind == "channel":
        messages = [to_channel(target, text, key=f"{key}:{target}", kind="announcement", at=now)
                    for target in broadcast_targets(config)]  # fmt: skip
        through, done = None, True
    else:
        people = await store.audience(tx, item.kind, _target(item.kind, item.target), item.posted_by, to_ts(now),
                                      after=item.released_through or 0, limit=most)  # fmt: skip
        messages = to_people(people, text, key_prefix=key, kind="announcement", at=now, config=config,
                             bundle=True, subject=key)  # fmt: skip
        through, done = (people[-1].id if people else None), len(people) < most
    await outbox.queue(tx, messages, to_ts(now))
    await store.queued(tx, item.id, through, len(messages), done, to_ts(now))
    return done


async def release_due(tx: Tx, now: datetime, config: Config) -> bool:
    """A share of what is due: True when it stopped with more to queue (the sweep commits it and
    asks again, so commands write in between)."""
    room = size(SHARE)
    for item in await store.due(tx, to_ts(now)):
        if not await release(tx, item, now, config, room):
            return True
    return False


async def next_release(tx: Tx, now: datetime, config: Config) -> datetime | None:
    due = await store.next_due(tx)
    return None if due is None else from_ts(due)


async def reach_is_private(tx: Tx, item: Announcement, poster: Person, now: datetime) -> bool:
    """Whether how many an announcement reaches says where a leads-only profile is (`hidden_within`)."""
    return await store.hidden_within(tx, item.kind, _target(item.kind, item.target), poster.id, to_ts(now))


async def recent(tx: Tx, limit: int, lead: bool, now: datetime) -> tuple[list[Announcement], set[int]]:
    """The latest announcements (a lead's list holds those still scheduled), and those whose count
    says where a leads-only profile is, as `announce` tells it (`reach_is_private`): privacy
    follows the data, not the command (spec §11). The count was taken when each went out, so
    anyone in the group now counts, paused since or not."""
    items = await store.recent(tx, limit, with_scheduled=lead)
    hidden = {
        item.id
        for item in items
        if await store.hidden_within(
            tx, item.kind, _target(item.kind, item.target), item.posted_by, to_ts(now), paused_too=True
        )
    }
    return items, hidden
