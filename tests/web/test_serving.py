"""Serving the dashboard: on its own (`python -m bot web`), inside the bot's process when
`web.listen` is set, and a link for the deployer (`python -m bot dashboard-link`)."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

SEED = "!volunteer organising\nalice: !volunteer research\n!role @alice lead\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bot(*args: str, stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip


def _status(url: str) -> int:
    try:
        with urlopen(url, timeout=5) as response:
            return int(response.status)
    except HTTPError as error:
        return int(error.code)


def _wait_for(url: str, seconds: float = 20) -> int:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return _status(url)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_the_deployer_gets_a_link_for_a_lead_and_a_one_line_error_otherwise(tmp_path: Path) -> None:
    db = str(tmp_path / "bot.sqlite3")
    _bot("console", "--db", db, "--start", "2026-11-23T16:00Z", stdin=SEED)
    made = _bot("dashboard-link", "alice", "--db", db, "--base-url", "https://dash.example.org/")
    assert made.returncode == 0, made.stderr
    assert re.fullmatch(r"https://dash\.example\.org/login/[A-Za-z0-9_-]{43}\n", made.stdout)
    for member, why in (("nobody", "I don't know anyone called nobody"), ("console:you", None)):
        result = _bot("dashboard-link", member, "--db", db)
        if why is None:  # the console's own user is an admin
            assert result.returncode == 0 and result.stdout.startswith("http://127.0.0.1:8080/login/")
        else:
            assert result.returncode == 2 and result.stdout == ""
            assert result.stderr.count("\n") == 1 and why in result.stderr
    bad = _bot("dashboard-link", "alice", "--db", db, "--base-url", "dash.example.org")
    assert bad.returncode == 2 and "--base-url should start with https://" in bad.stderr
    typo = tmp_path / "bot.sqlite"  # a mistyped --db names the mistake, and creates no empty network
    for command in (["dashboard-link", "alice"], ["web"]):
        missing = _bot(*command, "--db", str(typo))
        assert missing.returncode == 2 and missing.stdout == "" and not typo.exists()
        said = f"{command[0]}: there is no database at {typo}; give the bot's with --db or database.path\n"
        assert missing.stderr == said


def test_python_m_bot_web_serves_the_database_alone_and_stops_on_sigterm(tmp_path: Path) -> None:
    db = str(tmp_path / "bot.sqlite3")
    _bot("console", "--db", db, "--start", "2026-11-23T16:00Z", stdin=SEED)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "bot", "web", "--db", db, "--listen", f"127.0.0.1:{port}"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/static/style.css") == 200
        assert _status(f"http://127.0.0.1:{port}/network") == 401
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=20)
    assert server.returncode == 0, err
    assert f"dashboard on http://127.0.0.1:{port}" in out and "/login/" not in err
    bad = _bot("web", "--db", db, "--listen", "nowhere")
    assert bad.returncode == 2 and "should look like 127.0.0.1:8080" in bad.stderr


async def test_the_bot_serves_the_dashboard_itself_when_web_listen_is_set(tmp_path: Path) -> None:
    port = _free_port()
    config = tmp_path / "config.yaml"
    config.write_text(f'web:\n  listen: "127.0.0.1:{port}"\n', "utf-8")
    console = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "console", "--config", str(config), "--db", str(tmp_path / "bot.sqlite3"),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert console.stdin is not None and console.stdout is not None
    try:
        console.stdin.write(b"!dashboard\n")
        await console.stdin.drain()
        line = (await asyncio.wait_for(console.stdout.readline(), 30)).decode()
        assert f"http://127.0.0.1:{port}/login/" in line  # the link's host is http://<listen>
        link = line.split("link: ", 1)[1].split()[0]
        assert await asyncio.to_thread(_status, link) == 200
    finally:
        console.stdin.close()
        await asyncio.wait_for(console.wait(), 30)
    assert console.returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text('web:\n  listen: "8080"\n  base_url: "dash.example.org"\n', "utf-8")
    checked = _bot("check-config", "--config", str(bad))
    assert checked.returncode == 2 and "`web.listen` should look like 127.0.0.1:8080" in checked.stderr


def test_a_dashboard_address_already_taken_is_one_line_for_web_and_for_the_bot(tmp_path: Path) -> None:
    db = str(tmp_path / "bot.sqlite3")
    assert _bot("migrate", "--db", db).returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        said = (
            f"config error: the dashboard can't listen on 127.0.0.1:{port} (Address already in use); "
            "choose another address (web.listen, or web --listen) or stop what uses it"
        )
        alone = _bot("web", "--db", db, "--listen", f"127.0.0.1:{port}")
        assert (alone.returncode, alone.stderr.splitlines()[-1]) == (2, said)
        config = tmp_path / "c.yaml"
        config.write_text(f'web:\n  listen: "127.0.0.1:{port}"\n')
        beside = _bot("console", "--config", str(config), "--db", db, stdin="!help\n")
        assert (beside.returncode, beside.stderr.splitlines()[-1]) == (2, said)
