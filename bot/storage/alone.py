"""One running bot per SQLite file (docs/design-notes.md, "Known limits").

The deliverer's "nothing new is due" shortcut, the flood gate and every platform connection live
in one process's memory, and SQLite's backend claims nothing across processes: a second bot on
the same file (a second `./dev run`, a manual start beside the service, a deploy that overlaps
the old process) would answer each command twice and send every reminder twice. So a running
bot (`python -m bot run` or `console`) holds an exclusive lock on a file beside the database,
`<file>.lock`, for as long as it runs, and a second one is refused in one line. The operating
system lets go of the lock when the process ends, however it ends (`kill -9` too), so a restart
never finds a stale one; the small file stays, empty of meaning. Tools that may run beside the
bot (`backup`, `migrate`, `web`, `copy-db`) take no lock. PostgreSQL needs none: several
processes share it by design (`docs/postgres.md`). Without `fcntl` (Windows) there is no lock.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from bot.storage.targets import DatabaseUnavailable, backend_of, sqlite_path

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]


class AlreadyRunning(DatabaseUnavailable):
    """Another bot process runs on this SQLite file."""


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
            raise AlreadyRunning(
                f"another bot process{f' (pid {holder})' if holder.isdigit() else ''} is running on {file}; "
                "stop it first (one bot per SQLite file; several processes need PostgreSQL, docs/postgres.md)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # (releases the lock, if held)
