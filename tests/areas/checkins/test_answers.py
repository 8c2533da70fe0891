"""A check-in answered as a plain private message (spec §5, §8, §11 "an answer is never eaten"):
what is refused is refused in words, and the question keeps waiting."""

from __future__ import annotations

from tests.console_bot import ConsoleBot, joined, to


async def _asked(bot: ConsoleBot) -> None:
    await bot.say("alice", "!checkin every:day at:11:00")
    await bot.advance("2h")  # 11:00 in Chicago: asked
    bot.dm()


async def test_a_plain_answer_over_the_limit_says_the_limit_and_the_question_still_waits(bot: ConsoleBot) -> None:
    """Typed as a plain message, an answer over 2,000 characters ended in the apology (`checkin
    reply` said the limit): a plain message is no command, and no command's handling caught it."""
    await _asked(bot)
    refused = joined(await bot.say("alice", "a" * 2100))
    assert "Check-in answers can be at most 2000 characters (yours has 2100), so I haven't noted it." in refused
    assert "Sorry, something went wrong" not in refused
    assert "Your check-in from Mon 23 Nov is waiting for your answer." in joined(await bot.say("alice", "!mine"))
    assert "Thanks, noted for your check-in of Mon 23 Nov" in joined(await bot.say("alice", "a" * 2000))


async def test_an_addition_that_passes_the_limit_is_refused_and_the_answer_kept(bot: ConsoleBot) -> None:
    await _asked(bot)
    await bot.say("alice", "b" * 1990)
    refused = joined(await bot.say("alice", "and the printer is broken"))
    assert "Adding that would take your check-in of Mon 23 Nov over the 2000-character limit" in refused
    assert "so I kept your answer as it was" in refused and "room for 9 more characters" in refused
    assert "Sorry, something went wrong" not in refused
    assert "Added that to your check-in" in joined(await bot.say("alice", "printer"))  # what fits is added
    bot.public()
    leads = joined(to("you", await bot.feed("!checkins")))
    assert "alice: bbb" in leads and "broken" not in leads


async def test_a_blank_message_is_no_answer(bot: ConsoleBot) -> None:
    """A message of spaces was kept as the answer ("Thanks, noted"), and `checkins` listed it empty."""
    await _asked(bot)
    blank = joined(await bot.say("alice", "   \t "))
    assert "That message was empty, so I haven't noted it." in blank and "Thanks, noted" not in blank
    assert "Your check-in from Mon 23 Nov is waiting for your answer." in joined(await bot.say("alice", "!mine"))
    bot.public()
    leads = joined(to("you", await bot.feed("!checkins")))
    assert "Not answered yet: alice." in leads and "alice:" not in leads
    bot.dm()
    await bot.say("alice", "Finished the summary")
    assert "Added that" not in joined(await bot.say("alice", "   "))  # nor added to one just given
