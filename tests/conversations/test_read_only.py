"""Commands that only look (`reads=True`) run on read-only connections beside the writer (issue 15):
they answer while a write holds the database, a command declared so cannot write, and what they
must record (the event, a lead's view in the audit) is still recorded, once."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.messages import Incoming
from bot.core.text import plain_text
from bot.ids import Role
from bot.storage.readers import Readers
from tests.console_bot import ConsoleBot, joined, platform_message

INCIDENT = "something went wrong on my side"


async def _some_of_everything(bot: ConsoleBot) -> None:
    """Data for every read-only command's example to find something."""
    await bot.script(
        """
        alice: !volunteer research
        alice: !profile region:Ohio library:public
        bob: !volunteer writing
        !ask title:"Compile sectoral-bargaining resources" skill:research need:2
        alice: !claim 1
        alice: !contact add name:"Jordan Lee" org:"Teachers Union" follow:friday
        alice: !met @bob talked about the survey
        !event add title:"Organising committee" when:thursday 19:00 where:"Zoom"
        alice: !resource add https://example.org/guide title:"Bargaining guide" tags:bargaining
        alice: !checkin every:monday at:10:00
        """
    )


async def test_every_read_only_command_answers_without_writing(bot: ConsoleBot) -> None:
    await _some_of_everything(bot)
    readers = [c for c in bot.app.dispatcher.registry.commands if c.reads]
    assert len(readers) >= 20
    for command in readers:
        for speaker in ("you", "alice"):  # an admin and a member: both sides of every role check
            said = joined(await bot.say(speaker, f"!{command.example}"))
            assert said and INCIDENT not in said, (command.key, speaker, said)


async def test_a_read_only_connection_refuses_writes(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    readers = Readers(bot.app.db)
    try:
        with pytest.raises(Exception, match=r"(?i)read.?only"):
            async with readers.reading() as tx:
                await tx.execute("UPDATE people SET display_name = 'mallory'")
        async with readers.reading() as tx:
            assert await tx.value("SELECT COUNT(*) FROM people WHERE display_name = 'mallory'") == 0
    finally:
        await readers.close()


async def test_reads_one_after_another_keep_to_one_connection(bot: ConsoleBot) -> None:
    """Only overlapping reads open a second connection's page cache (memory the pairing round's
    peak counted twice when reads took the connections in turn); one after another, the one
    given back last is taken again."""
    await bot.say("alice", "!volunteer research")
    readers = Readers(bot.app.db)
    try:
        await readers.open()
        used = []
        for _ in range(4):
            async with readers.reading() as tx:
                used.append(tx)
                await tx.value("SELECT COUNT(*) FROM people")
        assert len({id(tx._conn) for tx in used}) == 1  # type: ignore[attr-defined]
        async with readers.reading() as first, readers.reading() as second:  # overlapping: two
            assert first._conn is not second._conn  # type: ignore[attr-defined]
    finally:
        await readers.close()


def _say(bot: ConsoleBot, name: str, text: str, event_id: str, role: Role | None = None) -> Incoming:
    return platform_message(bot, "console", name, name, text, private=True, role=role, event_id=event_id)


async def test_a_look_answers_while_a_write_holds_the_database(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.feed('!ask title:"Compile sectoral-bargaining resources" skill:research')
    await bot.say("alice", "!claim 1")
    held, release = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with bot.app.db.transaction() as tx:
            await tx.execute("UPDATE asks SET title = 'Held', search = 'held' WHERE id = 1")
            held.set()
            await release.wait()

    holding = asyncio.create_task(writer())
    await asyncio.wait_for(held.wait(), 5)
    try:
        dispatcher = bot.app.dispatcher
        mine = await asyncio.wait_for(dispatcher.handle(_say(bot, "alice", "!mine", "look-1")), 5)
        lead = await asyncio.wait_for(dispatcher.handle(_say(bot, "you", "!coverage", "look-2", Role.ADMIN)), 5)
        assert "Compile sectoral-bargaining resources" in plain_text(mine[0].text)  # the last committed state
        assert "Coverage by region" in plain_text(lead[0].text)
    finally:
        release.set()
        await holding
    await bot.app.dispatcher.settle()
    again = await bot.app.dispatcher.handle(_say(bot, "alice", "!mine", "look-1"))
    assert again == []  # the event was recorded after the reply: a redelivery is ignored
    audit = joined(await bot.feed("!audit all"))
    assert audit.count("coverage") == 1


async def test_a_redelivered_look_is_answered_once_even_before_it_is_recorded(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    first = await bot.app.dispatcher.handle(_say(bot, "alice", "!help", "twice"))
    second = await bot.app.dispatcher.handle(_say(bot, "alice", "!help", "twice"))
    assert first and second == []
    await bot.app.dispatcher.settle()


async def test_a_look_by_a_newcomer_or_a_renamed_member_records_them_first(bot: ConsoleBot) -> None:
    async def names() -> list[str]:
        async with bot.app.db.reading() as tx:
            return [row[0] for row in await tx.all("SELECT display_name FROM people ORDER BY id")]

    assert "help" in joined(await bot.say("zoe", "!help")).lower()
    assert await names() == ["zoe"]
    renamed = platform_message(bot, "console", "zoe", "Zoe B", "!help", private=True)
    assert await bot.app.dispatcher.handle(renamed)
    assert await names() == ["Zoe B"]
