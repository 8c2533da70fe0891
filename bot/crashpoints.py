"""Named points where a crash test can freeze the process so its SIGKILL lands exactly there.

Set `VOLUNTEER_BOT_PAUSE_AT` to a point and the process, on reaching it, writes `paused at
<name>:<detail> (#<n>)` to standard error and stops doing anything until it is killed. The value
is `<name>` or `<name>:<detail>` (only where the detail matches exactly), either followed by
`#<n>`: the n-th time that point is reached in this process, counting from 1 (default the first).
With `VOLUNTEER_BOT_TRACE_POINTS` set, every point reached is written to standard error as
`reached <name>:<detail>`, so a test can choose where to kill a later run. Without either
variable a checkpoint costs two dictionary lookups.

Points, with their detail:
- `sweep-before-commit:<job name>` — a sweep job did its work, its transaction is not committed
  (`sweep-before-commit:weekly digest`; the names are `bot.catalog.jobs()`' and `housekeeping`);
- `deliver-before-send:<key>` — a message (or a person's bundle, `nudges:p7:2026-11-24`) is
  planned (a backlog's marked `sending`; the prompt lane's stay `pending`), not yet handed to
  the platform;
- `deliver-after-send:<key>` — the platform accepted it, it is not yet marked `sent`;
- `matrix-before-token` — a Matrix sync batch was handled, its token not yet stored;
- `reply-before-send:<platform>` — a command's transaction is committed, its answer not yet sent.

`tests/crash/` uses them to kill the bot inside every sweep job and around every kind of send;
`docs/scheduling.md` ("Crash safety") says what those tests prove.
"""

from __future__ import annotations

import os
import sys
import time

ENV = "VOLUNTEER_BOT_PAUSE_AT"
TRACE = "VOLUNTEER_BOT_TRACE_POINTS"

_reached: dict[str, int] = {}


def checkpoint(name: str, detail: str | None = None) -> None:
    """Freeze here (blocking the whole event loop) if a crash test asked for this point."""
    wanted = os.environ.get(ENV)
    tracing = TRACE in os.environ
    if wanted is None and not tracing:
        return
    place = name if detail is None else f"{name}:{detail}"
    if tracing:
        sys.stderr.write(f"reached {place}\n")
    if wanted is None:
        return
    point, _, count = wanted.partition("#")
    if point not in (name, place):
        return
    _reached[point] = seen = _reached.get(point, 0) + 1
    if seen != (int(count) if count else 1):
        return
    sys.stderr.write(f"paused at {place} (#{seen})\n")
    sys.stderr.flush()
    while True:  # the test kills the process now; nothing after this line may run
        time.sleep(3600)
