"""Asks (spec §2): posting, listing, claiming, progress, finishing, releasing, managing.

Slot rule: an ask needs `need` people; a slot is taken by an active claim or a finished one. A
claim is refused when every slot is taken, so the count never goes over `need`; the ask closes by
itself when `need` claims are done. All of this runs inside the command's single transaction,
which holds SQLite's write lock, so two people racing for the last slot cannot both win.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.areas.asks import queries as store
from bot.areas.asks import words
from bot.areas.asks.records import Ask, Claim, Due, Update
from bot.config import Config
from bot.core.errors import Conflict, NotAllowed, NotFound, UsageError
from bot.core.paging import Page, offset
from bot.ids import AskId, ClaimId, PersonId, Role
from bot.storage import persons
from bot.storage.db import Tx, actual
from bot.storage.persons import Person


@dataclass(frozen=True)
class Posted:
    """A new (or reopened) ask and the volunteers to tell of it privately."""

    ask: Ask
    recipients: tuple[Person, ...]


@dataclass(frozen=True)
class AskView:
    ask: Ask
    poster: str | None
    claims: tuple[Claim, ...]
    updates: tuple[Update, ...]


@dataclass(frozen=True)
class Listed:
    """A page of open asks, and the first on it the viewer can claim (None when they can claim
    none of them), so the listing's next step never points at a full ask or one of their own."""

    page: Page[Ask]
    claimable: AskId | None


@dataclass(frozen=True)
class Finished:
    """A claim marked done: the ask after it, and whether that closed the ask."""

    ask: Ask
    closed: bool


async def get(tx: Tx, ask_id: int) -> Ask:
    ask = await store.get(tx, AskId(ask_id))
    if ask is None:
        raise NotFound(words.no_such_ask(ask_id))
    return ask


async def post(
    tx: Tx,
    poster: Person,
    *,
    title: str,
    details: str | None,
    skill: str | None,
    need: int,
    due: Due | None,
    now: int,
    config: Config,
) -> Posted:
    ask = await store.create(
        tx,
        title=_title(title),
        details=details,
        skill=skill,
        need=need,
        due=due,
        posted_by=poster.id,
        now=now,
    )
    recipients = await _recipients(tx, ask, exclude=[poster.id], now=now, config=config)
    return Posted(ask, recipients)


def _title(title: str, ask_id: int | None = None) -> str:
    """The title an ask is posted or (`ask_id`) edited with: one rule for both, so `edit 3
    title:""` cannot blank the title that `ask title:""` may not leave out."""
    if not title.strip():
        raise UsageError(words.needs_title(ask_id))
    return title.strip()


async def _recipients(tx: Tx, ask: Ask, exclude: Sequence[PersonId], now: int, config: Config) -> tuple[Person, ...]:
    """Matching volunteers to tell of this opening of the ask.

    Each opening has its own round number, and the outbox key of a notice names the ask, the round
    and the person (`ask:12:r2:p7`), so nobody is told twice of one opening whatever happens.
    """
    if ask.skill is None:
        return ()
    claimed = [c.person_id for c in await store.claims_of(tx, ask.id) if c.person_id is not None]
    matching = await store.matching_volunteers(tx, ask.skill, [*exclude, *claimed], now, config.asks.default_max_claims)
    return tuple(matching)


async def listing(
    tx: Tx,
    viewer: Person,
    *,
    skill: str | None,
    mine: bool,
    stale: bool,
    page: int,
    now: int,
    config: Config,
) -> Listed:
    size = config.asks.page_size
    stale_before = now - int(timedelta(days=config.asks.stale_claim_days).total_seconds()) if stale else None
    rows, total = await store.listing(
        tx,
        viewer=viewer.id,
        skill=skill,
        claimed_by=viewer.id if mine else None,
        stale_before=stale_before,
        limit=size,
        offset=offset(page, size),
    )
    first = next((ask.id for ask, own in rows if claimable(ask, own)), None)
    return Listed(Page.of([ask for ask, _ in rows], total, page, size, words.listed(skill, mine, stale)), first)


