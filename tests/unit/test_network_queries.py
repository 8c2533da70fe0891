"""What the scheduler's sweep reads to nudge: intros nobody answered, follow-ups that fell due."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import to_ts
from bot.storage import followups, intros
from tests.console_bot import ConsoleBot


async def test_unanswered_intros_name_each_person_still_to_answer(bot: ConsoleBot) -> None:
    for name in ("alice", "bob", "carol"):
        await bot.say(name, "!volunteer research")
    await bot.say("carol", '!intro @alice @bob why:"archives"')
    await bot.say("carol", '!intro me @alice why:"zines"')
    await bot.say("alice", "!accept 1")
    asked_at = to_ts(bot.clock.now())
    async with bot.app.db.reading() as tx:
        assert await intros.unanswered(tx, asked_at) == []  # nothing is older than now
        waiting = await intros.unanswered(tx, asked_at + 1)
    async with bot.app.db.reading() as tx:
        alice = await tx.value("SELECT id FROM people WHERE display_name = 'alice'")
        bob = await tx.value("SELECT id FROM people WHERE display_name = 'bob'")
    assert {(int(w.intro_id), int(w.person_id)) for w in waiting} == {(1, bob), (2, alice)}
    await bot.say("bob", "!decline 1")
    async with bot.app.db.reading() as tx:
        assert {int(w.intro_id) for w in await intros.unanswered(tx, asked_at + 1)} == {2}


async def test_follow_ups_due_and_the_next_one_to_fall_due(bot: ConsoleBot) -> None:
    await bot.say("carol", '!contact add name:"Early" follow:tuesday')
    await bot.say("carol", '!contact add name:"Late" follow:friday')
    now = bot.clock.now()
    async with bot.app.db.reading() as tx:
        assert await followups.due(tx, to_ts(now)) == []
        tuesday = await followups.next_due_after(tx, to_ts(now))
        assert tuesday is not None
        due = await followups.due(tx, tuesday)
        assert [(f.id, f.contact_name) for f in due] == [(1, "Early")]
        assert await followups.next_due_after(tx, tuesday) == tuesday + to_ts(now + timedelta(days=3)) - to_ts(now)
        assert await followups.count_overdue(tx, tuesday) == 1
    await bot.say("carol", "!contact note 1 called")
    async with bot.app.db.reading() as tx:
        assert await followups.due(tx, tuesday + 1) == []
