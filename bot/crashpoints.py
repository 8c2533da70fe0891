"""Named points where a crash test can freeze the process so its SIGKILL lands exactly there.

Set `VOLUNTEER_BOT_PAUSE_AT` to a point's name and the process, on reaching it, writes
`paused at <name>` to standard error and stops doing anything until it is killed. Without the
variable a checkpoint costs one dictionary lookup. Points: `sweep-before-commit`,
`deliver-before-send`, `deliver-after-send`, `matrix-before-token` (a Matrix sync batch was
handled, its token not yet stored).
"""

from __future__ import annotations

import os
import sys
import time

ENV = "VOLUNTEER_BOT_PAUSE_AT"


def checkpoint(name: str) -> None:
    """Freeze here (blocking the whole event loop) if a crash test asked for this point."""
    if os.environ.get(ENV) != name:
        return
    sys.stderr.write(f"paused at {name}\n")
    sys.stderr.flush()
    while True:  # the test kills the process now; nothing after this line may run
        time.sleep(3600)
