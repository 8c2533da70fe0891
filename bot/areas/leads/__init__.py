"""Leads and admins (spec §7): coverage, the digest (on demand and weekly), roles, the audit log
and the delivery queue.

Other areas use `admin_remains` (`forget me` warns the only admin that nobody could change roles)
and `action_said` (`export me` lists the speaker's privileged actions as the audit says them).
"""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.leads.commands import leads
from bot.areas.leads.jobs import RELEVANCE, WEEKLY_DIGEST
from bot.areas.leads.queries import admin_remains
from bot.areas.leads.words import action_said

AREA = Area("leads", commands=leads.commands, jobs=(WEEKLY_DIGEST,), relevance=RELEVANCE)

__all__ = ["AREA", "action_said", "admin_remains"]
