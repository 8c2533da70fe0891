"""The person behind the accounts (spec §1): linking accounts, exporting, forgetting.

Linking uses a one-time code: 8 characters from an alphabet without look-alikes (about 40 bits),
stored only as a hash, valid for 10 minutes and once. Guessing is throttled: 5 wrong codes per
person and 50 across everyone per 10 minutes, so the chance of hitting a live code is negligible.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bot.areas import leads
from bot.areas.accounts import queries as store
from bot.areas.accounts import scrub_queries, words
from bot.areas.accounts.document import PARTS, Field
from bot.clock import from_ts
from bot.config import WEEKDAYS, Config
from bot.core.errors import Conflict, NotAllowed
from bot.core.timing import person_zone
from bot.storage import persons, state
from bot.storage.db import Tx
from bot.storage.persons import Person

#: A link code: 8 characters without look-alikes (about 40 bits), valid for 10 minutes.
ALPHABET, CODE_LENGTH, CODE_SECONDS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789", 8, 600
#: Guessing is throttled: 5 wrong codes per person and 50 across everyone per 10 minutes.
WINDOW, TRIES_PER_PERSON, TRIES_OVERALL = 600, 5, 50
#: `forget me confirm` must follow `forget me` within 10 minutes.
CONFIRM_SECONDS = 600


@dataclass(frozen=True)
class Linked:
    person: Person
    platforms: tuple[str, ...]
    kept: Person  # the account kept, as it was before the other was merged into it


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


async def start_link(tx: Tx, person: Person, platform: str, now: int) -> str:
    """A fresh code for this person (any older one stops working), shown as `ABCD-EFGH`."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    await store.save_link_code(tx, person.id, platform, _hash(code), now + CODE_SECONDS)
    return f"{code[:4]}-{code[4:]}"


async def finish_link(tx: Tx, person: Person, platform: str, code: str, now: int) -> Linked | None:
    """Join the code's person and the speaker into one (the older keeps its id).

    None when the code is wrong: that is returned rather than raised, so the failed try is
    committed and counts against the guesser.
    """
    since = now - WINDOW
    if (
        await store.link_failures(tx, person.id, since) >= TRIES_PER_PERSON
        or await store.link_failures(tx, None, since) >= TRIES_OVERALL
    ):
        raise NotAllowed(words.too_many_tries())
    found = await store.take_link_code(tx, _hash(code), now)
    if found is None:
        await store.record_link_failure(tx, person.id, now)
        return None
    other_id, other_platform = found
    if other_id == person.id:
        raise Conflict(words.same_account())
    if other_platform == platform:
        raise Conflict(words.same_platform(platform))
    keep, gone = sorted((person.id, other_id))
    kept = person if keep == person.id else await persons.get(tx, keep)
    await store.merge(tx, keep, gone, now)
    survivor = await persons.get(tx, keep)
    assert survivor is not None and kept is not None
    accounts = await persons.identities(tx, keep)
    return Linked(survivor, tuple(sorted({a.platform for a in accounts})), kept)


def _shown(field: Field, values: tuple[Any, ...], zone: ZoneInfo) -> Any:
    """A stored value as a person reads it: times in ISO-8601 in their zone, clocks as `HH:MM`."""
    first = values[0]
    if field.kind == "due" and first is not None and values[1]:  # a day given as a day: its date there
        return from_ts(first).astimezone(ZoneInfo(values[1])).date().isoformat()
    if field.kind in ("time", "due"):
        return None if first is None else from_ts(first).astimezone(zone).isoformat()
    if field.kind == "action":
        action, subject, detail, view = values
        return leads.action_said(action, subject or "", detail or "", bool(view))
    if any(value is None for value in values):
        return None
    if field.kind == "clock":
        return f"{first // 60:02d}:{first % 60:02d}"
    if field.kind == "quiet":
        return "-".join(f"{minute // 60:02d}:{minute % 60:02d}" for minute in values)
    if field.kind == "weekday":
        return WEEKDAYS[first].capitalize()
    if field.kind == "minutes":
        return first // 60
    if field.kind == "flag":
        return bool(first)
    return first


async def export(tx: Tx, person: Person, now: int, config: Config) -> bytes:
    """Everything stored about a person, as a JSON document they can read (`export me`)."""
    zone = person_zone(person, config)
    found = await store.export(tx, person.id)
    document: dict[str, Any] = {
        "about": words.export_about(person.display_name, zone.key),
        "exported": from_ts(now).astimezone(zone).isoformat(),
        "timezone": zone.key,
    }
    for part in PARTS:
        rows = [{field.name: _shown(field, values, zone) for field, values in row} for row in found[part.name]]
        document[part.name] = (rows[0] if rows else {}) if part.single else rows
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


async def request_forget(tx: Tx, person: Person, now: int) -> None:
    await state.put(tx, f"forget:{person.id}", str(now))


async def forget(
    tx: Tx,
    person: Person,
    now: int,
    config: Config,
    *,
    first: Callable[[], Awaitable[object]],
    outlasting: Collection[str],
) -> int:
    """Delete the person after a recent `forget me`; returns how many contacts went to a lead.

    `first` runs once it is confirmed, while the person is still there: what others wait on them
    for is let go of as its own command would (their open claims go back, as `release` gives
    one back), or it would outlive them, held by "a former member" for ever. Messages of the
    `outlasting` kinds they caused stay queued (news of shared work), scrubbed of them."""
    asked = await state.get(tx, f"forget:{person.id}")
    if asked is None or now - int(asked) > CONFIRM_SECONDS:
        raise Conflict(words.confirm_first())
    await first()
    needles = await scrub_queries.names_and_ids(tx, person.id)
    handed = 0
    if config.privacy.contacts_on_forget == "leads":
        heirs = [lead for lead in await persons.leads(tx, config.admins) if lead.id != person.id]
        if heirs:
            handed = await store.hand_over_contacts(tx, person.id, min(heirs, key=lambda p: (-p.role, p.id)).id)
    await store.forget(tx, person.id, now, outlasting)
    await scrub_queries.scrub(tx, needles)
    return handed
