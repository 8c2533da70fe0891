"""Before sending a message again: which of its parts an earlier try already posted.

A transaction id (`txn_id`) makes a resend idempotent only while the homeserver remembers it,
and Synapse forgets it after 24 hours (`_cleanup_old_transaction_ids`), while a message can wait
far longer before its next try (a crash left it `sending`, then the person's week-long pause held
it; retries backing off over days). So when `Delivery.tried_since` says an earlier try may have
reached the room, `Outbound.post` first looks here for what it posted, and sends the rest.

How a part is recognised: the homeserver returns an event's `unsigned.transaction_id` to the
device that sent it, from the event's own metadata, which outlives the 24-hour mapping (Synapse
1.163, tried: `/messages` still returns it once the mapping is gone, tests/matrix/test_adapter_resend.py;
never to another device of the account). The bot keeps one device for life (`matrix_session`), so the
transaction id of a part's key names that part exactly — in an encrypted room too, since it sits
outside the ciphertext, and never a message of the same text posted under another key. (A bot
that lost its device and logged in as a new one cannot see what the old one sent: it posts again.)

The look is bounded: `/messages` backwards from the end of the room, the bot's own messages only
(a filter), until one older than `since` (less `CLOCK_MARGIN`: the bot's clock dated the message,
the homeserver's dates its events), until every part is found, or `MAX_PAGES` pages (then what
was not found is sent: more than that many messages of the bot since is a busy room, and a
message never sent would be worse than one sent twice). It is no guess: a look that fails raises
`SendFailed` (the deliverer tries again later) and a rate limit behaves as on a send; only a room
the bot cannot read at all (403) counts as holding nothing, since a send to it is refused alike.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol, TypeVar

from nio import AsyncClient, ErrorResponse, MessageDirection, RoomMessagesResponse

from bot.adapters.matrix_session import txn_id

R = TypeVar("R")

log = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_PAGES = 3
CLOCK_MARGIN = timedelta(minutes=5)
FORBIDDEN = "M_FORBIDDEN"


class Outbound(Protocol):
    """What the look needs of `matrix_send.Outbound` (which imports this module)."""

    client: AsyncClient
    user_id: str

    async def request(
        self, call: Callable[[], Awaitable[R | ErrorResponse]], *, patient: bool, what: str, paced: bool = True
    ) -> R: ...


async def already_posted(
    outbound: Outbound, room_id: str, keys: Sequence[str], since: datetime, *, patient: bool
) -> set[str]:
    """Those of `keys` (one per event of a message) whose event the bot posted in the room since
    `since` (see the module docstring)."""
    wanted = {txn_id(key): key for key in keys}
    oldest_ms = int((since - CLOCK_MARGIN).timestamp() * 1000)
    message_filter = {"senders": [outbound.user_id], "types": ["m.room.message", "m.room.encrypted"]}

    async def look(start: str | None) -> RoomMessagesResponse | ErrorResponse | None:
        response = await outbound.client.room_messages(
            room_id, start, direction=MessageDirection.back, limit=PAGE_SIZE, message_filter=message_filter
        )
        if isinstance(response, ErrorResponse) and response.status_code == FORBIDDEN:
            return None
        return response

    found: set[str] = set()
    start: str | None = None  # none: from the end of the room (Synapse 1.163 takes `from` as optional)
    for _ in range(MAX_PAGES):
        page = await outbound.request(partial(look, start), patient=patient, what="look back", paced=False)
        if page is None:
            log.info("cannot read %s to look for an earlier try; sending", room_id)
            return found
        for event in page.chunk:
            source: dict[str, Any] = event.source
            if source.get("origin_server_ts", 0) < oldest_ms:
                return found
            key = wanted.get(source.get("unsigned", {}).get("transaction_id", ""))
            if key is not None and source.get("sender") == outbound.user_id:
                found.add(key)
                if len(found) == len(wanted):
                    return found
        if not page.chunk or not page.end or page.end == start:
            return found  # the beginning of the room
        start = page.end
    log.warning("the bot posted more in %s than looked through since an earlier try; sending the rest", room_id)
    return found
