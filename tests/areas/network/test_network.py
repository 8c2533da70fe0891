"""The network (spec §3): `met` and the leads' `network` view."""

from __future__ import annotations

import re

from tests.console_bot import ConsoleBot, joined, public, to


async def _member(bot: ConsoleBot, name: str, region: str, library: str, interests: str = "") -> None:
    await bot.say(name, "!volunteer research")
    extra = f' interests:"{interests}"' if interests else ""
    await bot.say(name, f'!profile region:"{region}" library:{library}{extra}')


async def test_met_records_a_tie_and_counts_each_meeting(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public")
    await _member(bot, "bob", "New England", "academic")
    first = joined(await bot.say("alice", "!met @bob talked about the bargaining survey"))
    assert "Noted: you and bob have met (for the first time)." in first
    assert 'Next: `intro @bob <member> why:"…"`' in first
    assert "(2 times now)" in joined(await bot.say("bob", "!met alice"))


async def test_met_yourself_an_unknown_member_or_an_over_long_note_is_refused(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public")
    to_herself = joined(await bot.say("alice", "!met @alice"))
    assert "That's you!" in to_herself and "@alice" not in to_herself  # the example is not her own name
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


async def test_a_network_where_nobody_has_met_says_so_in_words(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public")
    view = joined(await bot.feed("!network"))
    assert "1 member · no pairs have met yet." in view and "0 of them" not in view  # the console user is no member


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


async def test_the_intro_network_suggests_names_two_people_who_have_not_met_and_is_taken_when_typed(
    bot: ConsoleBot,
) -> None:
    """a1 met a3 long ago: both are isolated now, and both bridges. The suggestion used to be the
    first isolated member and the first bridge, `intro @a1 @a1`, which `intro` refuses."""
    for name in ("a1", "a2", "a3", "a4"):
        await bot.say(name, "!volunteer research")
    await bot.say("a1", '!profile region:"Upper Midwest" library:public')
    await bot.say("a3", '!profile region:"Pacific Northwest" library:academic')
    await bot.say("lena", "!volunteer outreach")
    await bot.feed("!role @lena lead")
    await bot.say("a1", "!met @a3")
    await bot.advance("31d")
    await bot.say("a2", "!met @a4")
    view = joined(to("lena", await bot.say("lena", "!network")))
    assert "Isolated (nobody met in 30 days): 3 — a1, a3, lena." in view and "Bridges: a1 (" in view
    suggested = re.search(r"Next: `(intro @(\w+) @(\w+)) why:", view)
    assert suggested is not None, view
    command, first, second = suggested.groups()
    assert first != second and {first, second} != {"a1", "a3"}  # two people, who have not met
    reply = joined(await bot.say("lena", f'!{command} why:"you should talk"'))
    assert "I've asked" in reply, reply


async def test_network_suggests_no_intro_when_every_isolated_member_has_met_every_bridge(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public")
    await _member(bot, "bob", "Maine", "academic")
    await bot.say("alice", "!met @bob")
    await bot.advance("31d")
    await bot.say("lena", "!volunteer outreach")
    await bot.feed("!role @lena lead")
    await bot.say("lena", "!met @alice")
    view = joined(to("lena", await bot.say("lena", "!network")))
    assert "Isolated (nobody met in 30 days): 1 — bob." in view and "Bridges: alice (" in view
    assert "Next: `network @member` for one member, or `intro` two people who should meet." in view


async def test_met_me_is_the_speaker_as_intro_me_reads_it(bot: ConsoleBot) -> None:
    await _member(bot, "alice", "Ohio", "public")
    for typed in ("me", "Me", "myself"):
        assert "That's you!" in joined(await bot.say("alice", f"!met {typed}"))
    assert "Hasn't met anyone yet." in joined(await bot.feed("!network @alice"))  # nothing recorded
    await bot.feed("!role @alice lead")
    assert "alice · Ohio · public library" in joined(await bot.say("alice", "!network me"))
