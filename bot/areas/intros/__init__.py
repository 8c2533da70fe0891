"""Introductions (spec §3): double opt-in, and a decline that is only ever "not now"."""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.intros import offers
from bot.areas.intros.commands import intros
from bot.areas.intros.leaving import call_off
from bot.areas.intros.queries import pair_key
from bot.areas.intros.reminders import INTRO_REMINDERS, RELEVANCE

AREA = Area(
    "intros", commands=intros.commands, reminders=(INTRO_REMINDERS,), relevance=RELEVANCE,
    todo=(offers.waiting_for_you,),
)  # fmt: skip

__all__ = ["AREA", "call_off", "pair_key"]
