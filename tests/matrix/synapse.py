"""A real Synapse homeserver for the test suite: 127.0.0.1 only, offline, no Docker.

Tests of the Matrix adapter talk to a real server so that what passes here also works against
matrix.org: real sync tokens, real rate limiting, real end-to-end encryption. The config is
written by hand (design notes, testing.md, "A real Synapse in the test suite") because the
generated one trusts an outside key server and opens federation.

Process control (`start`, `stop`, `restart`) is synchronous so that a session-scoped fixture can
own the server independently of the per-test event loops. The HTTP helpers (`register`,
`override_ratelimit`) are async so they never block a test's event loop.

Typical use outside pytest (e.g. a bench script)::

    with Synapse(Path(tempfile.mkdtemp())) as synapse:
        alice = asyncio.run(synapse.register("alice"))
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self
from urllib.parse import quote

import aiohttp
import yaml
from signedjson.key import generate_signing_key, write_signing_keys

SERVER_NAME = "localhost"

# Every rate limiter Synapse 1.163 reads from its config. Raised so that tests measure our code,
# not Synapse's throttling (with the defaults nio silently retries 429s and a 20-message test
# takes a minute). A test that needs a real 429 lowers one user's limit: `override_ratelimit`.
_RATE_LIMITS = (
    "rc_message",
    "rc_registration",
    "rc_registration_token_validity",
    "rc_login.address",
    "rc_login.account",
    "rc_login.failed_attempts",
    "rc_admin_redaction",
    "rc_joins.local",
    "rc_joins.remote",
    "rc_joins_per_room",
    "rc_key_requests",
    "rc_3pid_validation",
    "rc_invites.per_room",
    "rc_invites.per_user",
    "rc_invites.per_issuer",
    "rc_third_party_invite",
    "rc_media_create",
    "rc_presence.per_user",
    "rc_delayed_event_mgmt",
    "rc_room_creation",
    "rc_reports",
    "rc_user_directory",
    "rc_profile",
)
_UNLIMITED = {"per_second": 1000, "burst_count": 1000}

_START_TIMEOUT_S = 60.0
_STOP_TIMEOUT_S = 10.0
_POLL_INTERVAL_S = 0.05
_LOG_TAIL_LINES = 60


class SynapseError(RuntimeError):
    """Synapse failed to start or refused an admin request; the message carries the details."""


@dataclass(frozen=True)
class RegisteredUser:
    """A user created on the test server, with the session Synapse opened for it.

    `access_token` and `device_id` belong to a real device created at registration: a client can
    `restore_login` with them instead of logging in again (and should, to keep one device).
    """

    user_id: str
    access_token: str
    device_id: str
    password: str


class Synapse:
    """One Synapse process serving the client API (and admin API) on 127.0.0.1.

    Everything lives under `directory` (config, signing key, SQLite database, media, log), so a
    `restart()` keeps users, rooms and messages. The port is chosen once and kept across restarts,
    so `base_url` stays valid for clients that outlive a restart.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.server_name = SERVER_NAME
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.config_path = directory / "homeserver.yaml"
        self.log_path = directory / "homeserver.log"
        self._shared_secret = secrets.token_hex(32)
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None
        self._admin: RegisteredUser | None = None
        self._write_config()

    # -- process control -------------------------------------------------------------------

    def start(self) -> None:
        """Start Synapse and return once it answers `/_matrix/client/versions`.

        Raises SynapseError with the tail of the log if the process exits or is not ready
        within a minute (it normally takes about two seconds).
        """
        if self._process is not None:
            raise SynapseError("Synapse is already running")
        self._log_file = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_ready(time.monotonic() + _START_TIMEOUT_S)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop Synapse with SIGTERM (it exits in about 0.1 s); SIGKILL it if it hangs."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def restart(self) -> None:
        """Stop and start again on the same port with the same data (about 2 s).

        Blocking: from an async test use `await asyncio.to_thread(synapse.restart)` so that the
        clients' sync loops keep running and notice the outage as a real client would.
        """
        self.stop()
        self.start()

    def forget_transaction_ids(self) -> None:
        """Make Synapse forget every transaction id, as it does a day after each send: the
        (device, txn id) → event mapping is deleted (`_cleanup_old_transaction_ids`), and the
        restart empties the in-memory cache of answered `PUT`s (`HttpTransactionCache`, kept up to
        an hour). A resend with an old txn id then posts the message again. What the events keep
        of their own (`unsigned.transaction_id`) stays. Blocking, like `restart`.
        """
        self.stop()
        with contextlib.closing(sqlite3.connect(self.directory / "homeserver.db")) as db, db:
            db.execute("DELETE FROM event_txn_id_device_id")
        self.start()

    @property
    def running(self) -> bool:
        """True while the Synapse process is alive."""
        return self._process is not None and self._process.poll() is None

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """The last lines of Synapse's log, for failure messages."""
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log written)"
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- admin API -------------------------------------------------------------------------

    async def register(
        self,
        username: str,
        password: str | None = None,
        *,
        admin: bool = False,
        displayname: str | None = None,
    ) -> RegisteredUser:
        """Create a user through the shared-secret admin API, as `register_new_matrix_user` does.

        The server lower-cases `username`. A random password is used when none is given; it is
        returned so a test can also log in with it (which creates another device).
        """
        password = password if password is not None else secrets.token_urlsafe(12)
        url = f"{self.base_url}/_synapse/admin/v1/register"
        async with aiohttp.ClientSession() as session:
            nonce = (await _json(await session.get(url)))["nonce"]
            mac = hmac.new(self._shared_secret.encode(), digestmod=hashlib.sha1)
            for part in (nonce, username, password):
                mac.update(part.encode())
                mac.update(b"\x00")
            mac.update(b"admin" if admin else b"notadmin")
            body: dict[str, Any] = {
                "nonce": nonce,
                "username": username,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            }
            if displayname is not None:
                body["displayname"] = displayname
            reply = await _json(await session.post(url, json=body))
        return RegisteredUser(
            user_id=reply["user_id"],
            access_token=reply["access_token"],
            device_id=reply["device_id"],
            password=password,
        )

    async def override_ratelimit(self, user_id: str, messages_per_second: int, burst_count: int) -> None:
        """Give one user their own message rate limit, so Synapse answers them with a real 429.

        Synapse replaces the configured `rc_message` (here 1000/s) with these values for this user —
        lowering works as well as raising — for every event they send (messages, state, joins,
        invites) and for creating rooms. Both must be whole numbers: `override_ratelimit(user, 1, 1)`
        lets one action through and rejects the next with M_LIMIT_EXCEEDED and `retry_after_ms`
        ≈ 1000 (Synapse holds each rejection 0.5 s before answering). `messages_per_second=0`
        switches every rate limiter off for the user. The override is kept in the database, so it
        survives a restart.
        """
        admin = await self._admin_user()
        url = f"{self.base_url}/_synapse/admin/v1/users/{quote(user_id)}/override_ratelimit"
        async with aiohttp.ClientSession() as session:
            await _json(
                await session.post(
                    url,
                    json={"messages_per_second": messages_per_second, "burst_count": burst_count},
                    headers={"Authorization": f"Bearer {admin.access_token}"},
                )
            )

    async def _admin_user(self) -> RegisteredUser:
        """The server admin used for admin API calls, created on first use (it persists)."""
        if self._admin is None:
            self._admin = await self.register(f"admin-{secrets.token_hex(4)}", admin=True)
        return self._admin

    # -- internals -------------------------------------------------------------------------

    def _write_config(self) -> None:
        """Write the signing key (generated as Synapse's own `--generate-keys` does, with
        signedjson) and a homeserver.yaml for a fast server that never goes online."""
        signing_key_path = self.directory / "signing.key"
        with signing_key_path.open("w") as key_file:
            write_signing_keys(key_file, [generate_signing_key("a_test")])
        config: dict[str, Any] = {
            "server_name": self.server_name,
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {
                "name": "sqlite3",
                "args": {"database": str(self.directory / "homeserver.db")},
            },
            "media_store_path": str(self.directory / "media_store"),
            "signing_key_path": str(signing_key_path),
            "registration_shared_secret": self._shared_secret,
            "enable_registration": False,
            "report_stats": False,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "federation_domain_whitelist": [],
            "bcrypt_rounds": 4,
            "url_preview_enabled": False,
            "enable_metrics": False,
            # No federation is possible (whitelist []), so don't run the sender that would
            # process every event for it (round trips get ~15 % faster). Stats stay on: the
            # room directory and the admin room list need them.
            "federation_sender_instances": [],
            # Without this, identical /sync requests get a cached, stale answer for 2 minutes.
            "caches": {"sync_response_cache_duration": 0},
        }
        for name in _RATE_LIMITS:
            section = config
            *parents, leaf = name.split(".")
            for parent in parents:
                section = section.setdefault(parent, {})
            section[leaf] = dict(_UNLIMITED)
        self.config_path.write_text(yaml.safe_dump(config, sort_keys=False))

    def _wait_until_ready(self, deadline: float) -> None:
        """Poll the versions endpoint until it answers, the process dies, or time runs out."""
        assert self._process is not None
        url = f"{self.base_url}/_matrix/client/versions"
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise SynapseError(
                    f"Synapse did not answer {url} within {_START_TIMEOUT_S:.0f} s.\n"
                    f"Last lines of {self.log_path}:\n{self.log_tail()}"
                )
            try:
                # Doubles as the pause between polls, but returns at once if Synapse exits.
                code = self._process.wait(timeout=_POLL_INTERVAL_S)
            except subprocess.TimeoutExpired:
                continue
            raise SynapseError(
                f"Synapse exited with code {code} during start-up.\nLast lines of {self.log_path}:\n{self.log_tail()}"
            )


async def _json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    """The JSON body of a successful response; SynapseError with Synapse's answer otherwise."""
    async with response:
        body: dict[str, Any] = await response.json(content_type=None)
        if response.status != 200:
            raise SynapseError(f"{response.method} {response.url} -> {response.status}: {body}")
        return body


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
