"""Editing an ask (spec §2): an edit is held to the rules its post is."""

from __future__ import annotations

from tests.console_bot import ConsoleBot, joined


async def test_an_edit_cannot_blank_the_title_a_post_must_have(bot: ConsoleBot) -> None:
    """`edit 1 title:""` left ask 1 without a title, where `ask title:""` is refused."""
    assert "An ask needs a title" in joined(await bot.feed('!ask title:""'))
    await bot.feed('!ask title:"Count the chairs" details:"Both halls"')
    for blank in ('title:""', 'title:"   "'):
        reply = joined(await bot.feed(f"!edit 1 {blank}"))
        assert 'An ask needs a title; give ask 1 a new one, like `edit 1 title:"' in reply, blank
        assert "Updated ask 1" not in reply
    for other, said in (  # the other fields: refused as when posting, or (details) emptied on purpose
        ('skill:""', "`skill:` is empty."),
        ("need:0", "`need` should be a whole number from 1 to 100, not 0."),
        ("due:yesterday", "yesterday is in the past."),
        ('due:""', "`due:` is empty."),
    ):
        assert said in joined(await bot.feed(f"!edit 1 {other}")), other
    shown = joined(await bot.feed("!ask 1"))
    assert "1 Count the chairs · 0/1 taken" in shown and "Both halls" in shown
    assert "Updated ask 1" in joined(await bot.feed('!edit 1 title:" Count the seats "'))
    assert "1 Count the seats · 0/1 taken" in joined(await bot.feed("!ask 1"))
