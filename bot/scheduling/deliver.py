"""Outbox → adapters, exactly once as far as the receiving side can tell.

Each round first *plans* in one transaction: rows for someone now inside their quiet hours wait
for the window to end; reminders to a paused person wait for the pause to end; a reminder that
no longer matters is dropped; a person's due reminders are gathered into one batch per local
day (`nudges:p7:2026-11-24`), and reminders beyond that day's batch wait for the next morning.
Each message is put into words for its reader as it is sent: its times in their zone as it is
then, and the parts about something that can change (an ask's slots) as they stand then (`View`).
An area may declare other rules for its kinds of message (`DeliveryRule`: may wake, not held by
the one bundle a day); `Deliverer.rule` is where they are read.
Then it *sends*, each message with its row key (or batch key) as the platform's idempotency key,
and marks it sent only after the platform accepted it. A crash in between means the same
message, with the same key, is sent again on restart and the platform drops the duplicate; since
a platform forgets keys sooner than a message may wait (quiet hours, a pause), a message that may
have gone out is first looked for where it went (`Delivery.tried_since`, `courier.tried_since`).
Failures are retried with exponential backoff and parked after `nudges.max_attempts` tries;
rate limits just wait as told.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.clock import Clock, to_ts
from bot.config import Config
from bot.core.messages import Delivery, Outgoing
from bot.core.notices import decode
from bot.core.text import is_private, mentioned
from bot.core.timing import Reader, person_quiet, person_zone, resolve
from bot.core.words import bundle
from bot.crashpoints import checkpoint
from bot.ids import PersonId
from bot.scheduling import unreachable
from bot.scheduling.courier import Courier, DeliveryFailed, tried_since
from bot.scheduling.job import DeliveryRule, Queued, Relevance, View, as_now
from bot.storage import outbox, persons
from bot.storage.db import Database, Tx
from bot.storage.outbox import OutboxRow
from bot.storage.persons import Identity, Person
from bot.zones import minutes_of, next_allowed, wall_instant

log = logging.getLogger(__name__)

BATCH = 100
BACKOFF_BASE = 30
BACKOFF_CAP = 6 * 3600
DAY = 86400
#: News that is only worth hearing now: someone paused when it is due never gets it (a new ask, an
#: announcement); reminders of their own work wait for the pause to end instead.
DROPPED_WHEN_PAUSED = frozenset({"ask", "announcement"})


def backoff(attempts: int) -> int:
    """Seconds to wait before the next try: 30 s, 1 min, 2 min … capped at 6 h."""
    return int(min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP))


@dataclass(frozen=True)
class Send:
    """One message to send: a single row, or a person's batch of reminders."""

    key: str
    rows: tuple[OutboxRow, ...]
    # The prompt lane's: the reader and their accounts as its plan read them a moment ago (else
    # read when sending: a backlog's messages go out long after their plan).
    reader: Person | None = None
    accounts: tuple[Identity, ...] | None = None


