"""Pairing (spec §3): `pairing on|off` and the weekly round."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Generator
from typing import Any

import pytest

from bot import catalog
from bot.areas.pairing import rules
from bot.areas.pairing.jobs import pairing_round_job, run_pairing_round
from bot.areas.pairing.matching import Matching, matching
from bot.scheduling.sweep import Sweep
from tests.console_bot import ConsoleBot, joined, public, to


async def _member(bot: ConsoleBot, name: str, region: str, library: str, interests: str = "") -> None:
    await bot.say(name, "!volunteer research")
    extra = f' interests:"{interests}"' if interests else ""
    await bot.say(name, f'!profile region:"{region}" library:{library}{extra}')


async def _round(bot: ConsoleBot) -> tuple[int, list[str]]:
    """Run the pairing round as the scheduler will, deliver, and return (groups, what was printed)."""
    mark = len(bot.transcript)
    async with bot.app.db.transaction() as tx:
        pairs = await run_pairing_round(tx, bot.clock.now(), bot.app.config)
    await bot.app.deliverer.deliver_due()
    return len(pairs), bot.transcript[mark:]


async def test_pairing_on_and_off(bot: ConsoleBot) -> None:
    assert "You're not in the pairing. Next: `pairing on` to join" in joined(await bot.say("alice", "!pairing"))
    on = joined(await bot.say("alice", "!pairing on"))
    # alice has no zone of her own: the next round in the organisation's, named.
    assert "You're in the pairing: each week, next on Mon 23 Nov 10:00 (Chicago time), I'll pair you" in on
    assert "You're already in the pairing" in joined(await bot.say("alice", "!pairing on"))
    assert "You're in the pairing (each week, next on Mon 23 Nov" in joined(await bot.say("alice", "!pairing"))
    assert "You're out of the pairing." in joined(await bot.say("alice", "!pairing off"))
    assert "You weren't in the pairing." in joined(await bot.say("alice", "!pairing off"))
    assert "`state` is one of on, off, not maybe." in joined(await bot.say("alice", "!pairing maybe"))


async def test_while_paused_the_round_named_is_the_first_that_will_pair_them(bot: ConsoleBot) -> None:
    """A paused member is left out of rounds, yet `pairing on` named a round inside the pause."""
    await bot.say("alice", "!pause until:2026-12-01")  # the console's Monday is 23 November, 10:00 in Chicago
    on = joined(await bot.say("alice", "!pairing on"))
    assert "You're in the pairing: each week, next on Mon 7 Dec 10:00 (Chicago time)," in on, on
    await bot.say("alice", "!pause")
    assert "(each week, once you `resume`)" in joined(await bot.say("alice", "!pairing"))
    await bot.say("alice", "!resume")
    assert "(each week, next on Mon 23 Nov" in joined(await bot.say("alice", "!pairing"))


async def test_a_round_pairs_opted_in_unpaused_members_and_tells_both_why_privately(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public", "archives")
    await _member(bot, "bob", "New England", "academic", "archives, zines")
    await _member(bot, "carol", "Ohio", "public", "archives")  # not opted in
    await _member(bot, "dave", "Texas", "school", "archives")  # opted in, then paused
    for name in ("alice", "bob", "dave"):
        await bot.say(name, "!pairing on")
    await bot.say("dave", "!pause")
    groups, lines = await _round(bot)
    assert groups == 1
    alice = joined(to("alice", lines))
    assert "This week's pairing: meet @bob!" in alice
    assert (
        "Why: you both care about archives; you both do research; bob is in New England (you're in Ohio); "
        "bob works in an academic library." in alice
    )
    assert "Next: send bob a message to say hello, and `met @bob` once you've talked." in alice
    assert "meet @alice!" in joined(to("bob", lines))
    assert not to("carol", lines) and not to("dave", lines) and not public(lines)


async def test_a_pairing_held_for_the_morning_goes_only_to_who_is_still_in_and_never_names_who_left(
    bot: ConsoleBot,
) -> None:
    """Spec §11: checked as it is sent. The round (10:00 in Chicago) reaches Tokyo at night, so its
    messages there wait for the morning; meanwhile a1 pauses and a3 runs `pairing off`. Neither
    hears of the round, and a2, whose message names a1, is not sent to meet her either; a4 was
    told at once, before a3 left."""
    for name in ("a1", "a2", "a3", "a4"):
        await _member(bot, name, "Ohio", "public")
    for name in ("a1", "a2", "a3"):
        await bot.say(name, "!profile tz:Asia/Tokyo")
    await bot.say("a1", "!met @a3")
    await bot.say("a1", "!met @a4")  # so the pairs are a1–a2 and a3–a4
    for name in ("a1", "a2", "a3", "a4"):
        await bot.say(name, "!pairing on")
    groups, lines = await _round(bot)
    assert groups == 2
    assert "meet @a3!" in joined(to("a4", lines)) and not to("a1", lines) + to("a2", lines) + to("a3", lines)
    await bot.say("a1", "!pause")
    await bot.say("a3", "!pairing off")
    morning = await bot.advance("18h")  # 09:00 in Tokyo and after
    assert not [line for line in morning if "pairing" in line or "meet @" in line], morning


async def test_a_pairing_held_for_the_morning_goes_to_someone_who_paused_and_resumed_meanwhile(
    bot: ConsoleBot,
) -> None:
    for name in ("alice", "bob"):
        await _member(bot, name, "Ohio", "public")
        await bot.say(name, "!profile tz:Asia/Tokyo")
        await bot.say(name, "!pairing on")
    assert (await _round(bot))[0] == 1
    await bot.say("alice", "!pause")
    await bot.say("alice", "!resume")
    morning = await bot.advance("18h")
    assert "This week's pairing: meet @bob!" in joined(to("alice", morning))
    assert "This week's pairing: meet @alice!" in joined(to("bob", morning))


async def test_whoever_sits_a_round_out_is_not_told_so_after_leaving_the_pairing(bot: ConsoleBot) -> None:
    for name in ("alice", "bob", "carol"):
        await _member(bot, name, "Ohio", "public")
        await bot.say(name, "!profile tz:Asia/Tokyo")
    await bot.say("alice", "!met @bob")
    await bot.say("alice", "!met @carol")  # alice can meet nobody: she sits the round out
    for name in ("alice", "bob", "carol"):
        await bot.say(name, "!pairing on")
    assert (await _round(bot))[0] == 1
    await bot.say("alice", "!pairing off")
    morning = await bot.advance("18h")
    assert not to("alice", morning)
    assert "meet @carol!" in joined(to("bob", morning))


async def test_a_round_runs_once_and_never_repeats_a_pair(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public")
    await _member(bot, "bob", "New England", "academic")
    for name in ("alice", "bob"):
        await bot.say(name, "!pairing on")
    assert (await _round(bot))[0] == 1
    assert await _round(bot) == (0, [])  # the same round again: nothing made, nothing sent
    lines = await bot.advance("7d")  # next Monday 10:00 the scheduler runs the weekly round itself
    assert await _round(bot) == (0, [])
    assert "No new pair for you this round" in joined(to("alice", lines))
    assert "No new pair for you this round" in joined(to("bob", lines))


async def test_a_round_never_pairs_people_who_met_or_have_an_intro_on_file(bot: ConsoleBot) -> None:
    for name, region in (("alice", "Ohio"), ("bob", "Texas"), ("carol", "Maine"), ("dave", "Iowa")):
        await _member(bot, name, region, "public")
        await bot.say(name, "!pairing on")
    await bot.say("alice", "!met @bob")
    await bot.say("carol", '!intro me @dave why:"we should talk"')
    await bot.say("dave", "!decline 1")
    groups, lines = await _round(bot)
    assert groups == 2
    for name, never in (("alice", "bob"), ("bob", "alice"), ("carol", "dave"), ("dave", "carol")):
        assert f"meet @{never}" not in joined(to(name, lines))


async def test_an_odd_one_out_joins_a_pair_as_a_trio(bot: ConsoleBot) -> None:
    for name, region in (("alice", "Ohio"), ("bob", "Texas"), ("carol", "Maine")):
        await _member(bot, name, region, "public")
        await bot.say(name, "!pairing on")
    groups, lines = await _round(bot)
    assert groups == 1
    for name in ("alice", "bob", "carol"):
        message = joined(to(name, lines))
        assert "This week you're a trio: meet @" in message
        assert message.count("Why ") == 2


async def test_pairing_reasons_never_reveal_what_a_leads_only_profile_hides(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public", "archives")
    await _member(bot, "bob", "New England", "academic", "archives")
    await bot.say("bob", "!profile visibility:leads")
    for name in ("alice", "bob"):
        await bot.say(name, "!pairing on")
    _, lines = await _round(bot)
    alice = joined(to("alice", lines))
    assert "Why: you both do research." in alice
    assert "New England" not in alice and "academic" not in alice and "archives" not in alice
    assert "alice is in Ohio" in joined(to("bob", lines))  # alice shares her profile with members


async def test_the_sweep_matches_a_round_while_members_write_and_pairs_only_who_is_still_in(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The half second of matching at national scale must hold neither the writer nor the event
    loop: here the match goes on until a member has paused (a command that writes, answered
    between two slices of it), and the round recorded after it leaves her out."""
    for name, region in (("alice", "Ohio"), ("bob", "Texas")):
        await _member(bot, name, region, "public", "archives")
        await bot.say(name, "!pairing on")
    started, paused = asyncio.Event(), asyncio.Event()

    def slow_matching(*args: Any) -> Generator[None, None, Matching]:
        started.set()
        given_up = time.monotonic() + 10
        while not paused.is_set():
            assert time.monotonic() < given_up, "the pause never ran: the match held the writer or the loop"
            yield
        return (yield from matching(*args))

    monkeypatch.setattr(rules, "matching", slow_matching)
    sweep = Sweep(bot.app.db, bot.app.config, [pairing_round_job(catalog.catalog())])
    running = asyncio.create_task(sweep.run(bot.clock.now()))
    await asyncio.wait_for(started.wait(), 10)
    assert "Paused" in joined(await asyncio.wait_for(bot.say("alice", "!pause"), 5))
    paused.set()
    await asyncio.wait_for(running, 10)
    mark = len(bot.transcript)
    await bot.app.deliverer.deliver_due()
    lines = bot.transcript[mark:]
    assert not to("alice", lines)  # paused: neither paired nor told
    assert "No new pair for you this round" in joined(to("bob", lines))
    async with bot.app.db.reading() as tx:
        assert await run_pairing_round(tx, bot.clock.now(), bot.app.config) == []  # recorded once
