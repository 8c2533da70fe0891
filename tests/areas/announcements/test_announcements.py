"""Announcements (spec §14): to the channels or privately to a group, at once or later."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters import discord_render
from bot.areas.announcements import rules
from bot.core.messages import Outgoing
from bot.core.notices import decode
from bot.core.text import plain_text
from bot.ids import Role
from tests.console_bot import ConsoleBot, joined, make_config, platform_message, public, to


async def _members(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.say("alice", '!profile tz:America/Chicago region:"Upper Midwest" library:public')
    await bot.say("bob", "!volunteer design")
    await bot.say("bob", "!profile tz:America/New_York library:academic")
    await bot.say("carol", "!volunteer research")
    await bot.say("carol", "!pause")


async def test_an_announcement_to_the_channel_is_posted_there(bot: ConsoleBot) -> None:
    lines = await bot.feed('!announce text:"Statement goes public Friday"')
    assert "Posted announcement 1 in 1 channel." in joined(public(lines))
    assert any("Announcement from you:" in m and "Statement goes public Friday" in m for m in public(lines))


async def test_the_text_may_come_without_its_key_as_a_lead_types_it(bot: ConsoleBot) -> None:
    """`announce Welcome all!` was "I didn't expect Welcome all! there"."""
    await _members(bot)
    assert "Posted announcement 1 in 1 channel." in joined(public(await bot.feed("!announce Welcome all!")))
    queued = await bot.feed("!announce to:everyone Second meeting: Thursday 7pm")
    assert "goes privately to 2 people (everyone)" in joined(queued)
    assert "Second meeting: Thursday 7pm" in joined(to("alice", queued))
    assert "`announce` needs a text." in joined(await bot.feed("!announce to:everyone"))
    # A key mistyped in the text must not send a region's news to the channel.
    assert "`announce` has no `regoin:`. Did you mean `region:`?" in joined(await bot.feed("!announce Hi regoin:Ohio"))
    assert "Note: bring snacks" in joined(public(await bot.feed("!announce Note: bring snacks")))  # no key: text


async def test_an_announcement_to_everyone_reaches_each_unpaused_member_privately_once(bot: ConsoleBot) -> None:
    await _members(bot)
    lines = await bot.feed('!announce text:"Meeting Thursday 7pm" to:everyone')
    assert "goes privately to 2 people (everyone)" in joined(lines)
    for name in ("alice", "bob"):
        assert "Meeting Thursday 7pm" in joined(to(name, lines))
    assert not to("carol", lines)  # paused
    assert not to("alice", await bot.advance("2d"))  # once


async def test_every_member_may_be_called_all_or_members(bot: ConsoleBot) -> None:
    await _members(bot)
    for word in ("all", "Members", "everybody"):
        lines = await bot.feed(f'!announce text:"Meeting at 7" to:{word}')
        assert "goes privately to 2 people (everyone)" in joined(lines), word


async def test_announcements_to_a_skill_region_or_library_reach_only_those(bot: ConsoleBot) -> None:
    await _members(bot)
    skill = await bot.feed('!announce text:"Researchers: new ask" to:skill:research')
    assert "to 1 person (those with research)" in joined(skill)
    region = await bot.feed('!announce text:"Midwest call" region:"upper midwest"')
    assert "to 1 person (those in Upper Midwest)" in joined(region)
    library = await bot.feed('!announce text:"Academic folks" to:library:academic')
    assert "to 1 person (academic libraries)" in joined(library)
    later = [*skill, *region, *library, *await bot.advance("3d")]
    alice, bob = joined(to("alice", later)), joined(to("bob", later))
    assert "Researchers" in alice and "Midwest call" in alice and "Academic" not in alice
    assert "Academic folks" in bob and "Researchers" not in bob and "Midwest" not in bob


async def test_how_many_a_group_holds_goes_privately_when_it_shows_where_a_hidden_profile_is(bot: ConsoleBot) -> None:
    """ "goes privately to 1 person (those in Montana)" in the channel told everyone that someone
    is in Montana, where alice's leads-only profile alone says she is (spec §11)."""
    await _members(bot)
    await bot.say("dana", "!volunteer design")
    await bot.say("dana", '!profile region:"Montana" library:school visibility:leads')
    for audience in ('region:"Montana"', "to:library:school"):
        lines = await bot.feed(f'!announce text:"Hello" {audience}')
        assert "goes privately to 1 person" in joined(to("you", lines)), audience
        assert "1 person" not in joined(public(lines)) and "sent you the details privately" in joined(public(lines))
    shown = await bot.feed('!announce text:"Midwest call" region:"upper midwest"')  # alice's region is for all
    assert "to 1 person (those in Upper Midwest)" in joined(public(shown))
    assert "to 3 people (everyone)" in joined(public(await bot.feed('!announce text:"All" to:everyone')))


