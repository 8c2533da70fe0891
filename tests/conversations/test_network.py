"""The network (spec §3): `met`, the leads' `network` view, `pairing on|off` and a pairing round."""

from __future__ import annotations

from bot.handlers.pairing import run_pairing_round
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


async def test_met_records_a_tie_and_counts_each_meeting(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public")
    await _member(bot, "bob", "New England", "academic")
    first = joined(await bot.say("alice", "!met @bob talked about the bargaining survey"))
    assert "Noted: you and bob have met (for the first time)." in first
    assert 'Next: `intro @bob <member> why:"…"`' in first
    assert "(2 times now)" in joined(await bot.say("bob", "!met alice"))


async def test_met_yourself_an_unknown_member_or_an_over_long_note_is_refused(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public")
    assert "That's you!" in joined(await bot.say("alice", "!met @alice"))
    assert "I don't know anyone called @zed yet" in joined(await bot.say("alice", "!met @zed"))
    await bot.say("bob", "!volunteer research")
    assert "at most 2000 characters" in joined(await bot.say("alice", f"!met @bob {'z' * 2001}"))
    assert "Hasn't met anyone yet." in joined(await bot.feed("!network @alice"))


async def test_a_leads_network_view_shows_counts_isolated_members_and_bridges(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public")
    await _member(bot, "bob", "New England", "academic")
    await _member(bot, "carol", "Ohio", "public")
    await _member(bot, "dave", "Ohio", "school")
    await _member(bot, "erin", "Pacific Northwest", "public")
    await bot.say("alice", "!met @bob")
    await bot.say("alice", "!met @carol")
    await bot.say("dave", "!met @carol")
    await bot.say("lena", "!volunteer outreach")
    await bot.feed("!role @lena lead")
    lines = await bot.say("lena", "!network")
    assert joined(public(lines)) == "I've sent you the details privately."
    view = joined(to("lena", lines))
    assert "6 members · 3 pairs have met, 3 of them in the last 30 days." in view
    assert "Across regions: 1 of 3 · across library types: 2 of 3." in view
    assert "Isolated (nobody met in 30 days): 2 — erin, lena." in view
    assert "Bridges: alice (1 other region, 1 other library type), bob (1 other region, 1 other library type)" in view
    assert "No ties to other regions yet: Pacific Northwest." in view
    assert "library types yet" not in view
    assert 'Next: `intro @erin @alice why:"…"` to bring erin in' in view
    await bot.advance("31d")
    later = joined(await bot.say("lena", "!network"))
    assert "0 of them in the last 30 days" in later and "Isolated (nobody met in 30 days): 6" in later


async def test_network_is_for_leads_only(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public")
    reply = joined(await bot.say("alice", "!network"))
    assert reply == "[#general] Only leads can use `network`. If you think you should, ask an admin to run `role`."


async def test_the_network_view_of_one_member_lists_who_they_have_met(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public")
    await _member(bot, "bob", "New England", "academic")
    await _member(bot, "carol", "Ohio", "public")
    await bot.say("alice", "!met @bob")
    await bot.say("alice", "!met @carol")
    await bot.say("alice", "!pairing on")
    view = joined(to("you", await bot.feed("!network @alice")))
    assert "alice · Ohio · public library" in view
    assert "Met 2 people (1 other region, 1 other library type):" in view
    assert "· bob (New England, academic) — 1 time, last Mon 23 Nov" in view
    assert "In pairing: yes · intros open: 0." in view
    assert "Isolated" not in view
    assert "Isolated: nobody met in the last 30 days." in joined(
        await bot.advance("31d") + await bot.feed("!network @bob")
    )


async def test_pairing_on_and_off(bot: ConsoleBot) -> None:
    on = joined(await bot.say("alice", "!pairing on"))
    assert "You're in the pairing: every Monday at 10:00 (America/Chicago)" in on
    assert "You're already in the pairing" in joined(await bot.say("alice", "!pairing on"))
    assert "You're out of the pairing." in joined(await bot.say("alice", "!pairing off"))
    assert "You weren't in the pairing." in joined(await bot.say("alice", "!pairing off"))
    assert "`state` is one of on, off, not maybe." in joined(await bot.say("alice", "!pairing maybe"))


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
