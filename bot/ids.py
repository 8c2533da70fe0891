"""Ids and roles: the small vocabulary every layer shares.

`NewType` ids keep a person's id from being passed where an ask's is wanted. This module imports
nothing from the bot, so storage, core, scheduling, areas and adapters can all depend on it.
"""

from __future__ import annotations

import enum
from typing import NewType

PersonId = NewType("PersonId", int)
AskId = NewType("AskId", int)
ClaimId = NewType("ClaimId", int)
IntroId = NewType("IntroId", int)
ContactId = NewType("ContactId", int)
FollowUpId = NewType("FollowUpId", int)
CheckinId = NewType("CheckinId", int)
EventId = NewType("EventId", int)
TimeId = NewType("TimeId", int)  # one occurrence of an event


class Role(enum.IntEnum):
    """What a person may do; higher includes lower."""

    MEMBER = 1
    LEAD = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Role:
        return cls[text.strip().upper()]