class Deliverer:
    """Sends what is due from the outbox through the adapters."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        config: Config,
        relevance: Sequence[Relevance] = (),
        rules: Sequence[DeliveryRule] = (),
        views: Sequence[View] = (),
    ) -> None:
        self.db = db
        self.clock = clock
        self.config = config
        self.relevance: Mapping[str, Relevance] = {check.subject: check for check in relevance}
        self.rules: Mapping[str, DeliveryRule] = {rule.kind: rule for rule in rules}
        self.views: Mapping[str, View] = {view.subject: view for view in views}
        self.adapters: dict[str, Courier] = {}
        self._lock = asyncio.Lock()
        # What the last look at the outbox found: the next due time, as of that many outbox writes
        # (and prompt writes). Until the outbox changes, no query is needed to know that nothing new is due.
        self._seen_writes, self._seen_prompts = -1, 0
        self._next_due: int | None = None
        self._prompt_seen = -1  # outbox writes as of the last look that found no prompt message
        self._started = to_ts(clock.now())

    def attach(self, adapter: Courier) -> None:
        self.adapters[adapter.platform] = adapter

    async def deliver_due(self) -> int:
        """Send everything due now; returns how many messages went out.

        Two lanes: what people's commands queued (`caused_by`: a new ask's matching volunteers,
        an intro, an announcement) goes first, and is looked for again after every message of a
        backlog, so it never waits behind a week of reminders; the backlog follows in batches.
        When all that changed since the last look is what this process's commands queued to go
        now, it is sent without a look, and the look's answer still holds afterwards."""
        async with self._lock:
            sent = 0
            while True:
                now = self.clock.now()
                writes, prompts = self.db.outbox_writes, self.db.prompt_writes
                if self._next_due is None or self._next_due > to_ts(now):
                    if writes == self._seen_writes:
                        return sent  # most calls (after every command): nothing changed, nothing due
                    if self._seen_writes >= 0 and writes - self._seen_writes == prompts - self._seen_prompts:
                        sent += await self._deliver_prompt(now)
                        if self.db.outbox_writes == writes:  # none waits, failed or came meanwhile
                            self._seen_writes, self._seen_prompts = writes, prompts
                        continue
                async with self.db.single_read() as tx:
                    due_at, prompt_due = await outbox.next_due_and_prompt(tx, to_ts(now))
                if due_at is None or due_at > to_ts(now):
                    self._seen_writes, self._seen_prompts, self._next_due = writes, prompts, due_at
                    return sent
                if prompt_due and (prompt := await self._deliver_prompt(now)):  # often all that was due: look again
                    sent += prompt
                    continue
                async with self.db.transaction() as tx:
                    rows = await outbox.due(tx, to_ts(now), BATCH, tuple(self.adapters))
                    sends = await self._plan(tx, rows, now) if rows else []
                if not rows:  # what is due waits for another process's platform: no look for a second
                    self._seen_writes, self._seen_prompts, self._next_due = writes, prompts, to_ts(now) + 1
                    return sent
                for item in sends:
                    sent += await self._send(item)
                    sent += await self._deliver_prompt(self.clock.now(), between=True)
                if len(rows) < BATCH:
                    return sent
                await asyncio.sleep(0)  # (a batch all put off for quiet hours sent nothing: `_send`)

    async def _deliver_prompt(self, now: datetime, *, between: bool = False) -> int:
        """Send what commands queued that is due (`deliver_due` just saw some); `between` two backlog
        messages, one indexed look first, none unless the outbox saw a write since the last found nothing."""
        sent = 0
        while True:
            if between and (writes := self.db.outbox_writes) == self._prompt_seen:
                return sent
            if between:
                async with self.db.single_read() as tx:
                    if not await outbox.due(tx, to_ts(now), 1, tuple(self.adapters), prompt=True):
                        self._prompt_seen = writes
                        return sent
            async with self.db.claiming() as tx:
                rows, readers = await outbox.prompt_due(tx, to_ts(now), BATCH, tuple(self.adapters))
                sends = await self._plan(tx, rows, now, readers) if rows else []
            for item in sends:
                sent += await self._send(item)
            if len(rows) < BATCH:
                return sent
            await asyncio.sleep(0)

    async def next_due(self) -> int | None:
        async with self.db.single_read() as tx:
            return await outbox.next_due_at(tx)

    def rule(self, kind: str) -> DeliveryRule:
        """How messages of this kind are delivered: what its area declared, else the defaults."""
        return self.rules.get(kind) or DeliveryRule(kind)

    async def _plan(
        self,
        tx: Tx,
        rows: Sequence[OutboxRow],
        now: datetime,
        readers: Mapping[PersonId, tuple[Person, list[Identity]]] | None = None,
    ) -> list[Send]:
        """What to send now. Every rule is checked for every row, every time — a first try, a retry
        after a platform outage and a batch resumed after a crash alike: quiet hours and pause
        (wait), "still relevant" (drop), and one bundle a person a local day.

        A row to send is marked `sending` (it may reach the platform from now on), so a plan made
        again after a crash keeps a bundle's key. The prompt lane's rows are never bundled and
        are sent the moment this plan ends, so they stay `pending` until marked sent: a crash in
        between sends them again with the same key either way, and the plan writes nothing
        (on PostgreSQL, no COMMIT to wait for: `Database.claiming`)."""
        now_ts = to_ts(now)
        rows = await self._whole_batches(tx, rows)
        accounts: dict[PersonId, tuple[Identity, ...]] = {}
        prompt = readers is not None
        if readers is not None:  # sent at once: addressed with what was read with them (`Send.accounts`)
            people = {key: person for key, (person, _) in readers.items()}
            accounts = {key: tuple(owned) for key, (_, owned) in readers.items()}
        else:
            people = await persons.get_many(tx, sorted({r.person_id for r in rows if r.person_id is not None}))
        sends: list[Send] = []
        bundles: dict[PersonId, list[OutboxRow]] = {}
        for row in rows:
            person = people.get(row.person_id) if row.person_id is not None else None
            if row.person_id is not None:
                if person is None:
                    await outbox.drop(tx, [row.id], "the person is gone")
                    continue
                if person.paused(now_ts) and row.kind in DROPPED_WHEN_PAUSED:
                    await outbox.drop(tx, [row.id], "paused")
                    continue
                wait = self._wait_for(person, row, now)
                if wait is not None:
                    await self._wait(tx, [row], wait)
                    continue
            if not await self._still_relevant(tx, row, now_ts):
                await outbox.drop(tx, [row.id], "no longer relevant")
            elif row.bundle and person is not None:
                bundles.setdefault(person.id, []).append(row)
            else:
                if not prompt:  # (sent right away, see the docstring)
                    await outbox.mark(tx, [row.id], "sending", now_ts)
                known = person if prompt else None
                sends.append(Send(row.key, (row,), known, accounts[known.id] if known is not None else None))
        for person_id, members in bundles.items():
            sends.extend(await self._bundle(tx, people[person_id], members, now))
        return sends

    async def _whole_batches(self, tx: Tx, rows: Sequence[OutboxRow]) -> list[OutboxRow]:
        """The rows, with the rest of any batch cut short by a crash or a failure."""
        found = {row.id: row for row in rows}
        for key in sorted({row.batch_key for row in rows if row.batch_key is not None}):
            for row in await outbox.batch(tx, key):
                if row.status in ("pending", "sending"):
                    found.setdefault(row.id, row)
        return sorted(found.values(), key=lambda row: row.id)

    async def _bundle(self, tx: Tx, person: Person, rows: list[OutboxRow], now: datetime) -> list[Send]:
        """A person's due reminders as one message: at most one a local day.

        A batch that may already have gone out (a crash between sending and recording it) is
        sent again with its own key, which the platform de-duplicates, and counts as today's;
        anything else joins today's batch, or waits for tomorrow if today's went out already —
        but kinds not held by the one bundle a day go now, in a batch of their own, and a batch
        holding only such kinds is not today's.
        """
        zone = person_zone(person, self.config)
        day = now.astimezone(zone).date()
        today = f"nudges:p{person.id}:{day.isoformat()}"
        maybe_sent = [row for row in rows if row.status == "sending" and row.batch_key is not None]
        key = maybe_sent[0].batch_key if maybe_sent else today
        assert key is not None
        members = [row for row in rows if row.batch_key == key] if maybe_sent else rows
        later = [row for row in rows if row not in members]
        if not maybe_sent and await self._bundled_today(tx, person, key, wall_instant(day, time(0), zone)):
            later, members = rows, []
        free = [row for row in later if row.status != "sending" and not self.rule(row.kind).once_a_day]
        later = [row for row in later if row not in free]
        if not maybe_sent and not any(self.rule(row.kind).once_a_day for row in members):
            members, free = [], members + free
        if later:
            tomorrow = wall_instant(day + timedelta(days=1), time(0), zone)
            await self._wait(tx, later, to_ts(next_allowed(tomorrow, zone, person_quiet(person, self.config))))
        sends = []
        for batch_key, batch in ((key, members), (f"{today}:{free[0].key}" if free else "", free)):
            if batch:
                await outbox.assign_batch(tx, [row.id for row in batch], batch_key)
                sends.append(Send(batch_key, tuple(batch)))
        return sends

    async def _bundled_today(self, tx: Tx, person: Person, today: str, midnight: datetime) -> bool:
        """Whether the person's bundle of the day is out or under way: today's batch, or an older
        day's batch resent today after a crash (it keeps the key of the day it was made)."""
        kinds = await outbox.bundled_since(tx, person.id, today, to_ts(midnight))
        return any(self.rule(kind).once_a_day for kind in kinds)

    async def _wait(self, tx: Tx, rows: Sequence[OutboxRow], until: int) -> None:
        """Push rows later. Rows that may have gone out stay `sending` with their key, however long
        they wait, so a resend is de-duplicated by the platform; the others are batched afresh."""
        maybe_sent = [row.id for row in rows if row.status == "sending"]
        unsent = [row.id for row in rows if row.status != "sending"]
        if maybe_sent:
            await outbox.defer(tx, maybe_sent, until, keep_batch=True)
        if unsent:
            await outbox.defer(tx, unsent, until)

    async def _still_relevant(self, tx: Tx, row: OutboxRow, now: int) -> bool:
        """True unless the subject's area says the message no longer matters (given when it was
        queued, if the area asks: a change since then may have settled it)."""
        kind, _, ident = (row.subject or "").partition(":")
        check = self.relevance.get(kind)
        if check is None or not ident.isdigit():
            return True
        if check.since_queued is not None:
            return await check.since_queued(tx, Queued(int(ident), row.person_id, row.created_at, now, self.config))
        return check.still_relevant is None or await check.still_relevant(tx, int(ident), row.person_id)

    def _wait_for(self, person: Person, row: OutboxRow, now: datetime) -> int | None:
        """When to try again, if this person must not be messaged right now."""
        zone = person_zone(person, self.config)
        quiet = person_quiet(person, self.config)
        if not self.rule(row.kind).wakes and quiet.contains(minutes_of(now, zone)):
            return to_ts(next_allowed(now, zone, quiet))
        now_ts = to_ts(now)
        if person.paused(now_ts) and (row.bundle or row.kind == "checkin") and not self.rule(row.kind).despite_pause:
            return person.paused_until if person.paused_until is not None else now_ts + DAY
        return None

    async def _send(self, item: Send) -> int:
        # Everything else's turn first: a message that fails before any request (no account on a
        # connected platform) awaits nothing, and SQLite's statements run on the loop, so a
        # backlog of 35,000 such kept the Matrix sync from joining a room or reading a command
        # for 11 s. Sends that reach a platform suspend anyway; this costs a loop turn.
        await asyncio.sleep(0)
        async with self.db.reading() as tx:
            delivery = await self._delivery(tx, item)
        if isinstance(delivery, DeliveryFailed):
            await self._failed(item, delivery)
            return 0
        adapter = self.adapters[delivery.platform]
        checkpoint("deliver-before-send", item.key)
        try:
            await adapter.deliver(delivery)
        except DeliveryFailed as failure:
            await self._failed(item, failure)
            return 0
        except Exception as error:  # an adapter bug must not stop the other deliveries
            log.exception("delivery of %s raised", item.key)
            await self._failed(item, DeliveryFailed(type(error).__name__))
            return 0
        checkpoint("deliver-after-send", item.key)
        async with self.db.transaction(bookkeeping=True) as tx:
            await outbox.mark(tx, [row.id for row in item.rows], "sent", to_ts(self.clock.now()))
        log.info("delivered %d outbox row(s) kind=%s platform=%s", len(item.rows), item.rows[0].kind,
                 delivery.platform)  # fmt: skip
        return 1

    async def _delivery(self, tx: Tx, item: Send) -> Delivery | DeliveryFailed:
        """The message with its destination and its times put into words for its reader, or why
        it has none right now (a public post holding private text has none, ever)."""
        first = item.rows[0]
        bodies = [decode(row.body) for row in item.rows]
        text = await as_now(tx, bundle([body for body, _ in bodies]) if first.bundle else bodies[0][0], self.views)
        # A bundle carries every item's one-click actions (a platform shows at most a few rows of them).
        buttons = tuple(dict.fromkeys(button for _, row_buttons in bodies for button in row_buttons))[:10]
        now = self.clock.now()
        prompt = any(row.caused_by is not None for row in item.rows)
        tried = tried_since(item.rows, self._started)
        if first.channel is not None:
            platform, _, channel_id = first.channel.partition(":")
            if is_private(text):
                log.error("refused to post private text publicly (outbox %s, kind %s)", first.id, first.kind)
                return DeliveryFailed("private text in a public post", permanent=True)
            if platform not in self.adapters:
                return DeliveryFailed(f"no {platform} adapter running")
            mentions = await persons.identities_on(tx, platform, sorted(mentioned(text)))
            public = resolve(text, Reader.of(None, self.config), now)
            message = Outgoing(public, False, buttons, None, mentions)
            return Delivery(item.key, platform, None, channel_id, message, prompt, tried)
        assert first.person_id is not None
        reader = Reader.of(item.reader or await persons.get(tx, first.person_id), self.config)
        accounts = item.accounts if item.accounts is not None else await persons.identities(tx, first.person_id)
        for identity in accounts:
            if identity.platform in self.adapters:
                mentions = await persons.identities_on(tx, identity.platform, sorted(mentioned(text)))
                message = Outgoing(resolve(text, reader, now), True, buttons, None, mentions)
                return Delivery(item.key, identity.platform, identity.user_id, None, message, prompt, tried)
        return DeliveryFailed("no account on a connected platform")

    async def _failed(self, item: Send, failure: DeliveryFailed) -> None:
        now = self.clock.now()
        ids = [row.id for row in item.rows]
        if failure.retry_after is not None and not failure.permanent:
            # A rate limit: the platform said when; waiting is not a failed attempt.
            async with self.db.transaction() as tx:
                until = to_ts(now + timedelta(seconds=max(failure.retry_after, 1)))
                await outbox.defer(tx, ids, until, keep_batch=True)
            log.info("rate limited on %s, retrying in %.1fs", item.key, failure.retry_after)
            return
        attempts = max(row.attempts for row in item.rows) + 1
        park = failure.permanent or attempts >= self.config.nudges.max_attempts
        retry_at = to_ts(now + timedelta(seconds=backoff(attempts)))
        async with self.db.transaction() as tx:
            await outbox.failed(tx, ids, failure.reason, retry_at, park)
            if failure.unreachable:
                await unreachable.report(tx, item.rows, failure.advice, now, self.config, self.rule)
        if park:
            log.warning("parked %s kind=%s after %d tries: %s", item.key, item.rows[0].kind, attempts, failure.reason)
        else:
            log.info("delivery of %s failed (try %d), retrying later", item.key, attempts)

    async def refused(self, key: str, failure: DeliveryFailed) -> None:
        """The message sent as `key` turned out not to reach its reader after all (on Matrix:
        posted with a direct chat's invitation, which they declined): it fails as its delivery
        would have (`_failed`), and whoever caused it is told, once (the report's key)."""
        async with self.db.reading() as tx:
            rows = await outbox.sent_as(tx, key)
        if rows:
            await self._failed(Send(key, tuple(rows)), failure)
