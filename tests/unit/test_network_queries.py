"""What the scheduler's sweep reads to nudge: intros nobody answered, follow-ups that fell due."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import to_ts
from bot.storage import followups, intros
from tests.console_bot import ConsoleBot

DAY = 86400


async def test_unanswered_intros_name_each_person_still_to_answer_once_their_time_comes(bot: ConsoleBot) -> None:
    for name in ("alice", "bob", "carol"):
        await bot.say(name, "!volunteer research")
    await bot.say("carol", '!intro @alice @bob why:"archives"')
    await bot.say("carol", '!intro me @alice why:"zines"')
    await bot.say("alice", "!accept 1")
    now = to_ts(bot.clock.now())
    async with bot.app.db.reading() as tx:
        assert await intros.to_remind(tx, now + 3 * DAY - 1, 100) == []  # reminded after three days
        assert await intros.next_reminder(tx) == now + 3 * DAY
        waiting = await intros.to_remind(tx, now + 3 * DAY, 100)
        alice = await tx.value("SELECT id FROM people WHERE display_name = 'alice'")
        bob = await tx.value("SELECT id FROM people WHERE display_name = 'bob'")
    assert {(int(w.intro_id), int(w.person_id)) for w in waiting} == {(1, bob), (2, alice)}
    await bot.say("bob", "!decline 1")
    async with bot.app.db.reading() as tx:
        assert {int(w.intro_id) for w in await intros.to_remind(tx, now + 3 * DAY, 100)} == {2}


async def test_follow_ups_are_reminded_once_per_due_date(bot: ConsoleBot) -> None:
    await bot.say("carol", '!contact add name:"Early" follow:tuesday')
    await bot.say("carol", '!contact add name:"Late" follow:friday')
    now = bot.clock.now()
    async with bot.app.db.transaction() as tx:
        assert await followups.to_remind(tx, to_ts(now), 100) == []
        tuesday = await followups.next_reminder(tx)
        assert tuesday is not None
        due = await followups.to_remind(tx, tuesday, 100)
        assert [(f.id, f.contact_name) for f in due] == [(1, "Early")]
        await followups.reminded(tx, due[0].id)
        assert await followups.next_reminder(tx) == tuesday + to_ts(now + timedelta(days=3)) - to_ts(now)
        assert await followups.count_overdue(tx, tuesday) == 1
        assert await followups.still_reminded(tx, due[0].id)
        await followups.move(tx, due[0].id, tuesday + DAY)  # snoozed: the queued reminder no longer stands
        assert not await followups.still_reminded(tx, due[0].id)
    await bot.say("carol", "!contact note 1 called")
    async with bot.app.db.reading() as tx:
        assert await followups.to_remind(tx, tuesday + 2 * DAY, 100) == []
