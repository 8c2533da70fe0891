"""Leads' views (spec §7): coverage with its gaps first, and the digest on demand."""

from __future__ import annotations

from tests.console_bot import ConsoleBot, joined, to


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
    assert "Coverage by region, 4 volunteers." in by_region
    first_gap = by_region.index("· No one from school libraries in Upper Midwest.")
    assert first_gap < by_region.index("Fewest first: New England (1), Upper Midwest (2).")
    assert "1 volunteer hasn't said their region." in by_region
    by_library = joined(await bot.feed("!coverage by:library"))
    assert "· No one from school libraries." in by_library and "No one from public" not in by_library
    await bot.feed('!ask title:"Translate the statement" skill:translation')
    by_skill = joined(await bot.feed("!coverage by:skill"))
    assert "· 1 open ask needs translation; no volunteer has it." in by_skill
    assert "design (1), writing (1), research (2)" in by_skill
    # Each view's next step names the other two (`by:library` once offered itself).
    assert "Next: `coverage by:library` or `by:skill`" in by_region
    assert "Next: `coverage by:region` or `by:skill`" in by_library
    assert "Next: `coverage by:region` or `by:library`" in by_skill


async def test_coverage_and_digest_are_for_leads(bot: ConsoleBot) -> None:
    await _volunteer(bot, "alice", "research", "Ohio", "public")
    assert "Only leads can use `coverage`" in joined(await bot.say("alice", "!coverage"))
    assert "Only leads can use `digest`" in joined(await bot.say("alice", "!digest"))
    assert "Weekly digest" in joined(await bot.feed("!digest"))


async def test_the_digest_says_its_counts_in_good_english(bot: ConsoleBot) -> None:
    """It said "1 stale claims"."""
    await _volunteer(bot, "alice", "research", "Ohio", "public")
    await bot.feed('!ask title:"Translate the statement" skill:research')
    await bot.say("alice", "!claim 1")
    await bot.advance("8d")
    digest = joined(to("you", await bot.feed("!digest")))
    assert "; 1 stale claim; 0 open with nobody on them." in digest
    await bot.say("alice", "!release 1")
    assert "; 0 stale claims; 1 open with nobody on them." in joined(to("you", await bot.feed("!digest")))


async def test_coverage_with_nobody_signed_up_says_how_to_start(bot: ConsoleBot) -> None:
    assert "No volunteers yet" in joined(await bot.feed("!coverage"))


async def test_coverage_shows_every_gap_a_page_at_a_time(bot: ConsoleBot) -> None:
    regions = [f"Region {chr(ord('A') + n)}" for n in range(13)]
    for number, region in enumerate(regions):
        await _volunteer(bot, f"v{number}", "research", region, "public")
    first = joined(await bot.feed("!coverage"))
    assert "Coverage by region, 13 volunteers." in first
    assert "Gaps, biggest first (page 1 of 5, 52 in all):" in first
    assert first.count("· No one from") == 12
    assert "…and 1 more." in first  # the counts line says what it leaves out
    assert "Next: `coverage by:region page:2` for more gaps" in first
    shown = []
    for page in range(1, 6):
        reply = joined(await bot.feed(f"!coverage page:{page}"))
        shown += [line.strip() for line in reply.splitlines() if line.strip().startswith("· No one from")]
    assert len(shown) == len(set(shown)) == 52
    assert all(f"in {region}." in " ".join(shown) for region in regions)
    past = joined(await bot.feed("!coverage page:6"))
    assert "There are only 5 pages. Try `coverage by:region page:5`." in past


async def test_a_new_leads_first_digest_waits_for_the_next_digest_time(bot: ConsoleBot) -> None:
    await bot.say("alice", "!profile tz:America/Chicago")
    await bot.feed("::at 2026-11-26T04:00Z")  # Wednesday 22:00 in Chicago, after Monday's digest
    assert "alice is now a lead (was member)." in joined(await bot.feed("!role @alice lead"))
    early = await bot.feed("::at 2026-11-30T14:59Z")  # Monday 08:59 in Chicago
    assert not [m for m in to("alice", early) if "Weekly digest" in m]
    on_time = await bot.advance("1m")  # Monday 09:00 in Chicago
    assert [m for m in to("alice", on_time) if "Weekly digest" in m]


def _digests(out: list[str], name: str) -> list[str]:
    return [m for m in to(name, out) if "Weekly digest" in m]


async def test_a_digest_held_for_the_morning_goes_only_to_someone_still_a_lead(bot: ConsoleBot) -> None:
    """A lead demoted while their digest waited out their quiet hours still got the week's names
    and check-in counts at the morning (spec §11: every delivery obeys the rules)."""
    for name in ("lee", "alice"):
        await bot.say(name, "!volunteer research")
        await bot.say(name, "!profile tz:America/Chicago quiet:07:00-11:00")
        await bot.feed(f"!role @{name} lead")
    held = await bot.feed("::at 2026-11-30T15:00Z")  # Monday 09:00 in Chicago: queued, held to 11:00
    assert not _digests(held, "lee") and not _digests(held, "alice")
    await bot.feed("!role @lee member")
    morning = await bot.advance("4h")
    assert _digests(morning, "alice")  # the same digest, to a lead still
    assert not _digests(morning, "lee")
    assert "Only leads can use `digest`" in joined(await bot.say("lee", "!digest"))


