"""Long sweep jobs write in shares (issue 15): commands that write take their turn between two
shares instead of waiting for all of it, and a share that fails (or a kill, `tests/crash`) leaves
the rest to the next sweep, with nothing lost and nothing done twice."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import catalog
from bot.areas.leads import jobs as leads_jobs
from bot.areas.pairing import jobs as pairing_jobs
from bot.clock import to_ts
from bot.config import Config, build, validate
from bot.core.notices import encode
from bot.core.text import fmt
from bot.ids import PersonId
from bot.scheduling import shares
from bot.scheduling import sweep as sweep_module
from bot.scheduling.job import Job
from bot.scheduling.sweep import Sweep
from bot.storage import outbox, state
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from tests.console_bot import ConsoleBot, joined

DAY = 86400
PAUSED = "SELECT p.paused_at FROM people p JOIN identities i ON i.person_id = p.id WHERE i.user_id = 'm0'"


def _whole_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shares of the size each job declares, whatever the machine's pace: these tests count them
    (`shares.Pace` sizes them by time; tested below)."""
    monkeypatch.setattr(shares, "START", 1.0)
    monkeypatch.setattr(shares, "BUDGET", 3600.0)


async def _old_and_recent(bot: ConsoleBot) -> PersonId:
    """Seven messages sent 100 days ago and two sent yesterday; five events seen 40 days ago and
    one today."""
    await bot.say("alice", "!volunteer research")
    now = to_ts(bot.clock.now())
    async with bot.app.db.transaction() as tx:
        alice = PersonId(int(await tx.value("SELECT person_id FROM identities WHERE user_id = 'alice'")))
        for n, age in enumerate([100] * 7 + [1] * 2):
            text = encode(fmt("news {n}", n=str(n)), ())
            await outbox.queue(tx, [OutboxMessage(f"old:{n}:{age}", "test", text, now - age * DAY, alice)], now)
            await tx.execute("UPDATE outbox SET status = 'sent', sent_at = :t WHERE key = :k",
                             {"t": now - age * DAY, "k": f"old:{n}:{age}"})  # fmt: skip
        for n, age in enumerate([40] * 5 + [0]):
            await tx.execute("INSERT INTO processed_events (platform, event_id, processed_at) VALUES ('t', :e, :t)",
                             {"e": f"event-{n}", "t": now - age * DAY})  # fmt: skip
        await state.put(tx, "housekeeping:last", str(now - 2 * DAY))
    return alice


async def _left(bot: ConsoleBot) -> tuple[list[str], int, str | None]:
    async with bot.app.db.reading() as tx:
        keys = [row["key"] for row in await tx.all("SELECT key FROM outbox WHERE key LIKE 'old:%' ORDER BY id")]
        events = int(await tx.value("SELECT COUNT(*) FROM processed_events WHERE platform = 't'"))
        return keys, events, await state.get(tx, "housekeeping:last")


