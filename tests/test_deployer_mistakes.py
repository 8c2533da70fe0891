"""A deployer's and a console user's mistakes that were accepted without a word, or ended in a
traceback or a hang (spec §9, §10, §11)."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import ConfigError, load
from bot.console_input import Terminal, read_lines

ROOT = Path(__file__).resolve().parents[1]


def _problems(path: Path | None, env: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(path, env=env)
    return caught.value.problems


@pytest.mark.parametrize(
    ("written", "said"),
    [
        # YAML 1.1 reads an unquoted 22:00 as 1320, which was then taken for 13:20.
        ("22:00", 'put the time in quotes, like "22:00"'),
        ("20:00", 'put the time in quotes, like "20:00"'),
        ("25:00", "25:00 is not one"),  # was 1500, taken for 15:00
        ('"21:00+01:00"', "not '21:00+01:00'"),  # an offset the quiet hours then ignored
        ('"21:00:30"', "not '21:00:30'"),
        ('"9:30"', 'two digits for the hour, like "09:30"'),  # (was refused, not saying what was wrong)
    ],
)
def test_a_time_the_bot_would_read_as_another_is_refused(tmp_path: Path, written: str, said: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f"quiet_hours:\n  start: {written}\nscheduler:\n  digest:\n    time: {written}\n")
    problems = _problems(path, {})
    assert len(problems) == 2, problems  # both, in one pass
    assert all(said in problem for problem in problems), problems


def test_a_time_from_the_environment_is_text_as_typed_with_no_advice_about_quotes() -> None:
    (problem,) = _problems(None, {"VOLUNTEER_BOT_QUIET_HOURS__START": "1320"})
    assert problem.startswith("`quiet_hours.start` (from VOLUNTEER_BOT_QUIET_HOURS__START) should be a time like 21:00")
    assert "quotes" not in problem


def test_times_written_right_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text('quiet_hours:\n  start: "23:59"\n  end: "00:00"\n')
    assert load(path, env={}).quiet_hours.window().start == 23 * 60 + 59


def test_an_unknown_section_from_the_environment_names_its_variable() -> None:
    (problem,) = _problems(None, {"VOLUNTEER_BOT_NOPE__X": "1"})
    assert problem.startswith("unknown key `nope` (from VOLUNTEER_BOT_NOPE__X)"), problem


def _bot(tmp_path: Path, *args: str, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )


@pytest.mark.parametrize("command", ["console", "run", "migrate"])
def test_an_empty_db_option_is_refused_not_replaced_by_the_configured_database(tmp_path: Path, command: str) -> None:
    # `--db "$DB"` with DB unset: the bot went on with volunteer-bot.sqlite3 without a word.
    env = dict.fromkeys(("DISCORD_TOKEN", "MATRIX_ACCESS_TOKEN", "MATRIX_PASSWORD", "DATABASE_URL"), "")
    done = _bot(tmp_path, command, "--db", "", **env)
    assert done.returncode == 2, done.stderr
    assert b"--db: the database names no file" in done.stderr
    assert not (tmp_path / "volunteer-bot.sqlite3").exists()


def test_a_script_that_is_not_utf8_is_answered_under_a_strict_locale(tmp_path: Path) -> None:
    # Under en_US.UTF-8 Python reads stdin strictly: a Latin-1 `café` killed the reading thread
    # with a traceback and the console waited for ever; echoing such a byte stopped it with exit 1.
    script = "!volunteer café\n::bogus é\n::attach é.csv\n!mine\n".encode("latin-1")
    try:
        done = _bot(tmp_path, "console", "--db", "c.sqlite3", stdin=script, PYTHONIOENCODING="utf-8:strict")
    except subprocess.TimeoutExpired:
        pytest.fail("the console hung on a line that is not UTF-8")
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0, err
    assert "Traceback" not in err
    assert "[#general] Part of that message isn't valid text" in out
    assert "[console] I don't know ::bogus \\udce9." in out
    assert "[console] ::attach: no file at \\udce9.csv" in out
    assert "[to you] Nothing on your list" in out  # and the lines after it are read


async def test_input_that_cannot_be_read_ends_the_console_instead_of_leaving_it_waiting(
    capsys: pytest.CaptureFixture[str],
) -> None:
    class Broken(io.StringIO):
        def readline(self, size: int | None = -1) -> str:
            raise OSError(5, "Input/output error")

    fed: list[str] = []

    async def feed(line: str) -> None:
        fed.append(line)

    async def reading() -> bool:
        return await read_lines(Terminal(Broken(), io.StringIO()), feed)

    try:
        interrupted = await asyncio.wait_for(reading(), timeout=10)
    except TimeoutError:
        pytest.fail("the console waited for ever for a line it could not read")
    assert not interrupted and fed == []
    assert "can't read more input" in capsys.readouterr().err


def test_a_single_value_where_a_list_belongs_is_shown_as_the_list_to_write(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("admins: discord:123\ndiscord:\n  guild_ids: 456\n")
    assert _problems(path, {}) == [
        '`admins` should be a list, like ["discord:123"]',
        "`discord.guild_ids` should be a list, like [456]",
    ]


def test_an_unknown_option_is_said_with_the_commands_own_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["run", "--bogus"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "usage: python -m bot run [-h] [--config CONFIG] [--db DB]" in err
    assert "python -m bot run: error: unrecognized arguments: --bogus" in err


@pytest.mark.parametrize(
    ("named", "said"),
    [
        # SQLite reads `file:` as a URI: the data went to x.db, the one-bot-per-file lock to `file:x.db.lock`.
        ("file:x.db", "SQLite reads file:x.db as a URI, not a file; give the path alone"),
        ("sqlite:///file:x.db", "SQLite reads file:x.db as a URI, not a file; give the path alone"),
        (":memory:", "the database would be kept in memory and lost at exit; give a file"),
    ],
)
def test_a_database_sqlite_would_not_keep_in_the_file_named_is_refused(tmp_path: Path, named: str, said: str) -> None:
    done = _bot(tmp_path, "check-config", "--db", named)
    assert done.returncode == 2 and said.encode() in done.stderr, done.stderr
    if named.startswith(("file:", "sqlite:")):  # (`:memory:` is the bot's own scratch database)
        done = _bot(tmp_path, "migrate", "--db", named)
        assert done.returncode == 2 and said.encode() in done.stderr, done.stderr
    path = tmp_path / "c.yaml"
    path.write_text(f'database:\n  path: "{named}"\n')
    assert _problems(path, {}) == [f"`database.path`: {said}"]
    assert list(tmp_path.iterdir()) == [path]  # nothing written
