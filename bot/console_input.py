"""Reading the console's input: a prompt with line editing and history at a terminal, and a
Ctrl-C that quits at once.

Lines are read on a thread of their own (reading blocks, the bot's event loop must not), one at a
time: the next prompt appears only after the bot has answered the last line, so replies never
land in the middle of what is being typed. At a terminal the standard library's `readline` gives
the arrow keys, editing and this session's history (kept in memory only: a console session can
hold private test data). Ctrl-C stops the reading at once, even in the middle of a line or a
command, and the terminal is put back as it was; SIGTERM (a `kill`, a supervisor stopping it)
ends it the same way. Piped input is read to its end, without a prompt; a script saved with a
byte-order mark (some Windows editors add one) keeps its first line.

It also holds what a console name is (`name_problem`): the console, `--as` and the config check
must agree on it, and this module imports nothing of the bot's, so each can use it.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import TextIO

Feed = Callable[[str], Awaitable[None]]

#: Longest console name, as on Discord: a longer one is refused rather than cut.
NAME_CHARS = 32
#: A console name: one word of any alphabet, starting with a letter and ending with a letter or
#: digit (`.`, `-` and `_` only inside), so `@alice.` at the end of a sentence mentions alice.
NAME = r"[^\W\d_](?:[\w.-]*[^\W_])?"
_NAME = re.compile(NAME)
_BOM = "\ufeff"
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def name_problem(name: str) -> str | None:
    """Why `name` can't be a console name (`NAME:`, `@NAME`, `--as`, `console.user`), or None:
    a name that is refused is said to be, never quietly replaced by another."""
    if not _NAME.fullmatch(name):
        if name.startswith("@") and _NAME.fullmatch(name[1:]):
            return f"{name} is a mention; the name is {name[1:]}, without the @"
        return f"{name!r} can't be a name (a name is one word that starts with a letter, like alice or Émile)"
    if len(name) > NAME_CHARS:
        return f"{name[:NAME_CHARS]}… is too long for a name (at most {NAME_CHARS} characters)"
    return None


class Terminal:
    """Where console lines come from: `input()` with a prompt at a terminal, else plain lines."""

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        _forgiving(self.stdin, "surrogateescape")
        _forgiving(self.stdout, "backslashreplace")
        self.interactive = self.stdin.isatty()
        self.prompt: Callable[[], str] = lambda: "> "
        self._reading = False
        self._typed = _line_editing() if self.interactive else None
        self._first = True

    def read(self) -> str | None:
        """One line without its newline, or None at the end of the input."""
        if not self.interactive:
            line = self.stdin.readline()
            if self._first:  # read as UTF-8-SIG: a byte-order mark is not part of the first line
                self._first, line = False, line.removeprefix(_BOM)
            return line.rstrip("\n") if line else None
        self._reading = True
        try:
            return input(self.prompt())
        except EOFError:
            self.stdout.write("\n")
            return None
        finally:
            self._reading = False

    def write(self, line: str) -> None:
        """Print one line of the bot's; while a prompt is shown, above it, with the prompt redrawn."""
        if self._reading and self._typed is not None:
            self.stdout.write(f"\r\x1b[K{line}\n{self.prompt()}{self._typed()}")
        else:
            self.stdout.write(line + "\n")
        self.stdout.flush()


def _forgiving(stream: TextIO, errors: str) -> None:
    """Read bytes that are not UTF-8 (a script saved as Latin-1, a mistyped key) and write text
    holding them, as the console does under the C.UTF-8 locale: under another (en_US.UTF-8, the
    usual one) Python reads and writes strictly, and one such byte stopped the reading with a
    traceback and left the console waiting for ever, or stopped the console on echoing it. The
    bot then answers the line as it answers invalid text on any platform (spec §11)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors=errors)


def _line_editing() -> Callable[[], str] | None:
    """Load `readline`, which `input()` then uses for editing and history (absent on Windows);
    returns how to get what is typed so far."""
    try:
        import readline
    except ImportError:
        return None
    return readline.get_line_buffer


async def read_lines(terminal: Terminal, feed: Feed) -> bool:
    """Feed every line to `feed` until the input ends; True if it ended by Ctrl-C or SIGTERM."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    answered = threading.Event()

    def reader() -> None:
        while True:
            try:
                line = terminal.read()
            except Exception as error:  # (a terminal that went away): the input has ended, said once
                line = None  # rather than a traceback, and a console waiting for ever for a line
                with contextlib.suppress(Exception):
                    print(f"console: can't read more input ({error}); stopping.", file=sys.stderr)
            loop.call_soon_threadsafe(lines.put_nowait, line)
            if line is None:
                return
            answered.wait()
            answered.clear()

    async def consume() -> None:
        while (line := await lines.get()) is not None:
            try:
                await feed(line)
            finally:
                answered.set()

    work = asyncio.create_task(consume(), name="console-lines")
    stopped: list[bool] = []

    def stop() -> None:  # (a signal may come as the input ends: it was still a Ctrl-C or a kill)
        stopped.append(True)
        work.cancel()

    interruptible = _on_stop(loop, stop)  # before the first prompt: Ctrl-C may come at once
    threading.Thread(target=reader, name="console-input", daemon=True).start()
    with _terminal_kept(terminal):
        try:
            await work
        except asyncio.CancelledError:
            if not work.cancelled() or _cancelling():
                raise  # someone cancelled us, not Ctrl-C
            return True
        finally:
            if interruptible:
                for stop_signal in _STOP_SIGNALS:
                    loop.remove_signal_handler(stop_signal)
    return bool(stopped)


def _on_stop(loop: asyncio.AbstractEventLoop, stop: Callable[[], object]) -> bool:
    """Ctrl-C and SIGTERM both stop reading: a console stopped by `kill` or a supervisor says
    goodbye and exits 0, as one quit at the keyboard does, instead of dying with 143."""
    try:
        for stop_signal in _STOP_SIGNALS:
            loop.add_signal_handler(stop_signal, stop)
    except (NotImplementedError, RuntimeError, ValueError):  # not on this platform or thread
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGINT)
        return False
    return True


def _cancelling() -> int:
    task = asyncio.current_task()
    return task.cancelling() if task is not None else 0


@contextlib.contextmanager
def _terminal_kept(terminal: Terminal) -> Iterator[None]:
    """Put the terminal's settings back afterwards: readline changes them while it waits for a key."""
    saved = None
    if terminal.interactive:
        with contextlib.suppress(ImportError, OSError):
            import termios

            saved = termios.tcgetattr(terminal.stdin.fileno())
    try:
        yield
    finally:
        if saved is not None:
            import termios

            with contextlib.suppress(OSError):
                termios.tcsetattr(terminal.stdin.fileno(), termios.TCSADRAIN, saved)
