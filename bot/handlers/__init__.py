"""Command handlers: thin functions that call a feature and build the reply.

Each module declares its commands; `REGISTRY` gathers them in spec order. The registry is the
single source for the `!` parser, help, `docs/commands.md` and the Discord slash commands.
"""

from __future__ import annotations

from bot.core.commands import Registry
from bot.handlers import (
    accounts,
    admin,
    asks,
    checkins,
    contacts,
    intros,
    leads,
    manual,
    network,
    todo,
    volunteers,
)

REGISTRY = Registry(
    [
        *volunteers.COMMANDS,
        *accounts.COMMANDS,
        *asks.COMMANDS,
        *todo.COMMANDS,
        *intros.COMMANDS,
        *network.COMMANDS,
        *contacts.COMMANDS,
        *checkins.COMMANDS,
        *leads.COMMANDS,
        *admin.COMMANDS,
        *manual.COMMANDS,
    ]
)
