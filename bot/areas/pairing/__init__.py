"""Pairing (spec §3): members who opt in are paired each week with someone they have not met,
preferring shared interests and different regions or library types (weak ties)."""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.pairing.commands import pairing
from bot.areas.pairing.delivery import RELEVANCE
from bot.areas.pairing.jobs import pairing_round_job

AREA = Area("pairing", commands=pairing.commands, jobs=(pairing_round_job,), relevance=RELEVANCE)

__all__ = ["AREA"]
