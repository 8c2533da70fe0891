"""Docs that cannot drift: the command reference is generated from the registry."""

from __future__ import annotations

from pathlib import Path

from bot.areas.help import markdown
from bot.catalog import REGISTRY

ROOT = Path(__file__).resolve().parents[3]


def test_docs_commands_md_matches_the_registry() -> None:
    written = (ROOT / "docs" / "commands.md").read_text()
    assert written == markdown(REGISTRY), "docs/commands.md is stale: run `./dev py -m bot docs > docs/commands.md`"


def test_every_command_has_a_summary_an_example_and_argument_help() -> None:
    for command in REGISTRY.commands:
        assert command.summary.endswith("."), command.key
        assert command.example.startswith(command.name), command.key
        for param in command.params:
            assert param.help.endswith((".", ")")), f"{command.key}:{param.name}"


def test_command_names_are_unique_per_form() -> None:
    keys = [c.key for c in REGISTRY.commands]
    assert len(keys) == len(set(keys))


def test_every_summary_and_argument_help_fits_a_discord_description_whole() -> None:
    """Discord shows at most 100 characters; `describe` cuts longer ones with "…", which read
    '…graphic de…' in the skills option once."""
    from bot.adapters.discord_commands import MAX_DESCRIPTION, describe

    for command in REGISTRY.commands:
        for text in (command.summary, *(param.help for param in command.params)):
            assert len(describe(text)) <= MAX_DESCRIPTION and not describe(text).endswith("…"), (command.key, text)
