"""What the follow-up reminder reads: follow-ups that fell due, once per due date."""

from __future__ import annotations

from datetime import timedelta

from bot.areas import contacts
from bot.areas.contacts import followup_queries as followups
from bot.clock import to_ts
from bot.scheduling.reminders import Round
from tests.console_bot import ConsoleBot, make_config

DAY = 86400


def at(now: int) -> Round:
    return Round(now, 100, make_config())


async def test_follow_ups_are_reminded_once_per_due_date(bot: ConsoleBot) -> None:
    await bot.say("carol", '!contact add name:"Early" follow:tuesday')
    await bot.say("carol", '!contact add name:"Late" follow:friday')
    now = bot.clock.now()
    async with bot.app.db.transaction() as tx:
        assert await followups.to_remind(tx, at(to_ts(now))) == []
        tuesday = await followups.next_reminder(tx, at(0))
        assert tuesday is not None
        due = await followups.to_remind(tx, at(tuesday))
        assert [(f.id, f.contact_name) for f in due] == [(1, "Early")]
        await followups.reminded(tx, due[0], at(tuesday))
        assert await followups.next_reminder(tx, at(0)) == tuesday + to_ts(now + timedelta(days=3)) - to_ts(now)
        assert await contacts.count_overdue(tx, tuesday, make_config()) == 0  # due all Tuesday
        assert await contacts.count_overdue(tx, tuesday + 15 * 3600, make_config()) == 1  # Tuesday is over
        assert await followups.still_reminded(tx, due[0].id)
        await followups.move_followup(tx, due[0].id, tuesday + DAY)  # snoozed: the queued reminder no longer stands
        assert not await followups.still_reminded(tx, due[0].id)
    await bot.say("carol", "!contact note 1 called")
    async with bot.app.db.reading() as tx:
        assert await followups.to_remind(tx, at(tuesday + 2 * DAY)) == []
