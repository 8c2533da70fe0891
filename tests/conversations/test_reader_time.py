"""Every time is shown in the reader's zone (spec §12): put into words when a message is delivered,
not when it was queued; a due date given as a day is that day, with its zone named only where the
reader's own date differs; and a queued message about an ask shows the ask as it is then.

The organisation's zone here is UTC (the default), so a member who never set a zone reads UTC,
named. The console's own user, `you`, is a lead in Chicago. The clock starts on Monday 23 Nov 2026,
10:00 in Chicago (01:00 Tuesday in Tokyo, inside Tokyo's quiet hours).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.console_bot import ConsoleBot, joined, make_config, to

READERS = {
    "alice": "America/Chicago",
    "dan": "America/Denver",
    "tom": "Asia/Tokyo",
    "uma": "UTC",
    "zed": None,  # never said
}


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[ConsoleBot]:
    """A bot whose organisation reads UTC, with research volunteers in every zone above."""
    config = make_config(organisation={"name": "Library Workers", "timezone": "UTC"})
    bot = await ConsoleBot.start(tmp_path / "bot.sqlite3", config)
    await bot.feed("!profile tz:America/Chicago")
    for name, zone in READERS.items():
        await bot.say(name, "!volunteer research")
        if zone:
            await bot.say(name, f"!profile tz:{zone}")
    bot.dm()
    yield bot
    await bot.close()


def ask_line(messages: list[str], title: str) -> str:
    """The line showing the ask titled `title` in the last message holding it."""
    (line, *_) = [line for line in reversed(joined(messages).splitlines()) if title in line]
    return line


async def test_one_ask_due_friday_reads_friday_to_everyone_with_chicagos_zone_named_where_the_day_differs(
    world: ConsoleBot,
) -> None:
    await world.feed('!ask title:"Count the chairs" skill:research due:friday')  # said in Chicago
    await world.advance("1d")  # Tokyo hears at its morning
    heard = world.transcript
    expected = {
        "alice": "due Fri 27 Nov",
        "dan": "due Fri 27 Nov",  # Chicago's Friday ends at 22:59 in Denver: the same day
        "tom": "due Fri 27 Nov (Chicago time)",
        "uma": "due Fri 27 Nov (Chicago time)",  # it ends at 05:59 on Saturday in UTC
        "zed": "due Fri 27 Nov (Chicago time)",
    }
    for name, due in expected.items():
        assert ask_line(to(name, heard), "Count the chairs").endswith(" · " + due), (name, joined(heard))
        shown = await world.say(name, "!ask 1")
        assert ask_line(to(name, shown), "Count the chairs").endswith(" · " + due), (name, shown)
    listed = await world.say("you", "!asks")
    assert ask_line(listed, "Count the chairs").endswith(" · due Fri 27 Nov")
    assert "23:59" not in joined(world.transcript) and "05:59" not in joined(world.transcript)


async def test_a_due_time_is_shown_in_each_readers_zone_and_named_for_who_never_set_one(world: ConsoleBot) -> None:
    await world.feed('!ask title:"Call the branch" skill:research due:"friday 17:00"')  # 23:00 UTC
    for name, due in {
        "alice": "due Fri 27 Nov 17:00",
        "dan": "due Fri 27 Nov 16:00",
        "tom": "due Sat 28 Nov 08:00",
        "uma": "due Fri 27 Nov 23:00",
        "zed": "due Fri 27 Nov 23:00 (UTC)",
    }.items():
        assert ask_line(to(name, await world.say(name, "!ask 1")), "Call the branch").endswith(" · " + due), name


async def test_a_public_reply_to_someone_whose_zone_is_for_leads_shows_the_channels_times_not_theirs(
    world: ConsoleBot,
) -> None:
    """A `visibility:leads` member's `ask 1` in the channel read "due Sat 28 Nov 08:00": anyone
    there could tell she lives nine hours ahead of UTC, which her profile keeps from them."""
    await world.feed('!ask title:"Call the branch" skill:research due:"friday 17:00"')
    await world.say("tom", "!profile visibility:leads")
    world.public()
    for command in ("!ask 1", "!asks", "!pairing on"):
        said = joined(await world.say("tom", command))
        assert "(UTC)" in said and "Sat 28 Nov 08:00" not in said and "19:00" not in said, (command, said)
    assert "due Fri 27 Nov 23:00 (UTC)" in joined(await world.say("tom", "!ask 1"))
    assert "due Fri 27 Nov 17:00" in joined(await world.say("alice", "!ask 1"))  # her zone is for all to see
    world.dm()
    assert "due Sat 28 Nov 08:00" in joined(to("tom", await world.say("tom", "ask 1")))  # privately, his own


async def test_a_due_day_from_a_poster_whose_zone_is_for_leads_never_names_that_zone(world: ConsoleBot) -> None:
    """A due day ends where it was given, and a reader whose own date differs sees that zone named:
    from a `visibility:leads` lead, "due Fri 27 Nov (Chicago time)" told everyone where she lives.
    Her day now ends where the organisation is; a zone she names herself is still named."""
    await world.feed("!profile visibility:leads")
    await world.feed('!ask title:"Call the branch" skill:research due:friday')
    await world.feed('!ask title:"Book a room" skill:research due:"friday Tokyo time"')
    await world.feed('!ask title:"Print leaflets" skill:research due:friday')
    await world.feed('!edit 3 due:"next monday"')
    for name in READERS:
        said = joined(to(name, await world.say(name, "asks")))
        assert "Call the branch" in said and "Chicago" not in said, (name, said)
    tom = to("tom", await world.say("tom", "asks"))
    assert ask_line(tom, "Call the branch").endswith("due Fri 27 Nov (UTC)")
    assert ask_line(tom, "Book a room").endswith("due Fri 27 Nov")  # Tokyo's, as she said
    assert ask_line(tom, "Print leaflets").endswith("due Mon 30 Nov (UTC)")
    assert ask_line(to("uma", await world.say("uma", "asks")), "Call the branch").endswith("due Fri 27 Nov")
    await world.feed("!profile visibility:members")
    await world.feed("!edit 1 due:saturday")
    assert ask_line(to("tom", await world.say("tom", "asks")), "Call the branch").endswith(
        "due Sat 28 Nov (Chicago time)"
    )


async def test_a_message_queued_for_later_is_put_into_words_in_the_zone_its_reader_has_when_it_goes(
    world: ConsoleBot,
) -> None:
    await world.feed('!ask title:"Call the branch" skill:research due:"friday 17:00"')
    assert not to("tom", world.transcript)  # 01:00 in Tokyo: his notice waits for his morning
    await world.say("tom", "!profile tz:Europe/London")  # he has moved meanwhile
    heard = to("tom", await world.advance("1d"))
    assert ask_line(heard, "Call the branch").endswith(" · due Fri 27 Nov 23:00"), heard


async def test_a_notice_about_an_edited_ask_shows_its_slots_and_due_date_as_they_are_when_it_goes(
    world: ConsoleBot,
) -> None:
    await world.feed('!ask title:"Count the chairs" skill:research need:2 due:friday')
    await world.feed("!edit 1 need:3 due:saturday")
    await world.say("alice", "!claim 1")
    heard = to("tom", await world.advance("1d"))
    assert len(heard) == 1 and heard[0].startswith("A new ask matches your skills:")
    assert ask_line(heard, "Count the chairs").endswith("1/3 taken · due Sat 28 Nov (Chicago time)"), heard


async def test_a_reminder_of_a_due_date_that_was_changed_before_it_went_out_is_dropped(world: ConsoleBot) -> None:
    await world.feed('!ask title:"Count the chairs" skill:research due:friday')
    await world.say("uma", "!claim 1")
    # Chicago's Friday ends at 05:59 UTC on Saturday, so uma's reminder comes due at 05:59 UTC on
    # Friday, inside her quiet hours: it waits for 09:00.
    await world.feed("::at 2026-11-27T07:00Z")
    await world.feed("!edit 1 due:2026-12-04")
    heard = to("uma", await world.feed("::at 2026-11-27T12:00Z"))
    assert not [message for message in heard if "is due" in message], heard
    later = joined(to("uma", await world.feed("::at 2026-12-04T12:00Z")))
    assert "Ask 1 “Count the chairs” is due Fri 4 Dec (Chicago time)." in later


async def test_a_day_that_daylight_saving_shortens_is_due_until_its_end_in_the_posters_zone(world: ConsoleBot) -> None:
    # Sunday 14 March 2027 has 23 hours in Chicago and Denver: it ends at 04:59:59 UTC on Monday.
    await world.feed("::at 2027-03-12T16:00Z")
    await world.feed('!ask title:"Count the chairs" skill:research need:2 due:sunday')
    await world.say("dan", "!claim 1")
    await world.say("tom", "!claim 1")
    early = await world.feed("::at 2027-03-14T04:30Z")  # Saturday 22:30 in Chicago: more than a day ahead
    assert not [message for message in to("dan", early) if "is due" in message]
    heard = await world.feed("::at 2027-03-14T16:00Z")
    assert "“Count the chairs” is due Sun 14 Mar." in joined(to("dan", heard))
    assert "“Count the chairs” is due Sun 14 Mar (Chicago time)." in joined(to("tom", heard))


async def test_pairing_rounds_are_shown_at_each_readers_hour_across_a_daylight_saving_change(
    world: ConsoleBot,
) -> None:
    await world.feed("::at 2026-11-24T16:00Z")  # Monday's round (10:00 UTC) has run
    assert "next on Mon 30 Nov 04:00, I'll pair you" in joined(await world.say("alice", "!pairing on"))
    assert "next on Mon 30 Nov 19:00, I'll pair you" in joined(await world.say("tom", "!pairing on"))
    assert "next on Mon 30 Nov 10:00 (UTC), I'll pair you" in joined(await world.say("zed", "!pairing on"))
    await world.feed("::at 2027-03-16T16:00Z")  # Chicago is on daylight saving time since the 14th
    again = joined(await world.say("alice", "!pairing on"))
    assert "You're already in the pairing (each week, next on Mon 22 Mar 05:00)." in again


async def test_a_reminder_waiting_for_its_readers_morning_names_the_ask_as_it_is_titled_when_it_goes(
    world: ConsoleBot,
) -> None:
    await world.feed('!ask title:"Count the chairs" skill:research')
    await world.advance("1d")
    await world.say("tom", "!claim 1")
    await world.feed("::at 2026-12-01T17:00Z")  # his claim's week without news ended at 01:00 in Tokyo
    assert not [message for message in to("tom", world.transcript) if "no update" in message]
    await world.feed('!edit 1 title:"Count the chairs in both branches"')
    heard = joined(to("tom", await world.feed("::at 2026-12-02T01:00Z")))
    assert "Ask 1 “Count the chairs in both branches”: no update for 7 days." in heard, heard


async def test_the_posters_export_gives_a_due_day_as_that_date_and_a_due_time_in_their_zone(world: ConsoleBot) -> None:
    await world.feed('!ask title:"Count the chairs" due:friday')
    await world.feed('!ask title:"Call the branch" due:"friday 17:00"')
    await world.feed("!export me")
    posted = json.loads(world.console.files["volunteer-bot-export.json"])["asks_posted"]
    assert {ask["title"]: ask["due"] for ask in posted} == {
        "Count the chairs": "2026-11-27",
        "Call the branch": "2026-11-27T17:00:00-06:00",
    }