async def test_the_list_of_announcements_keeps_that_count_as_private_as_announce_did(bot: ConsoleBot) -> None:
    """`announce` told the lead privately how many it reached in Montana, where only dana's
    leads-only profile says anyone is; `announcements` in the channel then said "to those in
    Montana, for 1 person" to everyone (privacy follows the data, not the command: spec §11)."""
    await _members(bot)
    await bot.say("dana", "!volunteer design")
    await bot.say("dana", '!profile region:"Montana" visibility:leads')
    await bot.feed('!announce text:"Hello Montana" region:"Montana"')
    await bot.feed('!announce text:"Midwest call" region:"upper midwest"')  # alice's region is for all
    await bot.say("dana", "!pause")  # paused since: the count still holds her
    listed = await bot.feed("!announcements")
    assert "1 person" not in joined(public(listed)) and "sent you the details privately" in joined(public(listed))
    assert "to those in Montana, for 1 person: Hello Montana" in joined(to("you", listed))
    seen = await bot.say("bob", "!announcements")  # a member never reads where a leads-only profile is
    assert "to those in Montana, sent privately: Hello Montana" in joined(seen), seen
    assert "to those in Upper Midwest, for 1 person: Midwest call" in joined(public(seen))


async def test_a_large_group_is_queued_in_shares_each_person_once(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At national scale, everyone is 98,000 messages: the command queues the first few hundred, the
    # sweep the rest a share a transaction, so members' writes go in between (here: 2 and 2).
    monkeypatch.setattr(rules, "AT_ONCE", 2)
    monkeypatch.setattr(rules, "SHARE", 2)
    names = ["ann", "ben", "cat", "dan", "eve"]
    for name in names:
        await bot.say(name, "!volunteer research")
    lines = await bot.feed('!announce text:"Big news" to:everyone')
    assert "Announcement 1 goes privately to 5 people (everyone)" in joined(lines)
    first = [name for name in names if "Big news" in joined(to(name, lines))]
    assert first == ["ann", "ben"]
    assert "to everyone, for 2 people so far: Big news" in joined(await bot.feed("!announcements"))
    rest = await bot.advance("1m")  # the next sweep: the other three, in shares
    assert [name for name in names if "Big news" in joined(to(name, rest))] == ["cat", "dan", "eve"]
    assert "to everyone, for 5 people: Big news" in joined(await bot.feed("!announcements"))
    assert not any("Big news" in line for line in await bot.advance("2d"))  # nobody twice


async def test_a_private_announcement_waits_for_waking_hours_and_is_bundled_with_reminders(bot: ConsoleBot) -> None:
    await _members(bot)
    await bot.feed("::at 2026-11-24T04:00Z")  # 22:00 Chicago, 23:00 New York
    lines = await bot.feed('!announce text:"Late news" to:everyone')
    assert not to("alice", lines) and not to("bob", lines)
    morning = await bot.advance("10h")  # 08:00 Chicago, 09:00 New York
    assert "Late news" in joined(to("bob", morning)) and not to("alice", morning)
    assert "Late news" in joined(to("alice", await bot.advance("1h")))


async def test_an_announcement_is_never_held_for_tomorrow_by_the_days_reminders(bot: ConsoleBot) -> None:
    """Announcements are not nudges, whose limit is one message a day (spec §6): "Rally at 6pm
    tonight", posted at noon to someone whose reminders had gone out that morning, reached
    them the next morning, and so did a second announcement the same day."""
    await _members(bot)
    await bot.feed('!ask title:"Count the chairs" skill:research')
    await bot.say("alice", "!claim 1")
    week = await bot.feed("::at 2026-11-30T18:00Z")  # noon in Chicago, a week on
    assert "no update for 7 days" in joined(to("alice", week))
    for text in ("Rally at 6pm tonight", "Bring signs"):
        lines = await bot.feed(f'!announce text:"{text}" to:everyone')
        assert text in joined(to("alice", lines + await bot.advance("1m"))), text


async def test_a_member_who_pauses_before_it_is_delivered_does_not_get_it(bot: ConsoleBot) -> None:
    await _members(bot)
    await bot.feed("::at 2026-11-24T04:00Z")
    await bot.feed('!announce text:"Late news" to:everyone')
    await bot.say("alice", "!pause")
    assert not to("alice", await bot.advance("2d"))


async def test_a_scheduled_announcement_goes_out_at_its_time(bot: ConsoleBot) -> None:
    await _members(bot)
    lines = await bot.feed('!announce text:"Rally today" to:everyone at:"wednesday 10:00"')
    reply = joined(lines)
    assert "Scheduled announcement 1 to everyone (2 people today), on Wed 25 Nov 10:00" in reply
    assert not to("alice", lines) and not to("alice", await bot.advance("1d"))
    assert "Rally today" in joined(to("alice", await bot.advance("1d")))
    assert "to everyone, for 2 people: Rally today" in joined(await bot.feed("!announcements"))


async def test_announcements_lists_recent_ones_and_hides_scheduled_ones_from_members(bot: ConsoleBot) -> None:
    await bot.feed('!announce text:"First"')
    await bot.feed('!announce text:"Later" at:friday')
    assert "scheduled: Later" in joined(await bot.feed("!announcements"))
    member = joined(await bot.say("alice", "!announcements"))
    assert "First" in member and "Later" not in member


async def test_a_member_cannot_announce(bot: ConsoleBot) -> None:
    lines = await bot.say("mallory", '!announce text:"@everyone free pizza" to:everyone')
    assert "Only leads can use `announce`" in joined(lines)
    assert "No announcements yet." in joined(await bot.feed("!announcements"))


async def test_bad_audiences_are_refused_and_change_nothing(bot: ConsoleBot) -> None:
    assert "I can't send to `friends`" in joined(await bot.feed('!announce text:"x" to:friends'))
    assert "isn't a library type" in joined(await bot.feed('!announce text:"x" to:library:zoo'))
    assert "Give one audience" in joined(await bot.feed('!announce text:"x" to:everyone skill:research'))
    assert "needs words" in joined(await bot.feed('!announce text:" "'))
    assert "No announcements yet." in joined(await bot.feed("!announcements"))


async def test_an_announcement_that_would_reach_nobody_is_refused_with_the_group_meant(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.say("alice", '!profile region:"Upper Midwest"')
    skill = joined(await bot.feed('!announce text:"x" to:skill:reserach'))
    assert "That would reach nobody (those with reserach; paused members are skipped)" in skill
    assert "so I haven't posted it." in skill and "Did you mean `to:skill:research`?" in skill
    region = joined(await bot.feed('!announce text:"x" region:"uper midwest"'))
    assert 'Did you mean `to:region:"Upper Midwest"`?' in region
    assert "Did you mean" not in joined(await bot.feed('!announce text:"x" to:library:school'))
    await bot.say("alice", "!pause")
    assert "reach nobody (everyone;" in joined(await bot.feed('!announce text:"x" to:everyone'))
    assert "No announcements yet." in joined(await bot.feed("!announcements"))
    # Scheduled, it is kept: by then the group may have people.
    assert "Scheduled announcement 1 to those with juggling (0 people today)" in joined(
        await bot.feed('!announce text:"x" to:skill:juggling at:tomorrow')
    )


async def test_no_text_in_an_announcement_can_mention_everyone(bot: ConsoleBot) -> None:
    await _members(bot)
    await bot.feed('!announce text:"@everyone @here <@&123> **hi**" to:everyone')
    async with bot.app.db.reading() as tx:
        body = await tx.value("SELECT body FROM outbox WHERE kind = 'announcement' LIMIT 1")
    text, _ = decode(body)
    content = discord_render.render(text, {})
    assert "@everyone" not in content and "@here" not in content and "<@&123>" not in content
    allowed = discord_render.allowed_mentions(Outgoing(text, True))
    assert allowed.everyone is False and allowed.roles is False


async def test_an_announcement_to_the_channels_from_a_platform_with_none_set_up_is_refused(bot: ConsoleBot) -> None:
    """On Matrix with no main room (nor a Discord announce channel), "Posted announcement 1 in 1
    channel" was said of a post to the console's channel, which nobody there would ever see."""
    incoming = platform_message(bot, "matrix", "@lee:example.org", "lee", '!announce text:"Meeting"', role=Role.ADMIN)
    said = plain_text((await bot.app.dispatcher.handle(incoming))[0].text)
    assert "No channel is set up for announcements here" in said and "announce to:everyone" in said
    async with bot.app.db.single_read() as tx:
        assert await tx.value("SELECT COUNT(*) FROM announcements") == 0  # nothing written
    assert "Posted announcement 1 in 1 channel." in joined(await bot.feed('!announce text:"Meeting"'))  # the console's


async def test_a_matrix_main_room_takes_announcements_to_the_channels(tmp_path: Path) -> None:
    config = make_config(matrix={"homeserver": "https://example.org", "main_room": "!main:example.org"})
    bot = await ConsoleBot.start(tmp_path / "bot.sqlite3", config)
    try:
        incoming = platform_message(bot, "matrix", "@lee:example.org", "lee", '!announce text:"Hi"', role=Role.ADMIN)
        assert "Posted announcement 1 in 1 channel." in plain_text((await bot.app.dispatcher.handle(incoming))[0].text)
    finally:
        await bot.close()
