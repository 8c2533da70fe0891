"""Who is speaking: the sender's person, kept current, and their role in step with the platform.

Every command starts here, whether it writes (`speaker`, `keep_role` inside its transaction) or
only reads (`granted` tells the dispatcher the speaker's record must change first, so the command
runs as a writer).
"""

from __future__ import annotations

from bot.config import Config
from bot.core.messages import Incoming
from bot.ids import Role
from bot.storage import audit, persons
from bot.storage.db import Tx
from bot.storage.persons import Person


async def speaker(tx: Tx, incoming: Incoming, now: int, person: Person | None) -> Person:
    """The sender's person: created on their first message, their display name kept current."""
    sender = incoming.sender
    if person is None:
        person = await persons.create(tx, sender.platform, sender.user_id, sender.display_name, now)
    elif person.display_name != sender.display_name or now - person.last_seen_at > 60:
        await persons.touch(tx, person, sender.platform, sender.user_id, sender.display_name, now)
    return person


async def keep_role(tx: Tx, incoming: Incoming, speaker: Person, now: int, config: Config) -> Role:
    """The speaker's role, kept in step with what the platform or the config grants.

    A role the platform grants (a Discord role, a Matrix power level, the config's admins) is
    stored with its source, so scheduled work such as the leads' digest knows about it; when the
    platform stops granting it, it is taken back — unless an admin gave it with `role`. A
    platform that cannot tell (a DM on Discord carries no roles) passes None and changes nothing.
    """
    change = granted(incoming, speaker, config)
    if change is None:
        return speaker.role
    role, source = change
    await persons.set_role(tx, speaker.id, role, "platform", now)
    action = "role.granted" if role > speaker.role else "role.revoked"
    detail = f"{speaker.role.label} → {role.label}"
    await audit.record(tx, None, action, speaker.display_name, detail, now, source=source)
    return role


def granted(incoming: Incoming, speaker: Person, config: Config) -> tuple[Role, str] | None:
    """The role the platform or the config now grants, and who grants it, when the speaker's
    stored role must change to it; None when it stays."""
    role = incoming.sender.granted_role
    source = incoming.platform  # its role sync (the console's own user is an admin)
    if config.is_admin(incoming.sender.platform, incoming.sender.user_id):
        role, source = Role.ADMIN, "config"
    if role is None or role == speaker.role:
        return None
    if role > speaker.role or speaker.role_source == "platform":
        return role, source
    return None


def settled(incoming: Incoming, speaker: Person, config: Config) -> bool:
    """Whether the speaker's record already is as the platform shows it (no new display name, no
    role to grant or take back): then a command that only reads need write nothing first."""
    return speaker.display_name == incoming.sender.display_name and granted(incoming, speaker, config) is None


async def role_now(tx: Tx, person: Person, config: Config) -> Role:
    """The person's role now, for work not started by them (a dashboard link, a queued digest):
    stored, or admin when the config names one of their accounts (which `keep_role` stores only
    at their next message)."""
    if person.role >= Role.ADMIN:
        return person.role
    for identity in await persons.identities(tx, person.id):
        if config.is_admin(identity.platform, identity.user_id):
            return Role.ADMIN
    return person.role
