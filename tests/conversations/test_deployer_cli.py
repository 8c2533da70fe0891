"""What a deployer meets on the command line: every failure is one clear line and an exit code.

Exit codes: 2 for something to fix (settings, files, the database), 3 for a platform that could
not be reached. Never a traceback.
"""

from __future__ import annotations

import os
import shlex
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_config import NINE_MISTAKES

ROOT = Path(__file__).resolve().parents[2]


def bot(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """`python -m bot …` as a deployer runs it, with only the environment given (plus PATH)."""
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**base, **(env or {})},
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line of stderr that must explain a failure."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if " INFO " not in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_check_config_lists_every_mistake_in_one_run(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(NINE_MISTAKES)
    for command in ("check-config", "run"):
        result = bot(command, "--config", str(path), "--db", str(tmp_path / "b.sqlite3"))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("config error: 9 problems, each with its fix:\n"), result.stderr
        assert len([line for line in result.stderr.splitlines() if line.startswith("  - ")]) == 9
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("variable", ["MATRIX_PASSWORD", "MATRIX_ACCESS_TOKEN"])
def test_matrix_credentials_without_a_homeserver_are_a_config_error(tmp_path: Path, variable: str) -> None:
    for command in ("check-config", "run"):
        result = bot(command, "--db", str(tmp_path / "b.sqlite3"), env={variable: "secret"})
        assert result.returncode == 2
        assert one_line(result) == (
            f"config error: {variable} is set, but `matrix.homeserver` (like https://matrix.example.org) and "
            f"`matrix.user_id` (like @volunteer-bot:example.org) are not: set them, or unset {variable} to leave "
            "Matrix off"
        )
        assert "config OK" not in result.stdout


def test_a_homeserver_without_https_is_refused_before_connecting(tmp_path: Path) -> None:
    env = {
        "MATRIX_PASSWORD": "secret",
        "VOLUNTEER_BOT_MATRIX__HOMESERVER": "matrix.example.org",
        "VOLUNTEER_BOT_MATRIX__USER_ID": "@bot:example.org",
    }
    result = bot("run", "--db", str(tmp_path / "b.sqlite3"), env=env)
    assert result.returncode == 2
    assert "like https://matrix.example.org" in one_line(result)


