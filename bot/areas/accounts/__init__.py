"""The person behind the accounts (spec §1): linking a Discord and a Matrix account into one
person, exporting everything stored about someone, and forgetting them."""

from __future__ import annotations

from bot.areas.accounts.commands import accounts
from bot.areas.area import Area

AREA = Area("accounts", commands=accounts.commands)

__all__ = ["AREA"]
