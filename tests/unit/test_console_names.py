"""Console names and settings (spec §9): one rule for `NAME:`, `@NAME`, `--as` and
`console.user`, checked with the rest of the config; and how a piped script is read."""

from __future__ import annotations

import io

import pytest

from bot.config import ConfigError, load
from bot.console_input import Terminal, name_problem


@pytest.mark.parametrize("name", ["you", "alice", "Émile", "Åsa", "j.doe", "mary-jo", "bob_2", "a" * 32])
def test_a_single_word_starting_with_a_letter_is_a_name(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["two words", "a:b", "@bob", "123", "alice.", "", "a" * 33])
def test_what_no_console_line_could_say_is_not_a_name(name: str) -> None:
    assert name_problem(name)


@pytest.mark.parametrize("channel", ["General", "#general", "volunteers-2026"])
def test_a_console_channel_of_one_word_is_accepted_with_or_without_its_hash(channel: str) -> None:
    assert load(None, env={"VOLUNTEER_BOT_CONSOLE__CHANNEL": channel}).console.channel == channel


def test_a_console_user_or_channel_no_line_could_reach_is_a_config_error() -> None:
    env = {"VOLUNTEER_BOT_CONSOLE__USER": "two words", "VOLUNTEER_BOT_CONSOLE__CHANNEL": "Gen eral"}
    with pytest.raises(ConfigError) as caught:
        load(None, env=env)
    assert sorted(caught.value.problems) == [
        "`console.channel` (from VOLUNTEER_BOT_CONSOLE__CHANNEL) should be one word like general, not 'Gen eral'",
        "`console.user` (from VOLUNTEER_BOT_CONSOLE__USER): 'two words' can't be a name "
        "(a name is one word that starts with a letter, like alice or Émile)",
    ]


def test_a_script_saved_with_a_byte_order_mark_keeps_its_first_line() -> None:
    terminal = Terminal(io.StringIO("\ufeffalice: !volunteer research\n\ufeffbob: hi\n"))
    assert terminal.read() == "alice: !volunteer research"
    assert terminal.read() == "\ufeffbob: hi"  # only the file's first character can be its mark
    assert terminal.read() is None
