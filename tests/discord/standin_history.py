"""Get Channel Messages (``GET /channels/{channel_id}/messages``): which stored messages a query
returns, and in what order, as Discord answers it (developers/resources/message#get-channel-messages).

- ``limit`` 1-100, default 50; at most one of ``around``, ``before`` and ``after`` (snowflakes).
  Discord documents the three as mutually exclusive; the stand-in refuses a query with several
  (400, 50035) so a bot that sends them finds out, instead of having one silently ignored.
- Always newest first, also for ``after``: the ``limit`` messages *just after* ``after``, the
  newest of them first. discord.py relies on both halves when it pages forward
  (``history(oldest_first=True)`` reverses each page and continues after its first, newest,
  entry).
- ``around``: up to ``limit // 2`` messages on each side of the id, and the message with that id
  if there is one, so an even limit can give limit + 1 (``around=id&limit=1`` is that message).
- Deleted and ephemeral messages are in no history. The route answers 404 10003 for an unknown
  channel and 50001 without VIEW_CHANNEL, but without READ_MESSAGE_HISTORY it answers an empty
  list, not an error: "If the current user is missing the READ_MESSAGE_HISTORY permission in the
  channel, then no messages will be returned."
- A bad value gets Discord's 400 50035 with the field named: ``NUMBER_TYPE_MIN`` /
  ``NUMBER_TYPE_MAX`` for a limit out of range, ``NUMBER_TYPE_COERCE`` for what is not an int or
  a snowflake.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .standin_errors import field_error
from .standin_model import Message
from .standin_validation import Problems

DEFAULT_LIMIT = 50
MIN_LIMIT, MAX_LIMIT = 1, 100
ANCHORS = ("around", "before", "after")
MAX_SNOWFLAKE = 2**64 - 1


@dataclass(frozen=True)
class HistoryQuery:
    """A validated query: the limit, and which anchor (if any) with its id."""

    limit: int = DEFAULT_LIMIT
    anchor: str | None = None  # "around", "before" or "after"
    anchor_id: int = 0

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> HistoryQuery:
        """The query string's values, or ``ApiError`` 50035 naming every bad one."""
        problems = Problems()
        limit = DEFAULT_LIMIT
        if "limit" in query:
            raw = query["limit"]
            if not _is_integer(raw):
                problems.add(["limit"], field_error("NUMBER_TYPE_COERCE", f'Value "{raw}" is not int.'))
            elif int(raw) < MIN_LIMIT:
                message = f"int value should be greater than or equal to {MIN_LIMIT}."
                problems.add(["limit"], field_error("NUMBER_TYPE_MIN", message))
            elif int(raw) > MAX_LIMIT:
                message = f"int value should be less than or equal to {MAX_LIMIT}."
                problems.add(["limit"], field_error("NUMBER_TYPE_MAX", message))
            else:
                limit = int(raw)
        given = [name for name in ANCHORS if name in query]
        for name in given:
            raw = query[name]
            if not (raw.isascii() and raw.isdigit() and int(raw) <= MAX_SNOWFLAKE):
                problems.add([name], field_error("NUMBER_TYPE_COERCE", f'Value "{raw}" is not snowflake.'))
        if len(given) > 1:
            # Discord's documentation: "mutually exclusive, only one may be passed at a time".
            message = "around, before and after are mutually exclusive; only one may be passed at a time."
            for name in given:
                problems.add([name], field_error("STANDIN_MUTUALLY_EXCLUSIVE", message))
        problems.raise_if_any()
        if not given:
            return cls(limit)
        return cls(limit, given[0], int(query[given[0]]))

    def select(self, history: list[Message]) -> list[Message]:
        """The messages this query returns from ``history`` (oldest first), newest first."""
        ordered = sorted(history, key=lambda m: m.id)
        if self.anchor == "before":
            chosen = [m for m in ordered if m.id < self.anchor_id][-self.limit :]
        elif self.anchor == "after":
            chosen = [m for m in ordered if m.id > self.anchor_id][: self.limit]
        elif self.anchor == "around":
            half = self.limit // 2
            older = [m for m in ordered if m.id < self.anchor_id]
            newer = [m for m in ordered if m.id > self.anchor_id]
            itself = [m for m in ordered if m.id == self.anchor_id]
            chosen = (older[-half:] if half else []) + itself + newer[:half]
        else:
            chosen = ordered[-self.limit :]
        return chosen[::-1]


def _is_integer(raw: str) -> bool:
    digits = raw[1:] if raw[:1] in ("-", "+") else raw
    return digits.isascii() and digits.isdigit()
