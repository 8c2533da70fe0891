"""`done` answers with the ask as its writes left it without reading it again (a round trip on
PostgreSQL): that ask must be exactly what a fresh read returns, closing or not."""

from __future__ import annotations

from bot.areas.asks import queries, rules
from bot.clock import to_ts
from bot.ids import AskId
from bot.storage import persons
from tests.console_bot import ConsoleBot


async def test_the_ask_done_answers_with_is_the_one_stored(bot: ConsoleBot) -> None:
    for name in ("alice", "bob"):
        await bot.say(name, "!volunteer research")
    await bot.feed('!ask title:"Phone bank" skill:research need:2')
    for name in ("alice", "bob"):
        await bot.say(name, "!claim 1")
    bot.clock.set(bot.clock.now().replace(hour=20))  # later than the claims: updated_at moves
    for name, closes in (("alice", False), ("bob", True)):
        async with bot.app.db.transaction() as tx:
            person = await persons.by_identity(tx, "console", name)
            assert person is not None
            finished = await rules.done(tx, person, 1, "shared", to_ts(bot.clock.now()))
            assert finished.closed is closes
            assert finished.ask == await queries.get(tx, AskId(1))
