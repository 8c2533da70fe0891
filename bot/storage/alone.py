"""One running bot per SQLite file (docs/design-notes.md, "Known limits").

The deliverer's "nothing new is due" shortcut, the flood gate and every platform connection live
in one process's memory, and SQLite's backend claims nothing across processes: a second bot on
the same file (a second `./dev run`, a manual start beside the service, a deploy that overlaps
the old process) would answer each command twice and send every reminder twice. So a running
bot (`python -m bot run` or `console`) holds an exclusive lock on a file beside the database,
`<file>.lock`, for as long as it runs, and a second one is refused in one line. The operating
system lets go of the lock when the process ends, however it ends (`kill -9` too), so a restart
never finds a stale one (the small file stays, holding the last holder's pid). Tools that may
run beside the bot (`backup`, `migrate`, `web`) take no lock; `copy-db` holds it while it
copies, so that no bot changes either side meanwhile. PostgreSQL needs none: several processes
share it by design (`docs/postgres.md`). Without `fcntl` (Windows) there is no lock.

A service's restart may overlap the old process, which still delivers what it has in hand while
it stops: `run` waits for the lock a while (`hold`) before giving up, where a refusal at once
would fail the start, and systemd gives up on a unit that fails five times in ten seconds. The
console, started by a person, is told at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from bot.storage.targets import DatabaseUnavailable, backend_of, sqlite_path

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

#: How often `hold` tries the lock again while another process has it.
RETRY_SECONDS = 0.25


class AlreadyRunning(DatabaseUnavailable):
    """Another bot process runs on this SQLite file; `running` says which and where."""

    def __init__(self, running: str) -> None:
        super().__init__(
            f"{running}; stop it first (one bot per SQLite file; several processes need PostgreSQL, docs/postgres.md)"
        )
        self.running = running


@contextlib.contextmanager
def running_alone(target: str) -> Iterator[None]:
    """Hold `target`'s lock while the block runs (nothing for PostgreSQL or an in-memory database);
    `AlreadyRunning` when another process holds it."""
    if fcntl is None or backend_of(target) != "sqlite" or sqlite_path(target) == ":memory:":
        yield
        return
    file = Path(sqlite_path(target))
    lock = Path(f"{file}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)  # as opening the database would
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            pid = f" (pid {holder})" if holder.isdigit() else ""
            raise AlreadyRunning(f"another bot process{pid} is running on {file}") from None
        except OSError as error:  # a file system without locks (some network mounts): run, but say so
            log.warning("can't lock %s (%s): a second bot on this file would not be refused", lock, error.strerror)
        else:
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # (releases the lock, if held)


async def hold(stack: contextlib.ExitStack, target: str, patience: float) -> None:
    """Take `target`'s lock into `stack` (`running_alone`), waiting up to `patience` seconds for
    another process to let go of it; `AlreadyRunning` after that."""
    deadline = time.monotonic() + patience
    told = False
    while True:
        try:
            stack.enter_context(running_alone(target))
            return
        except AlreadyRunning as refused:
            if time.monotonic() >= deadline:
                raise
            if not told:
                log.warning("%s; waiting up to %.0f s for it to stop", refused.running, patience)
                told = True
            await asyncio.sleep(RETRY_SECONDS)