async def test_a_paused_lead_gets_no_weekly_digest_and_this_weeks_when_back(bot: ConsoleBot) -> None:
    """Pause stops nudges (spec §1), and the digest with them; back before the week is out, the
    lead gets the week's digest as it stands then, and `digest` works all along."""
    await bot.say("lee", "!volunteer research")
    await bot.say("lee", "!profile tz:America/Chicago")
    await bot.feed("!role @lee lead")
    await bot.say("lee", "!pause")
    week = await bot.feed("::at 2026-12-02T15:00Z")  # past Monday's digest, to Wednesday 09:00 in Chicago
    assert _digests(week, "you") and not _digests(week, "lee")  # the moment came: not for her
    assert "Weekly digest" in joined(await bot.say("lee", "!digest"))  # on demand, paused or not
    await bot.say("lee", "!resume")
    back = await bot.advance("1m")
    assert len(_digests(back, "lee")) == 1


async def test_a_lead_who_pauses_while_their_digest_waits_does_not_get_it(bot: ConsoleBot) -> None:
    """Held to the pause's end it would bring the figures and names of before it; dropped, the
    lead hears next week's at its time."""
    await bot.say("lee", "!volunteer research")
    await bot.say("lee", "!profile tz:America/Chicago quiet:07:00-11:00")
    await bot.feed("!role @lee lead")
    await bot.feed("::at 2026-11-30T15:00Z")  # Monday 09:00 in Chicago: queued, held to 11:00
    await bot.say("lee", "!pause until:2026-12-05")
    away = await bot.feed("::at 2026-12-07T16:59Z")  # back since Saturday; next Monday 10:59 in Chicago
    assert not _digests(away, "lee")
    assert len(_digests(await bot.advance("1m"), "lee")) == 1  # next week's, at 11:00 (her quiet hours' end)


async def test_the_audit_lists_changes_in_words_with_their_real_actor(bot: ConsoleBot) -> None:
    from bot.ids import Role
    from tests.areas.accounts.test_accounts import say_on

    await _volunteer(bot, "alice", "research", "Ohio", "public")
    await say_on(bot, "discord", "7", "Lee", "!volunteer research", role=Role.LEAD)
    await bot.feed("!role @alice admin")
    await bot.feed('!ask title:"Map the branches"')
    await bot.feed("!edit 1 due:friday need:3")
    for _ in range(4):
        await bot.feed("!coverage")
    audit = joined(to("you", await bot.feed("!audit")))
    assert "Last 5 changes, newest first:" in audit
    assert "you changed ask 1: due date, need" in audit and "you posted ask 1" in audit
    assert "you made alice an admin (was member)" in audit
    assert "discord role sync made Lee a lead (was member)" in audit
    assert "the console made you an admin (was member)" in audit
    assert "coverage" not in audit and "a former member" not in audit and "ask.edit" not in audit
    everything = joined(to("you", await bot.feed("!audit all")))
    assert everything.count("you looked at `coverage`") == 4 and "you looked at `audit`" in everything
    assert "Only admins can use `audit`" in joined(await bot.say("bob", "!audit all"))


def test_every_action_the_code_records_in_the_audit_has_words() -> None:
    """`audit` says what happened in words; an action recorded without them would show its raw key."""
    import re
    from pathlib import Path

    from bot.areas.leads.words import AUDIT_ACTIONS

    root = Path(__file__).resolve().parents[3] / "bot"
    recorded = set()
    for path in root.rglob("*.py"):
        text = path.read_text()
        recorded |= set(re.findall(r"ctx\.audit\(\s*\"([\w.]+)\"", text))
        recorded |= set(re.findall(r"audit\.record\(\s*[\w.]+,\s*[\w.]+,\s*\"([\w.]+)\"", text))
    assert {"ask.edit", "role", "forget", "dashboard.link"} <= recorded  # the search finds them
    assert not recorded - set(AUDIT_ACTIONS), sorted(recorded - set(AUDIT_ACTIONS))


async def test_lowering_a_role_a_platform_grants_says_it_comes_back(bot: ConsoleBot) -> None:
    """The bot can't take a Discord role away: an admin demoting a lead it gives must be told, or
    the lead they meant to demote is quietly a lead again at their next message."""
    from bot.ids import Role
    from tests.areas.accounts.test_accounts import say_on

    await say_on(bot, "discord", "7", "Lee", "!volunteer research", role=Role.LEAD)
    demoted = joined(await bot.feed("!role @Lee member"))
    assert (
        "Lee is now a member (was lead). Heads up: their Discord roles can make them a lead again at their " in demoted
    )
    assert "next message; change that there to make this stick." in demoted
    assert "Only leads" not in await say_on(bot, "discord", "7", "Lee", "!coverage", private=False, role=Role.LEAD)
    await bot.say("alice", "!volunteer research")
    await bot.feed("!role @alice lead")
    given = joined(await bot.feed("!role @alice member"))  # given with `role`: nothing gives it back
    assert "alice is now a member (was lead). Next: `audit`" in given and "Heads up" not in given


async def test_lowering_a_config_admin_points_at_the_admins_list(database: str) -> None:
    from bot.ids import Role
    from tests.areas.accounts.test_accounts import say_on
    from tests.console_bot import make_config

    bot = await ConsoleBot.start(database, make_config(admins=["matrix:@ana:example.org"]))
    try:
        await say_on(bot, "matrix", "@ana:example.org", "Ana", "!volunteer research", role=Role.MEMBER)
        demoted = joined(await bot.feed("!role @Ana lead"))
        assert "Ana is now a lead (was admin). Heads up: Ana is on the config's `admins` list" in demoted
        assert "so they'll be an admin again at their next message. Take them off it" in demoted
    finally:
        await bot.close()
