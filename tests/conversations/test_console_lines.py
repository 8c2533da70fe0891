"""What a console line means (spec §9): who speaks, whom `@NAME` mentions, which channel `::in`
reaches, and what a directive without its argument says. In-process, on SQLite only: reading a
line does not depend on the database."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.console import Console
from bot.app import App
from bot.clock import ManualClock
from tests.console_bot import START, ConsoleBot, make_config

WHAT_A_NAME_IS = "(a name is one word that starts with a letter, like alice or Émile)"


async def _console_bot(tmp_path: Path, migrated: Path, channel: str = "general") -> ConsoleBot:
    path = tmp_path / "bot.sqlite3"
    shutil.copyfile(migrated, path)
    clock = ManualClock(START)
    app = await App.open(make_config(console={"channel": channel}), clock, str(path))
    out: list[str] = []
    return ConsoleBot(app, clock, Console(app, out.append, channel=app.config.console.channel), out)


@pytest.fixture
async def console_bot(tmp_path: Path, migrated: Path) -> AsyncIterator[ConsoleBot]:
    harness = await _console_bot(tmp_path, migrated)
    yield harness
    await harness.close()


@pytest.mark.parametrize("name", ["Émile", "Åsa", "zoë", "j.doe", "Łukasz"])
async def test_a_name_in_any_alphabet_speaks_as_that_person(console_bot: ConsoleBot, name: str) -> None:
    said = await console_bot.feed(f"{name}: !volunteer research")
    assert said[0] == f"[#general] Welcome aboard, {name}! You're signed up."


async def test_a_command_right_after_the_colon_speaks_as_the_name(console_bot: ConsoleBot) -> None:
    said = await console_bot.feed("alice:!volunteer research")
    assert said[0] == "[#general] Welcome aboard, alice! You're signed up."


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("123: !volunteer design", f"'123' can't be a name {WHAT_A_NAME_IS}"),
        ("@bob: !volunteer design", "@bob is a mention; the name is bob, without the @"),
        ("a:b: !volunteer design", f"'a:b' can't be a name {WHAT_A_NAME_IS}"),
        ("x" * 40 + ": !volunteer design", "x" * 32 + "… is too long for a name (at most 32 characters)"),
    ],
)  # fmt: skip
async def test_a_command_for_someone_who_cannot_be_a_name_is_refused_not_run_as_you(
    console_bot: ConsoleBot, line: str, said: str
) -> None:
    assert await console_bot.feed(line) == [f"[console] Not sent: {said}."]  # no welcome: nothing ran


@pytest.mark.parametrize("line", ["https://example.org has the list", "10:30 works for me", "123: that's the room"])
async def test_chatter_with_a_colon_in_it_stays_chatter(console_bot: ConsoleBot, line: str) -> None:
    assert await console_bot.feed(line) == ["[console] Commands start with `!` here, e.g. `!help`."]


@pytest.mark.parametrize("mention", ["@alice.", "@alice,", "@alice!", "@alice"])
async def test_a_mention_followed_by_punctuation_mentions_that_person(console_bot: ConsoleBot, mention: str) -> None:
    await console_bot.feed("alice: !volunteer research")
    said = await console_bot.feed(f"!whois {mention}")
    assert said[0] == "[#general] alice · skills: research", said


@pytest.mark.parametrize("channel", ["General", "#general", "#General"])
async def test_the_console_channel_is_reached_again_whatever_its_case_or_a_leading_hash(
    tmp_path: Path, migrated: Path, channel: str
) -> None:
    bot = await _console_bot(tmp_path, migrated, channel)
    shown = channel.lstrip("#")
    try:
        for back in (f"::in #{shown}", "::in #general", "::in #GENERAL", "::in general"):
            bot.dm()
            assert await bot.feed(back) == []
            assert not bot.console.in_dm, back
        said = await bot.feed("!volunteer research")
        assert said[0] == f"[#{shown}] Welcome aboard, you! You're signed up."
    finally:
        await bot.close()


@pytest.mark.parametrize(
    ("directive", "said"),
    [
        ("::advance", "::advance takes a length of time, like ::advance 3d (or 2h, 30m)"),
        ("::at", "::at takes a time, like ::at 2026-12-01T09:00Z"),
        ("::attach", "::attach takes a file's path, like ::attach examples/signatories.csv"),
        ("::join", "::join takes one name, like ::join dana"),
    ],
)
async def test_a_directive_without_its_argument_says_what_to_give(
    console_bot: ConsoleBot, directive: str, said: str
) -> None:
    assert await console_bot.feed(directive) == [f"[console] {said}"]
