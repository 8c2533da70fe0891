"""The shared library of links (spec §14): articles and guides people share, searchable, and
listed under the asks they help with."""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.resources.commands import of_ask, resources

AREA = Area("resources", commands=resources.commands, details={"ask": (of_ask,)})

__all__ = ["AREA"]
