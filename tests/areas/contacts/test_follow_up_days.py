"""A follow-up set for a day is due all that day (spec §4, §12): overdue once the day is over in
its owner's zone, or, given a time of day, once that time has passed; in `followups`, `mine`,
`contact <id>` and the digest's count alike."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.areas import contacts
from bot.clock import to_ts
from tests.console_bot import ConsoleBot, joined, make_config


async def test_a_follow_up_is_not_overdue_on_its_own_day(bot: ConsoleBot) -> None:
    """`follow:today` read "overdue" at once, and `follow:tomorrow` "due Tue 24 Nov · overdue" at
    10:00 that Tuesday: the follow-up is kept as its morning, and was late from 09:00."""
    await bot.say("alice", "!profile tz:America/Chicago")
    bot.dm()
    await bot.say("alice", '!contact add name:"Ann" follow:today')  # Monday 10:00 in Chicago
    assert "f1 Ann (contact 1) · due Mon 23 Nov\n" in joined(await bot.say("alice", "!followups")) + "\n"
    assert "· overdue" not in joined(await bot.say("alice", "!mine"))
    assert "Next follow-up: f1 Ann (contact 1) · due Mon 23 Nov\n" in joined(await bot.say("alice", "!contact 1"))
    await bot.say("alice", '!contact add name:"Bo" follow:tomorrow')
    await bot.feed("::at 2026-11-24T16:00Z")  # Tuesday 10:00
    listed = joined(await bot.say("alice", "!followups"))
    assert "f1 Ann (contact 1) · due Mon 23 Nov · overdue" in listed
    assert "f2 Bo (contact 2) · due Tue 24 Nov\n" in listed
    assert "f2 Bo (contact 2) · due Tue 24 Nov\n" in joined(await bot.say("alice", "!mine"))
    await bot.feed("::at 2026-11-25T05:59Z")  # Tuesday 23:59
    assert "Bo (contact 2) · due Tue 24 Nov · overdue" not in joined(await bot.say("alice", "!followups"))
    await bot.feed("::at 2026-11-25T06:00Z")  # Wednesday: the day is over
    assert "f2 Bo (contact 2) · due Tue 24 Nov · overdue" in joined(await bot.say("alice", "!followups"))


async def test_a_follow_up_at_a_time_is_overdue_once_it_passes_and_comes_first(bot: ConsoleBot) -> None:
    await bot.say("alice", "!profile tz:America/Chicago")
    bot.dm()
    await bot.say("alice", '!contact add name:"Dana" follow:tuesday')
    await bot.say("alice", '!contact add name:"Cy" follow:"tuesday 3pm"')
    await bot.feed("::at 2026-11-24T20:59Z")  # Tuesday 14:59
    assert "· overdue" not in joined(await bot.say("alice", "!followups"))
    await bot.feed("::at 2026-11-24T21:00Z")  # 15:00: Cy's time has come; Dana has all Tuesday
    listed = joined(await bot.say("alice", "!followups"))
    assert "Your follow-ups, most overdue first:\n  f2 Cy (contact 2) · due Tue 24 Nov · overdue\n" in listed
    assert "  f1 Dana (contact 1) · due Tue 24 Nov\n" in listed
    assert "Next: `contact note 2 <text>` once you've been in touch, or `snooze f2 3d`." in listed


async def test_an_intros_hand_off_is_due_all_the_day_its_owner_was_given(bot: ConsoleBot) -> None:
    for name in ("alice", "bob"):
        await bot.say(name, "!volunteer research")
    bot.dm()
    await bot.say("alice", '!contact add name:"Jordan Lee" share:members')
    told = joined(await bot.say("bob", '!intro me 1 why:"bargaining"'))
    assert "I'll remind you on Thu 26 Nov" in told  # three days on: Thursday 10:00
    await bot.feed("::at 2026-11-26T23:00Z")  # Thursday 17:00 in Chicago
    assert "(contact 1, intro 1) · due Thu 26 Nov\n" in joined(await bot.say("alice", "!followups")) + "\n"
    await bot.feed("::at 2026-11-27T06:00Z")  # Friday
    assert "(contact 1, intro 1) · due Thu 26 Nov · overdue" in joined(await bot.say("alice", "!followups"))


async def test_the_overdue_count_waits_for_each_owners_day_to_end(bot: ConsoleBot) -> None:
    """The digest's "Overdue follow-ups" counted a follow-up due today as overdue from 09:00."""
    await bot.say("lena", "!volunteer research")
    await bot.feed("!role @lena lead")
    await bot.say("alice", "!profile tz:Pacific/Auckland")
    bot.dm()
    await bot.say("alice", '!contact add name:"Kiri" follow:2026-11-25')  # Auckland's Wednesday
    await bot.say("carol", '!contact add name:"Dana" follow:2026-11-25')  # Chicago's: no zone, the organisation's
    await bot.say("carol", '!contact add name:"Cy" follow:"2026-11-24 3pm"')

    async def overdue(at: datetime) -> int:
        async with bot.app.db.reading() as tx:
            return await contacts.count_overdue(tx, to_ts(at), make_config())

    assert await overdue(datetime(2026, 11, 24, 21, 0, tzinfo=UTC)) == 1  # Tue 15:00 Chicago: Cy
    assert await overdue(datetime(2026, 11, 25, 10, 59, tzinfo=UTC)) == 1  # Wed 23:59 in Auckland
    assert await overdue(datetime(2026, 11, 25, 11, 0, tzinfo=UTC)) == 2  # Auckland's Wednesday is over
    assert await overdue(datetime(2026, 11, 26, 5, 59, tzinfo=UTC)) == 2  # Wed 23:59 in Chicago
    assert await overdue(datetime(2026, 11, 26, 6, 0, tzinfo=UTC)) == 3
    assert await overdue(datetime(2026, 12, 30, tzinfo=UTC)) == 3  # long over: counted without a zone
    await bot.feed("::at 2026-11-25T12:00Z")  # Wednesday 06:00 in Chicago, Thursday in Auckland
    assert "Overdue follow-ups: 2." in joined(await bot.say("lena", "!digest"))
