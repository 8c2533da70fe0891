"""The `asks` listing's next step (spec §2, §8): it names an ask the reader can claim."""

from __future__ import annotations

from tests.console_bot import ConsoleBot, joined


async def _volunteers(bot: ConsoleBot, *names: str) -> None:
    for name in names:
        await bot.say(name, "!volunteer research")


async def test_the_next_step_claims_an_ask_the_reader_can_claim_not_a_full_one_or_their_own(bot: ConsoleBot) -> None:
    """`asks` ended "`claim 2` to help" when ask 2 was full, or the reader's own claim."""
    await _volunteers(bot, "alice", "bob")
    for title in ("one", "two", "three"):
        await bot.feed(f'!ask title:"{title}"')
    await bot.say("alice", "!claim 3")  # full, and hers
    await bot.say("bob", "!claim 2")  # full
    listed = joined(await bot.say("alice", "!asks"))
    assert "3 three · 1/1 taken" in listed  # still listed first
    assert listed.endswith("Next: `ask 1` for details or `claim 1` to help.")
    assert "`claim 3`" not in listed and "`claim 2`" not in listed
    mine = joined(await bot.say("alice", "!asks mine"))
    assert mine.endswith("Next: `ask 3` for details.")  # nothing on it to claim, so no claim suggested


async def test_a_page_with_nothing_to_claim_points_to_details_and_the_next_page(bot: ConsoleBot) -> None:
    """On a later page it pointed at a full ask while open ones were listed; on a page of full
    asks only, it still said `claim`."""
    await _volunteers(bot, "alice", "bob")
    for number in range(1, 13):
        await bot.feed(f'!ask title:"Task {number}"')
    for number in range(3, 13):  # the first page, asks 12 to 3: all full
        await bot.say("bob", f"!claim {number}")
    first = joined(await bot.say("alice", "!asks"))
    assert first.endswith("Next: `ask 12` for details, or `asks page:2` for more.")
    await bot.say("bob", "!release 5")
    assert joined(await bot.say("alice", "!asks")).endswith("Next: `claim 5`, or `asks page:2` for more.")
    second = joined(await bot.say("alice", "!asks page:2"))
    assert second.endswith("Next: `ask 2` for details or `claim 2` to help.")


async def test_an_ask_whose_part_the_reader_finished_offers_no_claim(bot: ConsoleBot) -> None:
    """`ask 1` showed a Claim button and "`claim 1` to help" to someone who had done their part,
    which `claim` then refuses."""
    await _volunteers(bot, "alice")
    await bot.feed('!ask title:"Flyers" need:2')
    await bot.say("alice", "!claim 1")
    await bot.say("alice", "!done 1")
    shown = joined(await bot.say("alice", "!ask 1"))
    assert "You've done your part of this one." in shown and "`claim 1`" not in shown
    assert "Next: `claim 1` to help." in joined(await bot.say("bob", "!ask 1"))


async def test_the_next_page_of_a_filtered_listing_keeps_its_filter(bot: ConsoleBot) -> None:
    """`asks research` said "`asks page:2` for more", which pages through every ask; past the
    end it suggested `asks page:2` too. `resources bargaining` did the same."""
    await bot.say("alice", "!volunteer research")
    for i in range(12):
        await bot.feed(f'!ask title:"Research task {i}" skill:research')
        await bot.feed(f'!ask title:"Other {i}" skill:writing')
        await bot.say("alice", f'!resource add https://example.org/b{i} title:"Bargaining guide {i}"')
        await bot.say("alice", f'!resource add https://example.org/o{i} title:"Other {i}"')
    assert "`asks research page:2` for more." in joined(await bot.say("alice", "!asks research"))
    assert "Try `asks research page:2`." in joined(await bot.say("alice", "!asks research page:9"))
    assert "`asks page:2` for more." in joined(await bot.say("alice", "!asks"))
    assert "`resources bargaining page:2` for more" in joined(await bot.say("alice", "!resources bargaining"))
    assert "Try `resources bargaining page:2`." in joined(await bot.say("alice", "!resources bargaining page:9"))
