"""Who may open the dashboard: one-time links, browser sessions, and the lead check on every request.

A link is a random 256-bit token that works once, for 15 minutes; opening it starts a session of
12 hours with a second random token, kept in a cookie. Only SHA-256 hashes of both are stored.
A role change below lead ends the person's sessions and unused links at once (`persons.set_role`,
the one path every role change takes); every request still looks the session up again and asks
for the person's role then (the config's admins can change too), and `forget me` (which deletes
the person) ends their sessions with everything else.
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.areas.dashboard import addresses, words
from bot.areas.dashboard import queries as store
from bot.config import Config
from bot.core.errors import NotAllowed
from bot.core.speakers import role_now
from bot.core.timing import person_zone
from bot.ids import Role
from bot.storage import persons
from bot.storage.db import Tx
from bot.storage.persons import Person

LINK_SECONDS = 15 * 60
SESSION_SECONDS = 12 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 random bytes, base64url without padding


class Refused(enum.Enum):
    """Why a link or a session does not open the dashboard; each gets its own plain page."""

    NOT_A_LINK = "not a link"
    EXPIRED = "expired"
    USED = "used"
    NO_SESSION = "no session"
    NOT_LEAD = "not a lead"


@dataclass(frozen=True)
class Viewer:
    """The lead looking at the dashboard: who, with what role, reading times in which zone."""

    person: Person
    role: Role
    zone: ZoneInfo


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: str) -> bool:
    """Whether a token is shaped like one we make (anything else is refused before any lookup)."""
    return _TOKEN.fullmatch(token) is not None


async def new_link(tx: Tx, person: Person, role: Role, now: int) -> str:
    """A one-time link token for a lead (the caller makes the address from it)."""
    if role < Role.LEAD:
        raise NotAllowed(words.leads_only(person.display_name))
    token = new_token()
    await store.prune(tx, now)
    await store.save_link(tx, hashed(token), person.id, now, now + LINK_SECONDS)
    return token


async def check_link(tx: Tx, token: str, now: int, config: Config) -> Refused | None:
    """Why a link would not open (None: it would), without using it up. A link of someone who
    is no longer a lead says so first: it was a real link, and a new one would not help."""
    if not well_formed(token):
        return Refused.NOT_A_LINK
    found = await store.link(tx, hashed(token))
    if found is None:
        return Refused.NOT_A_LINK
    person = await persons.get(tx, found.person_id)
    if person is None:
        return Refused.NOT_A_LINK
    if await role_now(tx, person, config) < Role.LEAD:
        return Refused.NOT_LEAD
    if found.used_at is not None:
        return Refused.USED
    return Refused.EXPIRED if found.expires_at <= now else None


async def open_session(tx: Tx, token: str, now: int, config: Config) -> str | Refused:
    """Use a link up and start a session for its lead; returns the session's token."""
    problem = await check_link(tx, token, now, config)
    if problem is not None:
        return problem
    found = await store.link(tx, hashed(token))
    if found is None or not await store.use_link(tx, hashed(token), now):
        return Refused.USED
    person = await persons.get(tx, found.person_id)
    if person is None or await role_now(tx, person, config) < Role.LEAD:
        return Refused.NOT_LEAD
    session = new_token()
    await store.save_session(tx, hashed(session), person.id, now, now + SESSION_SECONDS)
    await addresses.keep_secret(tx)  # (pages are read on a read-only connection)
    return session


async def viewer(tx: Tx, session: str | None, now: int, config: Config) -> Viewer | Refused:
    """The lead behind a session cookie, checked again on every request."""
    if session is None or not well_formed(session):
        return Refused.NO_SESSION
    found = await store.session_person(tx, hashed(session))
    if found is None:
        return Refused.NO_SESSION
    person, ends = found
    role = await role_now(tx, person, config)
    if role < Role.LEAD:  # (a demotion ended their sessions already; the config's admins may change)
        await store.end_sessions(tx, person.id, now)
        return Refused.NOT_LEAD
    if ends <= now:
        return Refused.NO_SESSION
    return Viewer(person, role, person_zone(person, config))


async def sign_out(tx: Tx, session: str) -> None:
    if well_formed(session):
        await store.end_session(tx, hashed(session))
