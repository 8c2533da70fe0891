"""Your to-do list: `mine` and `snooze`, over what every area declares."""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.todo.commands import mine_commands, snooze_commands

AREA = Area("todo", commands=(*mine_commands.commands, *snooze_commands.commands))

__all__ = ["AREA"]
