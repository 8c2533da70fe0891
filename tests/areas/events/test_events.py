"""Events (spec §15): posting in the poster's zone, reading in one's own, answering with a
calendar file, counts for everyone and names for leads, cancelling and editing, bad input."""

from __future__ import annotations

from datetime import datetime

import icalendar

from bot.areas.events import queries
from bot.core.params import Asker
from tests.areas.events.people import Recorder, meet_everyone, post
from tests.console_bot import ConsoleBot, joined, public, to

COMMITTEE = 'title:"Organising committee" when:thursday 7pm length:90m where:"Zoom" every:week'


async def test_an_event_is_read_in_the_posters_zone_and_shown_in_each_readers(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    posted = joined(public(await post(bot, COMMITTEE)))
    assert "Posted event 1." in posted
    assert "1 Organising committee · Thu 26 Nov 19:00 · 90 minutes · every week · Zoom · no answers yet" in posted
    assert "`rsvp 1 yes`" in posted
    seen = {name: joined(await bot.say(name, "!events")) for name in ("alice", "bob", "carol", "dave")}
    assert "Thu 26 Nov 19:00 ·" in seen["alice"]
    assert "Fri 27 Nov 10:00 ·" in seen["bob"]  # Tokyo
    assert "Fri 27 Nov 01:00 ·" in seen["carol"]  # UTC
    assert "Thu 26 Nov 19:00 (Chicago time) ·" in seen["dave"]  # no zone of his own: the organisation's, named


async def test_natural_language_times_are_read_in_the_speakers_zone(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    await bot.say("you", "!role @bob lead")
    await bot.feed("::at 2026-11-26T16:00Z")  # Thursday, 10:00 in Chicago
    assert "Tue 1 Dec 18:30" in joined(await post(bot, 'title:"Phone bank" when:next tuesday 18:30'))
    lines = await bot.say("bob", '!event add title:"Tokyo call" when:saturday 9am')  # in Tokyo, where it's Friday
    assert "Sat 28 Nov 09:00" in joined(lines)
    assert "2 Tokyo call · Fri 27 Nov 18:00" in joined(await bot.say("alice", "!events"))


async def test_a_time_that_names_its_zone_is_read_there_and_shown_in_each_readers(bot: ConsoleBot) -> None:
    """A Chicago lead posting "7pm ET" (unquoted) means 18:00 in Chicago, not 19:00; a weekly
    event keeps 19:00 in New York across the changes of clocks."""
    await meet_everyone(bot)
    posted = joined(public(await post(bot, 'title:"East coast call" when:thursday 7pm ET every:week')))
    assert "1 East coast call · Thu 26 Nov 18:00 · 1 hour · every week" in posted, posted  # the poster's own time
    assert "1 East coast call · Thu 26 Nov 18:00 ·" in joined(await bot.say("alice", "!events"))  # Chicago
    assert "1 East coast call · Fri 27 Nov 00:00 ·" in joined(await bot.say("carol", "!events"))  # UTC


async def test_bad_events_are_refused_clearly_and_change_nothing(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    cases = {
        'title:"Rally" when:2026-11-23 09:00': "is in the past",
        'title:"Rally" when:yesterday 7pm': "is in the past",
        'title:"Rally" when:friday': "When on Fri 27 Nov? Give the time too",
        'title:"Rally" when:friday 7pm length:5d': "`length:` is from 5 minutes to 3 days",
        'title:"Rally" when:friday 7pm length:2m': "`length:` is from 5 minutes to 3 days",
        'title:"Rally" when:friday 7pm every:daily': "`every` is one of week, 2weeks, month, not daily.",
        'title:"Rally" when:friday 7pm for:team:x': '`for:` is `everyone`, `skill:<skill>` or `region:"…"`, not '
        'team:x. Example: `for:skill:research` or `for:region:"Upper Midwest"`.',
        'title:"" when:friday 7pm': "An event needs a title",
        f'title:"{"x" * 201}" when:friday 7pm': "`title` can be at most 200 characters",
        "when:friday 7pm": "`event add` needs `title:`.",
        'title:"Rally" when:someday': "I can't read someday as a date.",
    }
    for options, error in cases.items():
        assert error in joined(await post(bot, options)), options
    refused = joined(await bot.say("alice", f"!event add {COMMITTEE}"))
    assert "Only leads can use `event add`." in refused
    assert "No events coming up." in joined(await bot.say("alice", "!events"))


async def test_answering_confirms_privately_with_a_calendar_file_in_the_events_zone(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    await post(bot, COMMITTEE)
    lines = await bot.say("bob", "!rsvp 1 yes")
    confirmation = joined(to("bob", lines))
    assert "Noted: you're going to “Organising committee”, Fri 27 Nov 10:00." in confirmation
    assert "I'll remind you a day and an hour before." in confirmation
    assert "(attached: event-1.ics" in confirmation
    assert "I've sent you the details privately." in joined(public(lines))
    calendar = icalendar.Calendar.from_ical(bot.console.files.pop("event-1.ics"))
    entry = calendar.walk("VEVENT")[0]
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    assert entry.decoded("dtstart").replace(tzinfo=None) == datetime(2026, 11, 26, 19, 0)
    assert entry["DTSTART"].params["TZID"] == "America/Chicago"
    assert entry.decoded("dtend").replace(tzinfo=None) == datetime(2026, 11, 26, 20, 30)
    assert (str(entry["SUMMARY"]), str(entry["LOCATION"])) == ("Organising committee", "Zoom")
    uid = str(entry["UID"])
    assert "(attached: event-1.ics" in joined(await bot.say("carol", "!event 1"))  # offered again
    again = icalendar.Calendar.from_ical(bot.console.files["event-1.ics"]).walk("VEVENT")[0]
    assert str(again["UID"]) == uid  # stable: a calendar updates the entry instead of adding one
    repeat = joined(to("bob", await bot.say("bob", "!rsvp 1 yes")))  # the same answer: said so, file again
    assert "You'd already said yes to “Organising committee”, Fri 27 Nov 10:00: nothing changed." in repeat
    assert "Here's the calendar file again." in repeat and "(attached: event-1.ics" in repeat
    assert "Changed your mind? `rsvp 1 yes`." in joined(await bot.say("carol", "!rsvp 1 no"))
    assert "You'd already said no" in joined(await bot.say("carol", "!rsvp 1 no"))


async def test_an_answer_promises_only_the_reminders_that_will_come(bot: ConsoleBot) -> None:
    """ "I'll remind you a day and an hour before" was said 20 minutes before the start too."""
    recorder = Recorder(bot)
    await meet_everyone(bot)
    await post(bot, 'title:"Picket" when:wednesday 10:00')  # Wed 25 Nov 16:00 UTC; now Mon 23 Nov 16:00 UTC
    assert "I'll remind you a day and an hour before." in joined(await bot.say("alice", "!rsvp 1 yes"))
    await bot.feed("::at 2026-11-24T18:00Z")  # 22 hours before: past the day-before moment
    assert "I'll remind you an hour before." in joined(await bot.say("bob", "!rsvp 1 yes"))
    await bot.feed("::at 2026-11-25T15:20Z")  # 40 minutes before
    soon = joined(await bot.say("carol", "!rsvp 1 maybe"))
    assert "It starts within the hour, so there's no time for a reminder." in soon and "remind you" not in soon
    await bot.advance("1d")
    said = {name: (len(recorder.to(name, "Coming up:")), len(recorder.to(name, "Starting soon:")))
            for name in ("alice", "bob", "carol")}  # fmt: skip
    assert said == {"alice": (1, 1), "bob": (0, 1), "carol": (0, 0)}


async def test_counts_are_for_everyone_and_names_for_leads_privately(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    await post(bot, COMMITTEE)
    await bot.say("bob", "!rsvp 1 yes")
    await bot.say("alice", "!rsvp 1 maybe")
    await bot.say("carol", "!rsvp 1 no")
    await bot.say("carol", "!rsvp 1 maybe")  # changing one's mind counts once
    member = await bot.say("dave", "!event 1")
    assert "1 yes, 2 maybe" in joined(public(member))
    assert "alice" not in joined(member) and "bob" not in joined(member)
    lead = await bot.feed("!event 1")
    assert "Answers — yes: bob; maybe: alice, carol." in joined(to("you", lead))
    assert joined(public(lead)) == "I've sent you the details privately."
    for command in ("!event 1", "!events"):  # one's own answer is as private as the others'
        own = await bot.say("alice", command)
        assert "you: maybe" in joined(to("alice", own)) and "you: maybe" not in joined(public(own))


async def test_only_leads_or_the_poster_cancel_or_edit_and_every_mistake_says_why(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    await post(bot, COMMITTEE)
    how = "If it needs doing, ask a lead; `event 1` shows the details."  # who may, how to ask, where to look
    assert f"Only leads or the person who posted event 1 can cancel it. {how}" in joined(
        await bot.say("alice", "!event cancel 1")
    )
    assert f"Only leads or the person who posted event 1 can edit it. {how}" in joined(
        await bot.say("alice", '!event edit 1 title:"Mine now"')
    )
    assert "There's no event 9." in joined(await bot.say("alice", "!rsvp 9 yes"))
    assert "`answer` is one of yes, maybe, no, not perhaps." in joined(await bot.say("alice", "!rsvp 1 perhaps"))
    assert "Say what to change" in joined(await bot.feed("!event edit 1"))
    assert "is in the past" in joined(await bot.feed("!event edit 1 when:2026-11-20 10:00"))
    assert "no answers yet" in joined(await bot.say("alice", "!event 1"))  # nothing changed
    await bot.say("you", "!role @carol lead")
    assert "Updated event 1." in joined(await bot.say("carol", '!event edit 1 where:"Room 2"'))  # any lead may
    assert "Cancelled “Organising committee” on Thu 26 Nov 19:00." in joined(await bot.feed("!event cancel 1"))
    assert "The series goes on: next is Thu 3 Dec 19:00." in joined(bot.transcript[-3:])


async def test_one_later_day_of_a_series_is_called_off_alone_and_the_series_steps_over_it(bot: ConsoleBot) -> None:
    """No meeting on Christmas Eve: `event cancel 1` twice cancelled the next two instead."""
    await meet_everyone(bot)
    await post(bot, COMMITTEE)  # Thursdays 19:00 in Chicago, from Thu 26 Nov
    await bot.say("alice", "!rsvp 1 yes")
    assert "Only leads or the person who posted event 1 can cancel it." in joined(
        await bot.say("alice", '!event cancel 1 on:"10 dec"')
    )
    off = joined(await bot.feed('!event cancel 1 on:"10 dec"'))
    assert "“Organising committee” won't meet on Thu 10 Dec 19:00." in off
    assert "The one before it is still on: Thu 26 Nov 19:00." in off
    assert not to("alice", bot.transcript[-4:])  # nobody has answered for 10 Dec: nobody is told
    assert "Not meeting on: Fri 11 Dec 10:00." in joined(await bot.say("bob", "!event 1"))  # in Tokyo
    await bot.say("you", "!role @bob lead")
    again = joined(await bot.say("bob", '!event cancel 1 on:"11 dec"'))  # his date for the same meeting
    assert "was already called off for Fri 11 Dec 10:00: nothing changed." in again
    assert "doesn't meet on Wed 2 Dec; the nearest is Thu 3 Dec 19:00." in joined(
        await bot.feed('!event cancel 1 on:"2 dec"')
    )
    assert "give one, like `event cancel 1 all`" in joined(await bot.feed('!event cancel 1 on:"3 dec" all'))
    assert "more than two years ahead" in joined(await bot.feed("!event cancel 1 on:2029-01-04"))
    assert "Thu 26 Nov 19:00 · 90 minutes · every week · Zoom · 1 yes" in joined(await bot.say("alice", "!event 1"))
    await bot.feed("::at 2026-12-04T12:00Z")  # 26 Nov and 3 Dec are over
    assert "Thu 17 Dec 19:00" in joined(await bot.say("alice", "!events"))
    assert "Not meeting on" not in joined(await bot.say("alice", "!event 1"))
    audit = joined(await bot.feed("!audit"))
    assert "you cancelled event 1 for Thu 10 Dec 2026 only" in audit


async def test_an_edit_to_what_already_reads_so_changes_and_tells_nothing(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    await post(bot, COMMITTEE)
    await bot.say("alice", "!rsvp 1 yes")
    for edit in ('where:"Zoom"', 'title:"Organising committee" when:"thursday 7pm"', "length:90m"):
        lines = await bot.feed(f"!event edit 1 {edit}")
        assert (
            len(lines) == 1
            and "Event 1 already reads so: nothing changed, and nobody was told. `event 1` shows it." in lines[0]
        )
    told = await bot.feed('!event edit 1 title:"Organising committee" where:"Room 2"')
    assert "An event you're going to has changed:" in joined(to("alice", told))
    assert "you changed event 1: place\n" in joined(to("you", await bot.feed("!audit")))  # not the title


async def test_an_event_for_a_skill_nobody_has_says_there_is_nobody_to_invite(bot: ConsoleBot) -> None:
    lines = await post(bot, 'title:"Knitting circle" when:friday 5pm for:skill:knitting')
    said = joined(public(lines))
    assert "For members who do knitting. Nobody to invite right now; it's in `events`." in said
    assert "inviting 0" not in said


async def test_an_event_for_a_skill_invites_matching_members_privately(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    for name in ("alice", "bob", "dave"):
        await bot.say(name, "!volunteer research")
    await bot.say("dave", "!pause")
    lines = await post(bot, 'title:"Research circle" when:friday 5pm for:skill:research')
    assert "For members who do research. I'm inviting 2 of them privately." in joined(public(lines))
    assert "An event for you:" in joined(to("alice", lines))
    assert "Fri 27 Nov 17:00" in joined(to("alice", lines))
    assert "Sat 28 Nov 08:00" not in joined(to("bob", lines))  # 08:00 in Tokyo: quiet hours, not yet
    later = await bot.advance("18h")
    assert "An event for you:" in joined(to("bob", later))
    assert not to("carol", lines + later) and not to("dave", lines + later)
    await bot.say("carol", "!volunteer design")
    await bot.say("carol", '!profile region:"upper  midwest"')
    region = await post(bot, 'title:"Midwest meetup" when:friday 6pm for:region:"Upper Midwest"')
    assert "For members in Upper Midwest. I'm inviting 1 of them privately." in joined(region)
    assert "Midwest meetup" in joined(to("carol", region + await bot.advance("1d")))


async def test_how_many_a_region_event_invites_goes_privately_when_someone_there_hides_it(bot: ConsoleBot) -> None:
    """ "I'm inviting 1 of them privately" for an event in Montana told the channel that someone
    lives there, where only a leads-only profile says so (spec §11)."""
    await bot.say("erin", "!volunteer design")
    await bot.say("erin", '!profile region:"Montana" visibility:leads')
    lines = await post(bot, 'title:"Montana meet" when:friday 6pm for:region:"Montana"')
    assert "I'm inviting 1 of them privately." in joined(to("you", lines))
    assert "inviting" not in joined(public(lines)) and "sent you the details privately" in joined(public(lines))


async def test_mine_lists_the_events_you_are_going_to(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    await post(bot, COMMITTEE)
    await bot.say("alice", "!rsvp 1 yes")
    mine = joined(await bot.say("alice", "!mine"))
    assert "Events you're going to:" in mine
    assert "Organising committee · Thu 26 Nov 19:00" in mine and "you: yes" in mine
    await bot.say("alice", "!rsvp 1 no")
    assert "Events you're going to:" not in joined(await bot.say("alice", "!mine"))


async def test_a_series_can_be_ended_and_a_started_event_no_longer_changes(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    await post(bot, COMMITTEE)
    await post(bot, 'title:"Rally" when:thursday 7pm')
    await bot.feed("::at 2026-11-27T01:10Z")  # both have started
    assert "Event 2 has already started" in joined(await bot.say("alice", "!rsvp 2 yes"))
    assert "Event 2 has already started" in joined(await bot.feed("!event cancel 2"))
    assert "Thu 3 Dec 19:00" in joined(await bot.say("alice", "!rsvp 1 yes"))  # the series: next week's
    ended = joined(await bot.feed("!event cancel 1 all"))
    assert "Cancelled “Organising committee” on Thu 3 Dec 19:00." in ended
    assert "I'm telling the one person who said yes or maybe." in ended and "series goes on" not in ended
    listed = joined(await bot.say("alice", "!events"))  # both still under way: only next week's is gone
    assert "Events happening now and coming up (2):" in listed and "Thu 3 Dec" not in listed, listed
    assert "Event 1 was cancelled." in joined(await bot.feed("!event cancel 1"))
    assert "the series is cancelled after it" in joined(await bot.say("carol", "!event 1"))
    await bot.feed("::at 2026-11-27T02:30Z")  # both have ended
    assert "No events coming up." in joined(await bot.say("alice", "!events"))
    assert "cancelled" in joined(await bot.say("carol", "!event 1"))


async def test_an_event_under_way_is_happening_now_until_it_ends_not_over(bot: ConsoleBot) -> None:
    """A latecomer found a call half-way through called "over" and gone from `events`, and its
    link with it: it was marked past when it started."""
    await meet_everyone(bot)
    await post(bot, 'title:"Call" when:"today 11:00" length:2h where:"https://zoom.us/j/1"')
    await bot.say("alice", "!rsvp 1 yes")
    await bot.feed("::at 2026-11-23T17:30Z")  # 11:30 in Chicago: half-way through
    shown = joined(await bot.say("alice", "!event 1"))
    assert (
        "1 Call · Mon 23 Nov 11:00 · 2 hours · https://zoom.us/j/1 · 1 yes, 0 maybe · you: yes · happening now" in shown
    )
    assert "It's happening now, until Mon 23 Nov 13:00." in shown and "over" not in shown, shown
    listed = joined(await bot.say("bob", "!events"))
    assert "Events happening now and coming up (1):" in listed
    assert "1 Call · Tue 24 Nov 02:00 · 2 hours · https://zoom.us/j/1 · 1 yes, 0 maybe · happening now" in listed
    assert "Call · Mon 23 Nov 11:00" in joined(await bot.say("alice", "!mine"))
    assert "Event 1 has already started" in joined(await bot.say("bob", "!rsvp 1 yes"))  # as before
    await bot.feed("::at 2026-11-23T19:00Z")  # 13:00: it has ended
    assert "· over" in joined(await bot.say("alice", "!event 1"))
    assert "No events coming up." in joined(await bot.say("bob", "!events"))
    assert "Call" not in joined(await bot.say("alice", "!mine"))


async def test_while_a_weekly_meeting_is_under_way_its_page_names_the_next_one(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    await post(bot, COMMITTEE)  # Thursdays 19:00-20:30 in Chicago
    await bot.feed("::at 2026-11-27T01:30Z")  # 19:30 on the first Thursday
    shown = joined(await bot.say("alice", "!event 1"))
    assert "1 Organising committee · Thu 26 Nov 19:00 ·" in shown and "· happening now" in shown, shown
    assert "The next one is Thu 3 Dec 19:00: `rsvp 1 yes` answers for that one." in shown
    listed = joined(await bot.say("alice", "!events"))
    assert listed.index("Thu 26 Nov 19:00") < listed.index("Thu 3 Dec 19:00")  # now, then next week
    assert "Thu 3 Dec 19:00" in joined(await bot.say("alice", "!rsvp 1 yes"))


async def test_an_events_number_completes_from_its_title_typed_without_accents_or_marks(bot: ConsoleBot) -> None:
    """Discord's autocomplete of an event's number looked for the title as typed, case aside:
    `ecole` missed "École rally" and `obrien` "O'Brien's picket", where asks and contacts find both."""
    for title in ("École rally", "O'Brien's picket"):
        await bot.feed(f'!event add title:"{title}" when:saturday 9am')
    async with bot.app.db.reading() as tx:
        for typed, expected in (("ecole", [1]), ("ÉCOLE r", [1]), ("obrien", [2]), ("o'brien", [2]), (" #2 ", [2])):
            found = await queries.complete_events(tx, typed, Asker("console", "you"))
            assert [choice.value for choice in found] == expected, typed
