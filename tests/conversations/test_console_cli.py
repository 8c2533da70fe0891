"""The console as a user runs it: `python -m bot console` reading a piped script (spec §9)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WHAT_A_NAME_IS = "(a name is one word that starts with a letter, like alice or Émile)"


def run_console(script: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", "--db", str(tmp_path / "c.sqlite3"), *extra],
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_a_piped_script_runs_to_the_end_and_exits_zero(tmp_path: Path) -> None:
    script = """
!volunteer research
bob: !volunteer research
!ask title:"Compile resources" skill:research
::in dm
bob: !claim 1
::in #general
::now
::at 2026-12-01T09:00Z
::now
"""
    result = run_console(script, tmp_path, "--start", "2026-11-23T16:00Z")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "[#general] Welcome aboard, you! You're signed up."
    assert "[to bob] A new ask matches your skills:" in lines
    assert any(line.startswith("[to bob] It's yours: ask 1") for line in lines)
    assert "[clock] 2026-11-23T16:00:00Z" in lines
    assert "[clock] 2026-12-01T09:00:00Z" in lines
    assert all(line.startswith(("[#general] ", "[to ", "[clock] ", "  ")) for line in lines), lines
    assert "Traceback" not in result.stderr


def test_the_as_user_is_an_admin_and_others_are_members(tmp_path: Path) -> None:
    script = '!ask title:"Mine"\nbob: !ask title:"Not allowed"\n'
    out = run_console(script, tmp_path, "--as", "maria").stdout
    assert "Posted ask 1." in out
    assert "Only leads can use `ask`" in out


def test_the_database_persists_between_runs(tmp_path: Path) -> None:
    run_console("!volunteer research\n", tmp_path)
    out = run_console("bob: !whois you\n", tmp_path).stdout
    assert "skills: research" in out


def test_an_unknown_directive_explains_itself(tmp_path: Path) -> None:
    out = run_console("::jump 3d\n::advance soon\n", tmp_path).stdout
    assert "[console] I don't know ::jump 3d" in out
    assert "[console] I can't read soon as a length of time" in out


def test_run_without_credentials_starts_the_console_and_says_what_to_set(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--db", str(tmp_path / "r.sqlite3")],
        input="!help\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )
    assert result.returncode == 0
    assert "DISCORD_TOKEN" in result.stderr and "MATRIX_ACCESS_TOKEN" in result.stderr
    assert "[#general] **Volunteers and profiles**" in result.stdout or "Volunteers and profiles" in result.stdout


def test_migrate_backup_and_check_config(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    migrate = subprocess.run(
        [sys.executable, "-m", "bot", "migrate", "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert migrate.returncode == 0 and "schema at version" in migrate.stdout
    copy = tmp_path / "copy.sqlite3"
    backup = subprocess.run(
        [sys.executable, "-m", "bot", "backup", str(copy), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert backup.returncode == 0 and copy.exists()
    again = subprocess.run(
        [sys.executable, "-m", "bot", "backup", str(copy), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert again.returncode == 2 and "--force" in again.stderr
    check = subprocess.run(
        [sys.executable, "-m", "bot", "check-config", "--config", str(ROOT / "config.example.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert check.returncode == 0 and "config OK" in check.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("nope: 1\n")
    broken = subprocess.run(
        [sys.executable, "-m", "bot", "check-config", "--config", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert broken.returncode == 2 and "unknown key `nope`" in broken.stderr


def test_every_example_script_runs_cleanly(tmp_path: Path) -> None:
    scripts = sorted((ROOT / "examples").glob("*.txt"))
    assert scripts, "examples/ should hold console scripts"
    for script in scripts:
        result = run_console(script.read_text(), tmp_path / script.stem, "--start", "2026-11-23T16:00Z")
        assert result.returncode == 0, (script.name, result.stderr)
        assert "incident" not in result.stdout, script.name
        assert "Traceback" not in result.stderr, script.name


class Terminal:
    """`python -m bot console` on a pseudo-terminal, typed at as a person would."""

    def __init__(self, tmp_path: Path) -> None:
        import pty

        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the console, with the pty as its controlling terminal
            os.chdir(ROOT)
            os.execv(sys.executable, [sys.executable, "-m", "bot", "console", "--db", str(tmp_path / "t.sqlite3")])
        self.seen = b""

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def wait_for(self, text: str, timeout: float = 30) -> str:
        """Everything shown until `text` appears (from the last call on)."""
        deadline = time.monotonic() + timeout
        while text.encode() not in self.seen and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child has gone
                    break
                self.seen += chunk
        shown, found, rest = self.seen.partition(text.encode())
        assert found, f"never saw {text!r}; saw {self.seen.decode(errors='replace')!r}"
        self.seen = rest
        return (shown + found).decode(errors="replace")

    def exit_code(self, timeout: float = 10) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("the console did not exit")


PROMPT = "you in #general> "


def test_at_a_terminal_there_is_a_prompt_and_the_up_arrow_recalls_the_last_line(tmp_path: Path) -> None:
    term = Terminal(tmp_path)
    assert "Ctrl-C or Ctrl-D quits" in term.wait_for(PROMPT)
    term.type("!volunteer research\r")
    assert "Welcome aboard, you!" in term.wait_for(PROMPT)
    term.type("\x1b[A\r")  # up-arrow, Enter: the same command again
    again = term.wait_for(PROMPT)
    assert "^[[A" not in again
    assert "Already on your profile: research." in again
    term.type("::in dm\r")
    term.wait_for("you in a private chat> ")
    term.type("\x04")  # Ctrl-D on an empty line
    assert "Bye!" in term.wait_for("Bye!")
    assert term.exit_code() == 0


def test_ctrl_c_quits_at_once_even_halfway_through_a_line(tmp_path: Path) -> None:
    term = Terminal(tmp_path)
    term.wait_for(PROMPT)
    term.type("!volunteer half-typ")
    term.wait_for("half-typ")
    started = time.monotonic()
    term.type("\x03")  # Ctrl-C, without Enter
    shown = term.wait_for("Bye!", timeout=5)
    assert time.monotonic() - started < 5
    assert "Traceback" not in shown and "KeyboardInterrupt" not in shown
    assert term.exit_code() == 0


def test_a_line_without_the_prefix_in_the_channel_gets_a_hint_once(tmp_path: Path) -> None:
    out = run_console("hello everyone\nhow is it going?\nbob: hi all\n::in dm\nhello bot\n", tmp_path).stdout
    hint = "[console] Commands start with `!` here, e.g. `!help`."
    assert out.splitlines().count(hint) == 2  # once for you, once for bob; not again, not in DMs
    assert out.splitlines()[0] == hint


def test_sigterm_ends_the_console_as_ctrl_c_does(tmp_path: Path) -> None:
    console = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--db", str(tmp_path / "c.sqlite3")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    assert console.stdin is not None and console.stdout is not None
    console.stdin.write("!volunteer research\n")
    console.stdin.flush()
    assert console.stdout.readline().startswith("[#general] Welcome aboard, you!")
    console.send_signal(signal.SIGTERM)  # the input is still open: only the signal can end it
    console.wait(timeout=30)  # (not `communicate`, which closes the input: an end of its own)
    err = console.stderr.read() if console.stderr is not None else ""
    console.stdin.close()
    assert console.returncode == 0, err
    assert err.startswith("\nBye! Everything is saved in "), err


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("two words", f"'two words' can't be a name {WHAT_A_NAME_IS}"),
        ("a:b", f"'a:b' can't be a name {WHAT_A_NAME_IS}"),
        ("@bob", "@bob is a mention; the name is bob, without the @"),
    ],
)  # fmt: skip
def test_as_refuses_a_name_no_console_line_could_speak_as(tmp_path: Path, name: str, said: str) -> None:
    result = run_console("!volunteer research\n", tmp_path, "--as", name)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"python -m bot console: error: argument --as: {said}"
    assert not (tmp_path / "c.sqlite3").exists()


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--start", "next week"], "argument --start: I can't read 'next week' as a time. Try 2026-12-01T09:00Z."),
        (["--start", "2026-13-01"], "argument --start: I can't read '2026-13-01' as a time. Try 2026-12-01T09:00Z."),
        (["--journal", "{tmp}"], "argument --journal: {tmp} is a folder; give a file in it, like {tmp}/journal.jsonl"),
        (["--journal", "{tmp}/no/j.jsonl"], "argument --journal: the folder {tmp}/no does not exist; create it first"),
        (
            ["--downloads", "{tmp}/c.sqlite3"],
            "argument --downloads: can't use {tmp}/c.sqlite3 as a folder (File exists)",
        ),
    ],
)
def test_a_console_option_that_cannot_be_used_is_one_line_and_changes_nothing(
    tmp_path: Path, extra: list[str], said: str
) -> None:
    (tmp_path / "c.sqlite3").write_bytes(b"")
    result = run_console("!volunteer research\n", tmp_path, *(arg.format(tmp=tmp_path) for arg in extra))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"python -m bot console: error: {said.format(tmp=tmp_path)}"
    assert (tmp_path / "c.sqlite3").read_bytes() == b""  # the database was not even opened


def test_the_dashboard_on_a_database_that_is_not_one_says_so_in_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database, " * 1000)
    for command in (["web", "--db", str(notes)], ["dashboard-link", "--db", str(notes), "alice"]):
        done = subprocess.run(
            [sys.executable, "-m", "bot", *command], capture_output=True, text=True, timeout=60, cwd=ROOT
        )
        assert done.returncode == 2
        assert done.stderr.startswith(f"database error: {notes} is not a volunteer-bot database"), done.stderr


def test_a_database_url_naming_no_file_is_refused_rather_than_kept_in_a_temporary_file(tmp_path: Path) -> None:
    for command in (["console", "--db", "sqlite://"], ["migrate", "--db", "sqlite:///"]):
        done = subprocess.run(
            [sys.executable, "-m", "bot", *command], input="!volunteer research\n", capture_output=True, text=True,
            timeout=60, cwd=ROOT,
        )  # fmt: skip
        assert done.returncode == 2
        assert done.stderr == "database error: the database names no file; give one like /data/volunteer-bot.sqlite3\n"


def test_a_console_directive_with_a_time_that_is_not_one_says_what_to_write(tmp_path: Path) -> None:
    result = run_console("::at next tuesday\n::now\n", tmp_path, "--start", "2026-12-01T09:00Z")
    assert result.returncode == 0
    assert result.stdout.splitlines()[:2] == [
        "[console] I can't read 'next tuesday' as a time. Try 2026-12-01T09:00Z.",
        "[clock] 2026-12-01T09:00:00Z",
    ]