def test_an_unreachable_homeserver_is_named_in_one_line_and_the_bot_exits_3(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    env = {
        "MATRIX_PASSWORD": "secret",
        "VOLUNTEER_BOT_MATRIX__HOMESERVER": url,
        "VOLUNTEER_BOT_MATRIX__USER_ID": "@bot:localhost",
        "VOLUNTEER_BOT_MATRIX__STORE_PATH": str(tmp_path / "store"),
    }
    result = bot("run", "--db", str(tmp_path / "b.sqlite3"), env=env)
    assert result.returncode == 3
    assert one_line(result).startswith(f"matrix: can't reach {url} (Cannot connect to host 127.0.0.1")


DISCORD_OFFLINE = """
import sys
import discord.http
discord.http.Route.BASE = "http://127.0.0.1:{port}/api/v10"  # nothing listens: as with no network
from bot.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", ["run", "discord-sync"])
def test_discord_without_network_is_one_line_and_exit_3(tmp_path: Path, command: str) -> None:
    port = free_port()
    extra = ["--db", str(tmp_path / "b.sqlite3")] if command == "run" else []
    result = subprocess.run(
        [sys.executable, "-c", DISCORD_OFFLINE.format(port=port), command, *extra],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "DISCORD_TOKEN": "a-token"},
    )
    assert result.returncode == 3
    line = one_line(result)
    label = "discord" if command == "run" else command
    assert line.startswith(f"{label}: can't reach 127.0.0.1 (Cannot connect to host 127.0.0.1:{port}")
    assert "voice will NOT be supported" not in result.stderr


def test_backup_into_a_missing_folder_says_to_create_it(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    assert bot("migrate", "--db", str(db)).returncode == 0
    target = tmp_path / "backups" / "copy.sqlite3"
    result = bot("backup", str(target), "--db", str(db))
    assert result.returncode == 2
    assert one_line(result) == (
        f"backup: the folder {target.parent} does not exist; create it (mkdir -p {target.parent}) or choose "
        "another path"
    )


def test_backup_of_a_database_that_does_not_exist_names_the_path(tmp_path: Path) -> None:
    typo = tmp_path / "bot.sqlite"
    result = bot("backup", str(tmp_path / "copy.sqlite3"), "--db", f"sqlite:///{typo}")
    assert result.returncode == 2 and not typo.exists()
    assert one_line(result) == f"backup: there is no database at {typo}; give the bot's with --db or database.path"


def test_backup_and_migrate_of_a_file_that_is_not_a_database_say_so(tmp_path: Path) -> None:
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("these are my meeting notes, not a database\n" * 100)
    copy = tmp_path / "copy.sqlite3"
    for result in (bot("backup", str(copy), "--db", str(junk)), bot("migrate", "--db", str(junk))):
        assert result.returncode == 2
        assert one_line(result) == (
            f"database error: {junk} is not a volunteer-bot database (SQLite says: file is not a database). "
            "Check --db or database.path, or restore a backup."
        )
    assert not copy.exists()
    assert junk.read_text().startswith("these are my meeting notes")  # untouched


def test_a_database_from_a_newer_version_is_refused_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    assert bot("migrate", "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'from_the_future', 0)")
    for result in (bot("migrate", "--db", str(db)), bot("console", "--db", str(db), stdin="!help\n")):
        assert result.returncode == 2
        assert one_line(result) == (
            f"database error: {db}: the database is at schema version 999 but this bot only knows up to "
            f"{_latest()}; upgrade the bot instead of downgrading the database"
        )


def _latest() -> int:
    from bot.storage.migrate import available

    return available()[-1].version


def test_the_procfile_command_runs_with_a_committed_config_and_secrets_from_the_environment(tmp_path: Path) -> None:
    """The Procfile is the spec's line (§10): `worker: python -m bot run --config config.yaml`. On
    a PaaS the deployer commits config.yaml (it may hold no secret: the bot refuses them there)
    and sets the secrets and DATABASE_URL as config vars; or, with settings from the environment
    alone, drops `--config config.yaml` (README). Both start."""
    procfile = (ROOT / "Procfile").read_text()
    assert procfile.strip() == "worker: python -m bot run --config config.yaml"
    command = shlex.split(procfile.split("worker:", 1)[1].strip())
    (tmp_path / "config.yaml").write_text(
        'organisation:\n  name: "Library Workers United"\n  timezone: America/Chicago\nadmins: ["discord:123456789"]\n'
    )
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'bot.sqlite3'}"}
    check = bot("check-config", *command[4:], env=env, cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "config OK: organisation 'Library Workers United', timezone America/Chicago" in check.stdout
    assert f"database: {tmp_path / 'data' / 'bot.sqlite3'}" in check.stdout
    # The worker itself, without platform credentials, starts (the console) and stops at end of input.
    worker = bot(*command[3:], env=env, cwd=tmp_path, stdin="!help\n")
    assert worker.returncode == 0, worker.stderr
    assert (tmp_path / "data" / "bot.sqlite3").exists()
    # With no config.yaml, the environment alone, the README's other Procfile line:
    (tmp_path / "config.yaml").unlink()
    env |= {
        "VOLUNTEER_BOT_ORGANISATION__NAME": "Library Workers United",
        "VOLUNTEER_BOT_ORGANISATION__TIMEZONE": "America/Chicago",
        "VOLUNTEER_BOT_ADMINS": '["discord:123456789"]',
    }
    alone = bot("check-config", env=env, cwd=tmp_path)
    assert alone.returncode == 0 and "timezone America/Chicago" in alone.stdout, alone.stderr
    missing = bot("check-config", *command[4:], env=env, cwd=tmp_path)
    assert missing.returncode == 2 and "config.yaml: no such file" in missing.stderr


def test_a_database_setting_naming_a_folder_is_one_line_in_every_command(tmp_path: Path) -> None:
    """Never the line and then aiosqlite's "Event loop is closed" traceback (whose thread was
    left running after the failed open), and the folder named as the mistake."""
    folder = tmp_path / "data"
    folder.mkdir()
    said = f"{folder} is a folder, not a database file; name a file in it, like {folder / 'volunteer-bot.sqlite3'}"
    commands = {
        ("migrate", "--db", str(folder)): f"database error: {said}",
        ("backup", str(tmp_path / "copy.sqlite3"), "--db", str(folder)): f"backup: {said}",
        ("web", "--db", str(folder)): f"web: {said}",
        ("dashboard-link", "alice", "--db", str(folder)): f"dashboard-link: {said}",
        ("console", "--db", str(folder)): f"database error: {said}",
        ("copy-db", "--from", str(folder), "--to", str(tmp_path / "c.sqlite3")): (
            f"copy-db: {said}; --from names the database to copy"
        ),
        ("check-config", "--db", str(folder)): f"config error: --db: {said}",
    }
    for command, line in commands.items():
        result = bot(*command, stdin="!help\n")
        assert result.returncode == 2, (command, result.stderr)
        assert one_line(result) == line, command
    for env in ({"DATABASE_URL": f"sqlite:///{folder}"}, {"VOLUNTEER_BOT_DATABASE__PATH": str(folder)}):
        for command in ("migrate", "run"):
            result = bot(command, env={**env, "DISCORD_TOKEN": "x"})
            assert result.returncode == 2 and said in one_line(result), result.stderr
    result = bot("run", "--db", str(folder), env={"DISCORD_TOKEN": "x"})
    assert result.returncode == 2 and one_line(result) == f"database error: {said}"


def test_check_config_checks_db_with_the_rest_before_saying_ok(tmp_path: Path) -> None:
    result = bot("check-config", "--db", "http://x/y", env={"VOLUNTEER_BOT_ASKS__PAGE_SIZE": "0"})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("config error: 2 problems"), result.stderr
    assert "--db: unknown database http://" in result.stderr


def test_a_blank_discord_token_is_not_a_token(tmp_path: Path) -> None:
    result = bot("check-config", "--db", str(tmp_path / "b.sqlite3"), env={"DISCORD_TOKEN": "   "})
    assert result.returncode == 0
    assert "discord: DISCORD_TOKEN not set" in result.stdout


@pytest.mark.parametrize("content", [b'{"a": 1}\n', b"\xff\xfe", b"{not json\n"])
def test_a_journal_that_is_not_one_is_one_line_and_exit_2(tmp_path: Path, content: bytes) -> None:
    journal = tmp_path / "j.jsonl"
    journal.write_bytes(content)
    result = bot("console", "--db", str(tmp_path / "c.sqlite3"), "--journal", str(journal), stdin="!help\n")
    assert result.returncode == 2
    assert one_line(result).startswith(f"console: {journal} is not a journal the console wrote (")
    assert journal.read_bytes() == content


@pytest.mark.parametrize("command", ["console", "run"])
def test_a_logging_level_set_on_purpose_wins_in_the_console(tmp_path: Path, command: str) -> None:
    """The README's "VOLUNTEER_BOT_LOGGING__LEVEL=DEBUG shows the details" holds in the console
    too, where INFO is quietened by default."""
    db = str(tmp_path / "c.sqlite3")
    loud = bot(command, "--db", db, env={"VOLUNTEER_BOT_LOGGING__LEVEL": "DEBUG"}, stdin="!help\n")
    assert loud.returncode == 0 and " DEBUG " in loud.stderr, loud.stderr
    quiet = bot(command, "--db", db, stdin="!help\n")
    assert quiet.returncode == 0 and " DEBUG " not in quiet.stderr and " INFO " not in quiet.stderr


def test_backup_onto_the_database_itself_is_refused_and_keeps_it(tmp_path: Path) -> None:
    """`backup bot.sqlite3 --db bot.sqlite3 --force` said "backed up" with no copy made; had the
    copy failed, its clean-up would have deleted its target: the database."""
    db = tmp_path / "bot.sqlite3"
    assert bot("migrate", "--db", str(db)).returncode == 0
    size = db.stat().st_size
    for target in (str(db), f"{tmp_path}/./bot.sqlite3"):
        result = bot("backup", target, "--db", str(db), "--force")
        assert result.returncode == 2
        assert one_line(result) == (
            f"backup: {Path(target)} is the database itself; give the copy another name, like {Path(target)}.bak"
        )
    assert db.stat().st_size == size and bot("migrate", "--db", str(db)).returncode == 0


def test_a_backup_that_fails_keeps_the_last_good_one(tmp_path: Path) -> None:
    junk, copy = tmp_path / "notes.sqlite3", tmp_path / "copy.sqlite3"
    junk.write_text("not a database\n" * 100)
    db = tmp_path / "bot.sqlite3"
    assert bot("migrate", "--db", str(db)).returncode == 0
    assert bot("backup", str(copy), "--db", str(db)).returncode == 0
    good = copy.read_bytes()
    assert bot("backup", str(copy), "--db", str(junk), "--force").returncode == 2
    assert copy.read_bytes() == good and not (tmp_path / "copy.sqlite3.partial").exists()
