"""Help (spec §8): the command overview, one command's usage with an example, and the command
reference `docs/commands.md`, all generated from the registry."""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.help.commands import help_commands
from bot.areas.help.words import markdown

AREA = Area("help", commands=help_commands.commands)

__all__ = ["AREA", "markdown"]
