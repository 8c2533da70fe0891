"""What the intro reminder reads: intros nobody answered, once their time comes."""

from __future__ import annotations

from bot.areas.intros import queries as intros
from bot.clock import to_ts
from bot.scheduling.reminders import Round
from tests.console_bot import ConsoleBot, make_config

DAY = 86400


def at(now: int) -> Round:
    return Round(now, 100, make_config())


async def test_unanswered_intros_name_each_person_still_to_answer_once_their_time_comes(bot: ConsoleBot) -> None:
    for name in ("alice", "bob", "carol"):
        await bot.say(name, "!volunteer research")
    await bot.say("carol", '!intro @alice @bob why:"archives"')
    await bot.say("carol", '!intro me @alice why:"zines"')
    await bot.say("alice", "!accept 1")
    now = to_ts(bot.clock.now())
    async with bot.app.db.reading() as tx:
        assert await intros.to_remind(tx, at(now + 3 * DAY - 1)) == []  # reminded after three days
        assert await intros.next_reminder(tx, at(now)) == now + 3 * DAY
        waiting = await intros.to_remind(tx, at(now + 3 * DAY))
        alice = await tx.value("SELECT id FROM people WHERE display_name = 'alice'")
        bob = await tx.value("SELECT id FROM people WHERE display_name = 'bob'")
    assert {(int(w.intro_id), int(w.person_id)) for w in waiting} == {(1, bob), (2, alice)}
    await bot.say("bob", "!decline 1")
    async with bot.app.db.reading() as tx:
        assert {int(w.intro_id) for w in await intros.to_remind(tx, at(now + 3 * DAY))} == {2}
