"""The network (spec §3): who has met whom, and the leads' view of it. Other areas record
meetings with `record_meeting` (an intro both sides accepted)."""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.network.commands import network
from bot.areas.network.queries import MemberView, record_meeting
from bot.areas.network.rules import member_of

AREA = Area("network", commands=network.commands)

__all__ = ["AREA", "MemberView", "member_of", "record_meeting"]
