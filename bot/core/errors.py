"""Errors that are for people.

A `UserError` is a known business reason ("that ask is full"). Its text becomes the reply, with
the next step the person can take. Anything else is a bug: logged with an incident id, and the
person sees an apology with that id, never a traceback.
"""

from __future__ import annotations

from bot.core.text import Rich, fmt


class UserError(Exception):
    """Something the person can fix; `message` says what and how."""

    def __init__(self, message: Rich | str) -> None:
        self.message: Rich = fmt(message) if isinstance(message, str) else message
        super().__init__("".join(getattr(span, "text", "") for span in self.message))


class UsageError(UserError):
    """The command was typed wrong: unknown name, missing or malformed arguments."""


class NotFound(UserError):
    """The thing named does not exist (or the speaker may not know that it does)."""


class NotAllowed(UserError):
    """The speaker may not do this; the message says who can and how to ask."""


class Conflict(UserError):
    """The request clashes with the current state: a full ask, a duplicate claim."""


class TooLong(UsageError):
    """Input over a documented limit; the message says the limit."""
