"""Signatories and onboarding (spec §13): importing the statement's signatories, who has joined
the chat, invite codes and `iam`, and the welcome to each newcomer.

Other areas use `tally` (signed vs joined, for the leads' coverage and digest) and `key_hash`
(how a forgotten signatory is remembered, so a re-import does not bring them back).
"""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.signatures.commands import signatures
from bot.areas.signatures.records import Tally
from bot.areas.signatures.rules import key_hash, tally
from bot.areas.signatures.welcome import RELEVANCE, welcome_newcomer

AREA = Area("signatures", commands=signatures.commands, relevance=RELEVANCE, joined=(welcome_newcomer,))

__all__ = ["AREA", "Tally", "key_hash", "tally"]