async def test_housekeeping_forgets_in_shares_and_a_failed_share_leaves_the_rest_to_the_next_sweep(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _old_and_recent(bot)
    monkeypatch.setattr(sweep_module, "PRUNE_SHARE", 3)
    _whole_shares(monkeypatch)
    real, calls = outbox.prune, []

    async def failing_second(tx: Any, ids: Any) -> int:
        calls.append(list(ids))
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return await real(tx, ids)

    monkeypatch.setattr(outbox, "prune", failing_second)
    sweep = Sweep(bot.app.db, bot.app.config, [])
    await sweep.run(bot.clock.now())
    keys, events, last = await _left(bot)
    assert len(keys) == 6 and last != str(to_ts(bot.clock.now())), "the first share is kept, the rest waits"

    monkeypatch.setattr(outbox, "prune", real)
    await sweep.run(bot.clock.now())
    keys, events, last = await _left(bot)
    assert keys == ["old:7:1", "old:8:1"] and events == 1 and last == str(to_ts(bot.clock.now()))
    assert len(calls) == 2


async def test_what_housekeeping_may_forget_is_read_a_page_at_a_time_and_none_is_missed(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Old and recent messages interleaved, read two ids a query: every old one, in order, once."""
    await bot.say("alice", "!volunteer research")
    now = to_ts(bot.clock.now())
    ages = [100, 1, 100, 100, 1, 1, 100, 100, 100, 1]
    async with bot.app.db.transaction() as tx:
        alice = PersonId(int(await tx.value("SELECT person_id FROM identities WHERE user_id = 'alice'")))
        for n, age in enumerate(ages):
            await outbox.queue(tx, [OutboxMessage(f"mixed:{n}", "test", encode(fmt("news"), ()), now, alice)], now)
            await tx.execute("UPDATE outbox SET status = 'sent', sent_at = :t WHERE key = :k",
                             {"t": now - age * DAY, "k": f"mixed:{n}"})  # fmt: skip
    monkeypatch.setattr(outbox, "PRUNABLE_PAGE", 2)
    async with bot.app.db.reading() as tx:
        found = list(await outbox.prunable(tx, now - 90 * DAY))
        keys = {row["id"]: row["key"] for row in await tx.all("SELECT id, key FROM outbox WHERE key LIKE 'mixed:%'")}
    assert [keys[i] for i in found] == [f"mixed:{n}" for n, age in enumerate(ages) if age == 100]


async def _in_pairing(bot: ConsoleBot, names: list[str]) -> None:
    for name in names:
        await bot.say(name, "!volunteer research")
        await bot.say(name, "!pairing on")


async def test_a_command_writes_between_two_shares_of_the_pairing_round(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"m{n}" for n in range(8)]
    await _in_pairing(bot, names)
    monkeypatch.setattr(pairing_jobs, "SHARE", 2)
    _whole_shares(monkeypatch)
    paused: list[bool] = []  # at each share: had m0's pause been written yet?
    real = pairing_jobs._tell
    command: list[asyncio.Task[list[str]]] = []

    async def telling(tx: Any, made: Any, told: Any, now: Any, config: Any) -> None:
        paused.append(await tx.value(PAUSED) is not None)
        if len(paused) == 2:  # the first share of people: a member pauses meanwhile
            command.append(asyncio.create_task(bot.say("m0", "!pause")))
            await asyncio.sleep(0.2)  # (it waits for the writer, held by this share)
        await real(tx, made, told, now, config)

    monkeypatch.setattr(pairing_jobs, "_tell", telling)
    sweep = Sweep(bot.app.db, bot.app.config, [pairing_jobs.pairing_round_job(catalog.catalog())])
    await asyncio.wait_for(sweep.run(bot.clock.now()), 10)
    assert "Paused" in joined(await asyncio.wait_for(command[0], 5))
    assert paused == [False, False, True, True, True], "the pause waited for the whole round"
    async with bot.app.db.reading() as tx:
        rows = await tx.all("SELECT key FROM outbox WHERE kind = 'pairing'")
    assert len(rows) == len(names)  # everyone told once, m0 too (she paused after the round was made)


async def test_a_round_is_told_to_the_end_after_a_kill_even_days_later_in_its_week(bot: ConsoleBot) -> None:
    """Recorded and told in part (a kill): the next sweep of the week tells the rest, once."""
    await _in_pairing(bot, ["alice", "bob", "carol", "dan"])
    job = pairing_jobs.pairing_round_job(catalog.catalog())
    assert job.prepare is not None
    write = await job.prepare(bot.app.db.reading, bot.clock.now(), bot.app.config)
    assert write is not None
    async with bot.app.db.transaction() as tx:
        assert await write(tx)  # the round recorded; nobody told yet: then the bot is killed
    bot.clock.set(bot.clock.now() + timedelta(days=2))
    await Sweep(bot.app.db, bot.app.config, [job]).run(bot.clock.now())
    async with bot.app.db.reading() as tx:
        keys = [row["key"] for row in await tx.all("SELECT key FROM outbox WHERE kind = 'pairing'")]
        rounds = int(await tx.value("SELECT COUNT(*) FROM pairing_rounds"))
    assert rounds == 1 and len(keys) == len(set(keys)) == 4


async def test_the_weekly_digest_goes_to_every_lead_once_in_shares(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    leads = [f"lead{n}" for n in range(5)]
    for name in leads:
        await bot.say(name, "!volunteer research")
        await bot.feed(f"!role @{name} lead")
    monkeypatch.setattr(leads_jobs, "SHARE", 2)
    _whole_shares(monkeypatch)
    shares: list[bool] = []

    async def counted(reading: Any, now: Any, config: Any) -> Any:
        write = await leads_jobs.prepare_digests(reading, now, config)  # (the digest read beside the writer)
        if write is None:
            return None

        async def share(tx: Any) -> bool:
            shares.append(await write(tx))
            return shares[-1]

        return share

    job = dataclasses.replace(leads_jobs.WEEKLY_DIGEST, prepare=counted)
    bot.clock.set(bot.clock.now() + timedelta(days=7))  # next Monday's digest time, for leads made this week
    await Sweep(bot.app.db, bot.app.config, [job]).run(bot.clock.now())
    await Sweep(bot.app.db, bot.app.config, [job]).run(bot.clock.now())  # again: nothing twice
    async with bot.app.db.reading() as tx:
        keys = [row["key"] for row in await tx.all("SELECT key FROM outbox WHERE kind = 'digest'")]
    assert len(keys) == len(set(keys)) == len(leads) + 1  # and the console's admin, `you`
    assert shares == [True, True, False]  # the second sweep finds nothing due: no share


def test_the_pace_shrinks_shares_that_held_the_writer_too_long_and_grows_full_ones_that_fit() -> None:
    pace = shares.Pace()
    assert shares.size(80) == 80, "outside a sweep (a job run whole), all of it"
    with pace.sized("check-ins"):
        assert shares.size(80) == 20  # a job's first share in this process: a quarter
    pace.learn("check-ins", shares.BUDGET * 2, full=True)  # twice the budget: half as many
    with pace.sized("check-ins"):
        assert shares.size(80) == 10
    pace.learn("check-ins", shares.BUDGET / 4, full=False)  # it ran out of work: nothing learnt
    with pace.sized("check-ins"):
        assert shares.size(80) == 10
    pace.learn("check-ins", shares.BUDGET / 4, full=True)  # quick and full: at most twice as many
    with pace.sized("check-ins"):
        assert shares.size(80) == 20
    with pace.sized("housekeeping"):
        assert shares.size(80) == 20, "each job learns its own pace"
    pace.learn("check-ins", shares.BUDGET * 1000, full=True)  # a stall: never below a tenth
    with pace.sized("check-ins"):
        assert shares.size(80) == 8
    for _ in range(10):
        pace.learn("check-ins", 0.0, full=True)
    with pace.sized("check-ins"):
        assert shares.size(80) == 80 and shares.size(1) == 1, "never above what the job declares"


async def test_a_slow_machine_gets_smaller_shares_and_every_item_is_done_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each item takes a millisecond while the share holds the writer: shares of the declared 50
    would hold it 50 ms. After the first, none holds it much past the 20 ms budget."""
    monkeypatch.setattr(shares, "BUDGET", 0.02)
    monkeypatch.setattr(shares, "START", 1.0)
    items, done, sizes = list(range(200)), [], []

    async def run(tx: Any, now: Any, config: Any) -> bool:
        share = items[: shares.size(50)]
        del items[: len(share)]
        await asyncio.sleep(0.001 * len(share))  # (at least that long: a slower machine only shrinks them)
        done.extend(share)
        sizes.append(len(share))
        return bool(items)

    async def next_due(tx: Any, now: Any, config: Any) -> None:
        return None

    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await Sweep(db, validate(build(Config, {}, "")), [Job("slow", run, next_due)]).run(datetime.now(UTC))
    finally:
        await db.close()
    assert done == list(range(200)), "each item once, in order, in one sweep"
    assert sizes[0] == 50 and all(5 <= size <= 20 for size in sizes[1:-1]), sizes
