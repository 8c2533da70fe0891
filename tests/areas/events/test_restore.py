"""`event restore`: a cancel undone (a slip, or plans back on) — the occurrence cancelled last, a
day called off ahead, or a whole series; those going keep their answers and are told, but for
those whose news of the cancellation had not reached them yet: it is held back."""

from __future__ import annotations

from tests.areas.events.people import meet_everyone, post
from tests.console_bot import ConsoleBot, joined, to

COMMITTEE = 'title:"Organising committee" when:thursday 7pm length:90m where:"Zoom" every:week'


async def test_a_cancelled_meeting_is_put_back_and_only_those_who_heard_of_it_are_told(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    await post(bot, COMMITTEE)  # Thursdays 19:00 in Chicago, from Thu 26 Nov
    await bot.say("alice", "!rsvp 1 yes")
    await bot.say("bob", "!rsvp 1 maybe")  # in Tokyo, where it is 01:00: asleep
    cancelled = await bot.feed("!event cancel 1")
    assert "is cancelled" in joined(to("alice", cancelled)) and not to("bob", cancelled)
    assert "By mistake? `event restore 1` puts it back." in joined(cancelled)
    assert "Only leads or the person who posted event 1 can restore it." in joined(
        await bot.say("alice", "!event restore 1")
    )
    back = await bot.feed("!event restore 1")
    reply = joined(back)
    assert "“Organising committee” on Thu 26 Nov 19:00 is back on." in reply
    assert "I'm telling the one person who said yes or maybe." in reply
    assert "One person hadn't heard it was cancelled yet: I've held that news back." in reply
    assert "Good news: “Organising committee” on Thu 26 Nov 19:00 is on after all." in joined(to("alice", back))
    listed = joined(await bot.say("alice", "!events"))
    assert "1 Organising committee · Thu 26 Nov 19:00 · 90 minutes · every week · Zoom · 1 yes, 1 maybe" in listed
    assert "Thu 3 Dec" not in listed  # the meeting written in its place, which nobody had answered, is gone
    morning = await bot.feed("::at 2026-11-24T00:30Z")  # 09:30 in Tokyo
    assert not to("bob", morning)  # neither the cancellation nor its undoing
    reminders = joined(to("alice", await bot.feed("::at 2026-11-26T01:30Z")))  # a day before, in Chicago
    assert "Coming up: Organising committee (Zoom), Thu 26 Nov 19:00." in reminders
    audit = joined(await bot.feed("!audit"))
    assert "you put back event 1 for Thu 26 Nov 2026" in audit
    assert "Nothing of event 1 that's still to come is cancelled: nothing changed." in joined(
        await bot.feed("!event restore 1")
    )
    again = await bot.feed("!event cancel 1")  # cancelled again: everyone going is told again
    assert "is cancelled" in joined(to("alice", again))


async def test_a_meeting_the_series_has_moved_on_from_is_not_put_back_over_answers(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    await post(bot, COMMITTEE)
    await bot.feed("!event cancel 1")
    await bot.say("carol", "!rsvp 1 yes")  # for the next one, Thu 3 Dec
    refused = joined(await bot.feed("!event restore 1"))
    assert (
        "“Organising committee” on Thu 26 Nov 19:00 can't come back: the series has moved on to Thu 3 Dec 19:00, "
        "and people have answered for that one. Nothing changed." in refused
    )
    assert "1 Organising committee · Thu 3 Dec 19:00 ·" in joined(await bot.say("alice", "!events"))


async def test_a_day_called_off_ahead_and_a_whole_series_are_put_back(bot: ConsoleBot) -> None:
    await meet_everyone(bot)
    await post(bot, COMMITTEE)
    await bot.say("alice", "!rsvp 1 yes")
    await bot.feed('!event cancel 1 on:"10 dec"')
    back = joined(await bot.feed('!event restore 1 on:"10 dec"'))
    assert "“Organising committee” meets on Thu 10 Dec 19:00 after all." in back
    assert "Not meeting on" not in joined(await bot.say("alice", "!event 1"))
    assert "Event 1 isn't called off on Thu 10 Dec: nothing changed." in joined(
        await bot.feed('!event restore 1 on:"10 dec"')
    )
    await bot.feed("!event cancel 1 all")
    assert "`event restore 1` puts it back from its next date" in joined(await bot.feed('!event restore 1 on:"3 dec"'))
    whole = await bot.feed("!event restore 1")
    assert "“Organising committee” on Thu 26 Nov 19:00 is back on." in joined(whole)
    assert "is on after all" in joined(to("alice", whole))
    await bot.feed("!event cancel 1 all")
    await bot.feed("::at 2026-11-28T12:00Z")  # its last meeting would have been over
    resumed = joined(await bot.feed("!event restore 1"))
    assert "“Organising committee” is back on: next is Thu 3 Dec 19:00." in resumed
    assert "1 Organising committee · Thu 3 Dec 19:00 ·" in joined(await bot.say("alice", "!events"))
    audit = joined(await bot.feed("!audit"))
    assert "you put back event 1: the whole series" in audit and "you put back event 1 for Thu 10 Dec 2026" in audit
    await post(bot, 'title:"Rally" when:2026-11-30 18:00')
    await bot.feed("!event cancel 2")
    assert "Event 2 isn't called off on Sun 29 Nov: nothing changed." in joined(
        await bot.feed('!event restore 2 on:"29 nov"')
    )
    await bot.feed("::at 2026-12-01T12:00Z")
    assert "Event 2 was cancelled and its time has passed." in joined(await bot.feed("!event restore 2"))
