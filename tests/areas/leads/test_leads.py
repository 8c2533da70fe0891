"""Leads' views (spec §7): coverage with its gaps first, and the digest on demand."""

from __future__ import annotations

from tests.console_bot import ConsoleBot, joined


async def _volunteer(bot: ConsoleBot, name: str, skill: str, region: str | None, library: str | None) -> None:
    await bot.say(name, f"!volunteer {skill}")
    fields = " ".join(f for f in (f'region:"{region}"' if region else "", f"library:{library}" if library else "") if f)
    if fields:
        await bot.say(name, f"!profile {fields}")


async def test_coverage_shows_the_gaps_first(bot: ConsoleBot) -> None:
    await _volunteer(bot, "alice", "research", "Upper Midwest", "public")
    await _volunteer(bot, "bob", "research", "Upper Midwest", "academic")
    await _volunteer(bot, "carol", "design", "New England", "public")
    await _volunteer(bot, "dave", "writing", None, None)
    by_region = joined(await bot.feed("!coverage"))
    assert "Coverage by region, 4 volunteers:" in by_region
    first_gap = by_region.index("Gap: no one from school libraries in Upper Midwest")
    assert first_gap < by_region.index("Fewest first: New England (1), Upper Midwest (2).")
    assert "1 volunteer(s) haven't said their region or library." in by_region
    by_library = joined(await bot.feed("!coverage by:library"))
    assert "Gap: no one from school libraries." in by_library and "Gap: no one from public" not in by_library
    await bot.feed('!ask title:"Translate the statement" skill:translation')
    by_skill = joined(await bot.feed("!coverage by:skill"))
    assert "Gap: 1 open ask(s) need translation; no volunteer has it." in by_skill
    assert "design (1), writing (1), research (2)" in by_skill


async def test_coverage_and_digest_are_for_leads(bot: ConsoleBot) -> None:
    await _volunteer(bot, "alice", "research", "Ohio", "public")
    assert "Only leads can use `coverage`" in joined(await bot.say("alice", "!coverage"))
    assert "Only leads can use `digest`" in joined(await bot.say("alice", "!digest"))
    assert "Weekly digest" in joined(await bot.feed("!digest"))


async def test_coverage_with_nobody_signed_up_says_how_to_start(bot: ConsoleBot) -> None:
    assert "No volunteers yet" in joined(await bot.feed("!coverage"))
