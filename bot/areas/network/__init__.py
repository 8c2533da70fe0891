"""The network (spec §3): who has met whom, and the leads' view of it. Other areas record
meetings with `record_meeting` (an intro both sides accepted)."""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.network.commands import network
from bot.areas.network.queries import record_meeting

AREA = Area("network", commands=network.commands)

__all__ = ["AREA", "record_meeting"]
