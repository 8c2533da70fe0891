"""Signatories and onboarding (spec §13): importing the statement's signatories, who has joined
the chat, invite codes and `iam`, and the welcome to each newcomer.

Other areas use `tally` (signed vs joined, for the leads' coverage and digest),
`signed_vs_joined` (the same by region × library type, gaps first, for the leads' dashboard) and
`remembered_as` (how a forgotten signatory is remembered, so a re-import does not bring them back).
"""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.signatures.commands import signatures
from bot.areas.signatures.records import Place, Tally
from bot.areas.signatures.rules import remembered_as, signed_vs_joined, tally
from bot.areas.signatures.welcome import RELEVANCE, welcome_newcomer

AREA = Area("signatures", commands=signatures.commands, relevance=RELEVANCE, joined=(welcome_newcomer,))

__all__ = ["AREA", "Place", "Tally", "remembered_as", "signed_vs_joined", "tally"]
