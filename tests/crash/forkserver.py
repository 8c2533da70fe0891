"""A process that has imported the bot once and forks a fresh bot process for each request.

Starting Python and importing the bot costs about 0.5 s of CPU; a fork of a process that already
did costs a few milliseconds. Each child is still a process of its own, with its own files,
environment and crash point, run by `bot.__main__.main` exactly as `python -m bot` runs it, and
killed for real with SIGKILL; nothing runs in the server but imports, so every child starts as
fresh as a new interpreter would (no event loop, thread or connection exists before the fork).

Protocol, one JSON object a line: a request on standard input `{"id", "argv", "env", "stdin",
"stdout", "stderr"}` (`env`: variables to set, or to remove when null; the rest are file paths)
is answered `{"id", "pid"}` on standard output, and `{"id", "exit"}` when the child ends
(its exit code, or minus the signal that ended it). End of input: leftover children are killed
and the server exits.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys

import bot.__main__  # everything a bot process imports, once
from bot.areas.announcements import rules as announcements

#: The scenario's network is five people, and an announcement's shares are 2,000 people: shares
#: of two make a kill between two shares of an announcement reachable (`test_every_job.py`).
#: Where a share ends changes where a kill can land, nothing the bot does.
announcements.SHARE = 2


def _child(request: dict[str, object], wakeup: tuple[int, int]) -> None:
    """In the forked process: become `python -m bot <argv>` with the request's files and variables."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in wakeup:
            os.close(fd)
        for target, path, flags in ((0, request["stdin"], os.O_RDONLY), (1, request["stdout"], os.O_WRONLY),
                                    (2, request["stderr"], os.O_WRONLY)):  # fmt: skip
            fd = os.open(str(path), flags | (os.O_CREAT | os.O_TRUNC if target else 0), 0o644)
            os.dup2(fd, target)
            os.close(fd)
        for name, value in dict(request["env"]).items():  # type: ignore[call-overload]
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        code = bot.__main__.main(list(request["argv"]))  # type: ignore[call-overload]
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os._exit(code)


def serve() -> None:
    wakeup = os.pipe()
    os.set_blocking(wakeup[1], False)
    signal.set_wakeup_fd(wakeup[1])
    signal.signal(signal.SIGCHLD, lambda *_: None)
    children: dict[int, object] = {}
    pending = b""

    def say(reply: dict[str, object]) -> None:
        os.write(1, (json.dumps(reply) + "\n").encode())

    while True:
        ready, _, _ = select.select([0, wakeup[0]], [], [])
        if wakeup[0] in ready:
            os.read(wakeup[0], 4096)
            while children:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                say({"id": children.pop(pid), "exit": os.waitstatus_to_exitcode(status)})
        if 0 in ready:
            chunk = os.read(0, 65536)
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    _child(request, wakeup)
                children[pid] = request["id"]
                say({"id": request["id"], "pid": pid})
    for pid in children:
        os.kill(pid, signal.SIGKILL)


if __name__ == "__main__":
    serve()