async def view(tx: Tx, ask_id: int) -> AskView:
    ask = await get(tx, ask_id)
    poster = await persons.get(tx, ask.posted_by) if ask.posted_by else None
    return AskView(
        ask,
        poster.display_name if poster else None,
        tuple(await store.claims_of(tx, ask.id)),
        tuple(await store.updates_of(tx, ask.id, 5)),
    )


def _stale_after(config: Config) -> int:
    return config.asks.stale_claim_days * 86400


def claimable(ask: Ask, mine: str | None) -> bool:
    """Whether `claim` would take a claim on the ask from someone whose own claim on it is
    `mine` ('active', 'done' or None): its refusals below, as a question."""
    return ask.status == "open" and mine is None and not ask.full


async def claim(tx: Tx, person: Person, ask_id: int, now: int, config: Config) -> Ask:
    found, mine = await store.get_with_mine(tx, AskId(ask_id), person.id)
    if found is None:
        raise NotFound(words.no_such_ask(ask_id))
    ask = found
    if ask.status != "open":
        raise Conflict(words.not_claimable(ask.id, ask.status))
    if mine == "active":
        raise Conflict(words.already_claimed(ask.id))
    if mine == "done":
        raise Conflict(words.already_done(ask.id))
    if ask.full:
        raise Conflict(words.full(ask))
    await store.add_claim(tx, ask.id, person.id, now, now + _stale_after(config))
    return dataclasses.replace(ask, active=ask.active + 1)


async def _own_claim(tx: Tx, person: Person, ask_id: int, verb: str) -> tuple[Ask, ClaimId]:
    """The ask and the person's active claim on it, or why not (no such ask; not their claim)."""
    found = await store.with_own_claim(tx, AskId(ask_id), person.id)
    if found is None:
        raise NotFound(words.no_such_ask(ask_id))
    ask, claim = found
    if claim is None:
        _, mine = await store.get_with_mine(tx, ask.id, person.id)  # only on this refusal's path
        raise NotAllowed(words.already_done(ask.id) if mine == "done" else words.not_your_claim(ask.id, verb))
    return ask, claim


async def update(tx: Tx, person: Person, ask_id: int, text: str, now: int, config: Config) -> Ask:
    ask, claim = await _own_claim(tx, person, ask_id, "update")
    await store.add_update(tx, ask.id, person.id, "update", text, now)
    await store.touch_claim(tx, claim, now, now + _stale_after(config))
    return ask


async def done(tx: Tx, person: Person, ask_id: int, note: str | None, now: int) -> Finished:
    ask, claim = await _own_claim(tx, person, ask_id, "finish")
    await store.finish_claim(tx, claim, "done", note, now)
    await store.add_update(tx, ask.id, person.id, "done", note or "", now)
    # The ask as those writes left it, as `claim` does (not read again: a trip on PostgreSQL).
    after = dataclasses.replace(ask, active=ask.active - 1, done=ask.done + 1, updated_at=now)
    closed = after.status == "open" and after.done >= after.need
    if closed:
        await store.set_status(tx, ask.id, "done", now)
        after = dataclasses.replace(after, status="done", closed_at=now)
    return Finished(after, closed)


async def release(tx: Tx, person: Person, ask_id: int, reason: str | None, now: int, config: Config) -> Posted:
    """Give a slot back; the ask is open again and matching volunteers may hear of it again."""
    ask, claim = await _own_claim(tx, person, ask_id, "release")
    return await _give_back(tx, person, ask, claim, reason, now, config)


async def release_all(tx: Tx, person: Person, now: int, config: Config) -> list[Posted]:
    """Give back every slot a person holds, each as `release` gives one back (`forget me`): a
    claim that outlived its claimant held a slot nobody worked on, that nobody was reminded of
    and nobody else could take."""
    return [
        await _give_back(tx, person, ask, claim.id, None, now, config)
        for claim, ask in await store.active_claims_of_person(tx, person.id)
    ]


