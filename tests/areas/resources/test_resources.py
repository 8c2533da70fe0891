"""The shared library of links (spec §14)."""

from __future__ import annotations

from bot.core.text import plain_text
from tests.console_bot import ConsoleBot, joined, platform_message

GUIDE = 'resource add https://Example.org/guide title:"Bargaining guide" tags:bargaining,research note:"Start here"'


async def test_adding_a_link_and_finding_it_by_title_tag_or_note(bot: ConsoleBot) -> None:
    added = joined(await bot.say("alice", f"!{GUIDE}"))
    assert "Added to the library as 1." in added
    assert "https://example.org/guide" in added
    for words in ("bargaining", "guide", "start here", "RESEARCH"):
        assert "Bargaining guide" in joined(await bot.say("bob", f"!resources {words}"))
    assert "Nothing in the library matches that." in joined(await bot.say("bob", "!resources pensions"))
    shown = joined(await bot.say("bob", "!resource 1"))
    assert "Note: Start here" in shown and "Added by alice." in shown


async def test_a_list_typed_with_spaces_after_its_commas_needs_no_quotes(bot: ConsoleBot) -> None:
    """`tags:organizing, how-to` was "I didn't expect how-to there"; so was `interests:a, b`."""
    added = joined(await bot.feed("!resource add https://example.org/a tags:organizing, how-to note:x"))
    assert "[organizing, how-to]" in added
    await bot.say("alice", "!profile interests:bargaining, pay equity, zines")
    assert "interests: bargaining, pay equity, zines" in joined(await bot.say("alice", "!profile"))


async def test_the_same_link_twice_is_one_entry_with_tags_merged(bot: ConsoleBot) -> None:
    await bot.say("alice", f"!{GUIDE}")
    again = joined(await bot.say("bob", "!resource add https://example.org/guide tags:organizing,Research"))
    assert "already in the library as 1" in again
    assert "[bargaining, research, organizing]" in again and "I merged your tags" in again
    same = joined(await bot.say("carol", "!resource add example.org/guide tags:research"))  # nothing new
    assert "That link is already in the library as 1; nothing new to add." in same and "merged" not in same
    assert "Shared resources, newest first (1):" in joined(await bot.say("bob", "!resources"))


async def test_a_link_for_an_ask_is_listed_under_the_ask(bot: ConsoleBot) -> None:
    await bot.feed('!ask title:"Compile sectoral-bargaining resources" skill:research')
    await bot.say("alice", f"!{GUIDE} ask:1")
    shown = joined(await bot.say("bob", "!ask 1"))
    assert "Resources:" in shown and "Bargaining guide" in shown and "https://example.org/guide" in shown
    assert "There's no ask 9." in joined(await bot.say("alice", "!resource add https://x.org/a ask:9"))


async def test_only_web_links_are_taken(bot: ConsoleBot) -> None:
    assert "I only keep web links" in joined(await bot.say("alice", '!resource add "javascript:alert(1)"'))
    assert "has no `javascript:`" in joined(await bot.say("alice", "!resource add javascript:alert(1)"))
    refused = joined(await bot.say("alice", "!resource add ftp://example.org/file"))
    assert "I only keep web links" in refused and "Example: `resource add https://" in refused
    assert "isn't a link I can use" in joined(await bot.say("alice", "!resource add https://"))
    assert "The library is empty." in joined(await bot.say("alice", "!resources"))


async def test_a_link_typed_without_https_is_read_as_a_browser_reads_it(bot: ConsoleBot) -> None:
    added = joined(await bot.say("alice", '!resource add ALA.org/guide title:"Bargaining guide"'))
    assert "https://ala.org/guide" in added, added
    again = joined(await bot.say("bob", "!resource add https://ala.org/guide tags:bargaining"))
    assert "already in the library as 1" in again
    assert "https://www.ala.org:8443/" in joined(await bot.say("bob", "!resource add www.ala.org:8443"))
    assert "I only keep web links" in joined(await bot.say("bob", '!resource add "mailto:a@ala.org"'))


async def test_only_the_one_who_added_it_or_a_lead_can_drop_it(bot: ConsoleBot) -> None:
    await bot.say("alice", f"!{GUIDE}")
    await bot.say("alice", "!resource add https://example.org/two")
    assert (
        "Only the person who added resource 1, or a lead, can drop it. If it needs doing, ask one of them; "
        "`resource 1` shows who added it."
    ) in joined(await bot.say("bob", "!resource drop 1"))
    assert "Dropped resource 1" in joined(await bot.say("alice", "!resource drop 1"))
    assert "Dropped resource 2" in joined(await bot.feed("!resource drop 2"))  # the console user is an admin
    assert "There's no resource 2." in joined(await bot.say("alice", "!resource 2"))


async def test_a_lead_dropping_someone_elses_link_is_in_the_audit(bot: ConsoleBot) -> None:
    """It left no line: the one who added the link could not learn who took it away (spec §7)."""
    await bot.say("lee", "!volunteer research")
    await bot.feed("!role @lee lead")
    await bot.say("alice", f"!{GUIDE}")
    await bot.say("lee", "!resource add https://example.org/lees")
    await bot.say("lee", "!resource drop 2")  # her own: no lead power used
    assert "Dropped resource 1" in joined(await bot.say("lee", "!resource drop 1"))
    audit = joined(await bot.feed("!audit"))
    assert "lee dropped resource 1 from the library, which alice added" in audit
    assert "resource 2" not in audit


async def test_replies_with_links_ask_for_no_previews(bot: ConsoleBot) -> None:
    incoming = platform_message(bot, "discord", "1", "alice", f"!{GUIDE}")
    replies = await bot.app.dispatcher.handle(incoming)
    assert replies[0].suppress_embeds and "https://example.org/guide" in plain_text(replies[0].text)


async def test_forget_me_keeps_shared_links_but_drops_their_note_and_name(bot: ConsoleBot) -> None:
    await bot.say("alice", f"!{GUIDE}")
    bot.dm()
    await bot.say("alice", "forget me")
    await bot.say("alice", "forget me confirm")
    shown = joined(await bot.say("bob", "resource 1"))
    assert "Bargaining guide" in shown and "Start here" not in shown and "Added by a former member." in shown
