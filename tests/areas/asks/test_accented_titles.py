"""Limits count the characters a person sees: an `é` typed as `e` and a combining accent is one."""

from __future__ import annotations

from tests.console_bot import ConsoleBot, joined

#: `é` as one character, and as `e` with a combining accent (two), as some keyboards send it.
E_ACUTE, E_THEN_ACCENT = "\u00e9", "e\u0301"


async def test_a_title_of_accented_letters_typed_decomposed_is_measured_as_it_is_seen(bot: ConsoleBot) -> None:
    """150 `é` typed as `e` + accent were refused as "yours has 300" against the limit of 200."""
    await bot.say("lee", "!volunteer research")
    await bot.feed("!role @lee lead")
    posted = joined(await bot.say("lee", f'!ask title:"{E_THEN_ACCENT * 150}"'))
    assert "Posted ask 1." in posted and "at most" not in posted
    shown = joined(await bot.say("lee", "!ask 1"))
    assert E_ACUTE * 150 in shown and E_THEN_ACCENT not in shown  # kept composed
    refused = joined(await bot.say("lee", f'!ask title:"{E_ACUTE * 201}"'))
    assert "`title` can be at most 200 characters (yours has 201)" in refused
    assert "Posted" not in refused
