"""The console as a user runs it: `python -m bot console` reading a piped script (spec §9)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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
