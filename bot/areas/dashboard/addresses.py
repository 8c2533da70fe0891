"""Regions in the dashboard's addresses: an opaque id each, never the region (spec §16: no private
data in any URL). A region is private in a `visibility:leads` profile (§11), and a filter or a
drill-down naming the region such a member is alone in would put it in the browser's history and
the reverse proxy's log.

An id is an HMAC of the region's key under a secret kept in the database, made once (when the
server starts, or a session opens: pages are read on a read-only connection), so an address
keeps working across restarts and in every process on one database, and cannot be worked back to
a region by hashing names. An id is read back only from the regions in use: any other is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from bot.storage import state
from bot.storage.db import Tx

SECRET = "dashboard:address-secret"


async def keep_secret(tx: Tx) -> None:
    """Make the secret, once."""
    if await state.get(tx, SECRET) is None:
        await state.put(tx, SECRET, secrets.token_hex(32))


@dataclass(frozen=True)
class Regions:
    """The regions in use as addresses carry them: each key's id, and each id's key."""

    ids: dict[str, str]
    keys: dict[str, str]

    def id_of(self, key: str | None) -> str | None:
        return None if key is None else self.ids.get(key)

    def key_of(self, region_id: str) -> str | None:
        return self.keys.get(region_id)


async def regions(tx: Tx, keys: Iterable[str]) -> Regions:
    """The ids of these region keys (the regions in use, `choices`)."""
    secret = (await state.get(tx, SECRET) or "").encode()
    ids = {key: hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()[:16] for key in keys}
    return Regions(ids, {region_id: key for key, region_id in ids.items()})
