"""The bot's Matrix session: one device, kept for life, and what it must remember between runs.

A Matrix device is an access token plus its own encryption keys. The bot keeps the *same* device
across restarts, because the keys that let it read an encrypted room were shared with that device
only; a bot that logs in as a new device each time can no longer read what was sent before.

- With `MATRIX_ACCESS_TOKEN`, the token already belongs to a device; the server tells us which
  (`whoami`), so nothing needs to be stored.
- With `MATRIX_PASSWORD`, the bot logs in at each start *as the same device*: the id comes from
  `matrix.device_id` in the config, else from the database (`state` table, written after the
  first login). The password is never stored; the access token only lives in memory.

The encryption keys live in `matrix.store_path` (nio's SQLite store, one file per device), which
must be kept and backed up with the database. The device id, the sync token and the rooms known
to be direct chats live in the bot's database (through the adapter's `AdapterState`), so they
are committed and backed up with everything else.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig, LoginResponse, WhoamiResponse

from bot.config import ConfigError, MatrixSettings, Secrets
from bot.storage.state import AdapterState

log = logging.getLogger(__name__)

DEVICE_NAME = "volunteer-bot"


class SessionError(ConfigError):
    """The bot cannot log in with the configured account and credentials; the message says why."""


def txn_id(key: str) -> str:
    """The transaction id of `PUT /send/{txnId}` for a message with this idempotency key.

    The homeserver remembers (device, txn id) → event, so sending the same key again from the
    same device — after a crash between sending and recording it — returns the first event
    instead of posting a second one (Synapse keeps the mapping for 24 hours, across restarts).
    A hash keeps it short and within the characters a txn id may use, whatever the key holds.
    """
    return "vb-" + hashlib.sha256(key.encode()).hexdigest()[:32]


def namespace(user_id: str) -> str:
    """Where this bot account keeps its state (a database may serve several accounts)."""
    return f"matrix:{user_id}"


def quiet_nio() -> None:
    """nio logs user and room ids at INFO; the bot's INFO log must hold no personal data."""
    nio_log = logging.getLogger("nio")
    if nio_log.level == logging.NOTSET and not log.isEnabledFor(logging.DEBUG):
        nio_log.setLevel(logging.WARNING)


async def open_client(settings: MatrixSettings, secrets: Secrets, memory: AdapterState) -> AsyncClient:
    """A logged-in nio client on the bot's one device, its key store loaded."""
    if not settings.homeserver or not settings.user_id:
        raise ConfigError("`matrix.homeserver` and `matrix.user_id` must be set to connect to Matrix")
    quiet_nio()
    store = ""
    if settings.encryption:
        await asyncio.to_thread(Path(settings.store_path).mkdir, parents=True, exist_ok=True)
        store = settings.store_path
    config = AsyncClientConfig(
        encryption_enabled=settings.encryption,
        store_sync_tokens=False,  # kept in our database, committed after the commands they carry
        max_limit_exceeded=0,  # a 429 comes back to us; we wait or defer (see MatrixAdapter)
    )
    client = AsyncClient(settings.homeserver, settings.user_id, store_path=store, config=config)
    try:
        if secrets.matrix_access_token:
            await _restore(client, settings, secrets.matrix_access_token)
        elif secrets.matrix_password:
            await _login(client, settings, secrets.matrix_password, memory)
        else:
            raise SessionError("set MATRIX_ACCESS_TOKEN or MATRIX_PASSWORD to connect to Matrix")
    except BaseException:
        await client.close()
        raise
    log.info("matrix session ready (device %s, encryption %s)", client.device_id, settings.encryption)
    return client


async def _restore(client: AsyncClient, settings: MatrixSettings, token: str) -> None:
    client.access_token = token
    who = await client.whoami()
    if not isinstance(who, WhoamiResponse):
        raise SessionError(f"the homeserver refused MATRIX_ACCESS_TOKEN: {who.message}")
    if who.user_id != settings.user_id:
        raise SessionError(f"MATRIX_ACCESS_TOKEN belongs to {who.user_id}, but `matrix.user_id` is {settings.user_id}")
    if not who.device_id:
        raise SessionError("MATRIX_ACCESS_TOKEN has no device; create it by logging in, not as an admin")
    if settings.device_id and settings.device_id != who.device_id:
        log.warning(
            "matrix.device_id is %s but the access token is for device %s; using the token's",
            settings.device_id,
            who.device_id,
        )
    client.restore_login(settings.user_id, who.device_id, token)


async def _login(client: AsyncClient, settings: MatrixSettings, password: str, memory: AdapterState) -> None:
    assert settings.user_id is not None
    stored = await memory.get("device_id")
    client.device_id = settings.device_id or stored or ""
    response = await client.login(password, device_name=DEVICE_NAME)
    if not isinstance(response, LoginResponse):
        raise SessionError(f"Matrix login as {settings.user_id} failed: {response.message}")
    if response.device_id != stored:
        await memory.put("device_id", response.device_id)
        log.info("matrix device %s remembered for the next start", response.device_id)