async def _give_back(
    tx: Tx, person: Person, ask: Ask, claim: ClaimId, reason: str | None, now: int, config: Config
) -> Posted:
    await store.finish_claim(tx, claim, "released", reason, now)
    await store.add_update(tx, ask.id, person.id, "release", reason or "", now)
    recipients: tuple[Person, ...] = ()
    if ask.status == "open":
        await store.bump_round(tx, ask.id)
        after = await get(tx, ask.id)
        recipients = await _recipients(tx, after, exclude=[person.id], now=now, config=config)
    return Posted(await get(tx, ask.id), recipients)


def _check_manager(ask: Ask, person: Person, role: Role, verb: str) -> None:
    if role >= Role.LEAD or ask.posted_by == person.id:
        return
    raise NotAllowed(words.not_your_ask(ask.id, verb))


async def close(tx: Tx, person: Person, role: Role, ask_id: int, now: int) -> Ask:
    ask = await get(tx, ask_id)
    _check_manager(ask, person, role, "close")
    if ask.status != "open":
        raise Conflict(words.already_closed(ask.id))
    await store.set_status(tx, ask.id, "closed", now)
    return await get(tx, ask.id)


async def reopen(tx: Tx, person: Person, role: Role, ask_id: int, now: int, config: Config) -> Posted:
    ask = await get(tx, ask_id)
    _check_manager(ask, person, role, "reopen")
    if ask.status == "open":
        raise Conflict(words.already_open(ask.id))
    if ask.done >= ask.need:
        raise Conflict(words.all_done(ask))
    await store.set_status(tx, ask.id, "open", now)
    await store.bump_round(tx, ask.id)
    after = await get(tx, ask.id)
    return Posted(after, await _recipients(tx, after, exclude=[person.id], now=now, config=config))


async def edit(
    tx: Tx, person: Person, role: Role, ask_id: int, changes: dict[str, str | int | None], now: int, due: Due | None
) -> tuple[Ask, set[str]]:
    """Change an ask's fields and, when `due` is given, its due date (a day or a time); returns
    the ask and the fields that changed (`due_at` for its due date)."""
    ask = await get(tx, ask_id)
    _check_manager(ask, person, role, "edit")
    if not changes and due is None:
        raise UsageError(words.what_to_change(ask.id))
    if isinstance(title := changes.get("title"), str):
        changes = {**changes, "title": _title(title, ask.id)}
    if due is not None:
        changes = {**changes, "due_at": due.at, "due_zone": due.zone}
    changes = actual(changes, dataclasses.asdict(ask))
    if not changes:
        raise Conflict(words.unchanged(ask.id))
    need = changes.get("need")
    if isinstance(need, int) and need < ask.taken:
        raise Conflict(words.need_below_taken(ask))
    await store.update_fields(tx, ask.id, changes, now)
    if "due_at" in changes:
        await store.reset_due_reminders(tx, ask.id)
    after = await get(tx, ask.id)
    if isinstance(need, int) and after.status == "done" and after.done < after.need:
        await store.set_status(tx, ask.id, "open", now)
    elif isinstance(need, int) and after.status == "open" and after.done >= after.need:
        await store.set_status(tx, ask.id, "done", now)
    return await get(tx, ask.id), {"due_at" if field == "due_zone" else field for field in changes}


async def suggestions(tx: Tx, person: Person, limit: int = 3) -> list[Ask]:
    """Open asks that match the person's skills, soonest due first."""
    return await store.open_for_skills(tx, await store.skills_of(tx, person.id), person.id, limit)


async def snooze_claim(tx: Tx, person: Person, ask_id: int, until: int) -> Ask:
    """Hold reminders about the person's claim on an ask until `until`."""
    ask, claim = await _own_claim(tx, person, ask_id, "snooze")
    await store.snooze_claim(tx, claim, until)
    return ask


async def my_claims(tx: Tx, person: Person) -> list[tuple[Claim, Ask]]:
    return await store.active_claims_of_person(tx, person.id)


async def my_posted(tx: Tx, person: Person) -> list[Ask]:
    return await store.posted_by(tx, person.id, 10)
