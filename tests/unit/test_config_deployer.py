"""Configuration mistakes a deployer makes that were once accepted or hid each other: every one is
reported in the same pass, with its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Secrets, load


def _problems(path: Path | None, env: dict[str, str], **options: object) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(path, env=env, **options)  # type: ignore[arg-type]
    return caught.value.problems


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("NUDGES__CHECKIN_ANSWER_DAYS", "9999999999", "`nudges.checkin_answer_days` (from "),
        ("ASKS__DEFAULT_MAX_CLAIMS", "99999999999999999999999", "`asks.default_max_claims` (from "),
        ("ASKS__PAGE_SIZE", "99999999999999999999", "`asks.page_size` (from "),
        ("ASKS__STALE_CLAIM_DAYS", "999999999999", "`asks.stale_claim_days` (from "),
        ("NETWORK__ISOLATED_DAYS", "999999999999", "`network.isolated_days` (from "),
        ("NUDGES__DUE_SOON_HOURS", "-1", "`nudges.due_soon_hours` (from "),
    ],
)
def test_absurd_numbers_are_refused_before_they_break_the_sweep(key: str, value: str, said: str) -> None:
    env = {f"VOLUNTEER_BOT_{key}": value, "VOLUNTEER_BOT_ORGANISATION__TIMEZONE": "Nowhere"}
    problems = _problems(None, env)
    assert len(problems) == 2, problems  # reported with the others
    (number,) = [problem for problem in problems if problem.startswith(said)]
    assert "should be at most" in number or "should be at least 0" in number


def test_numbers_at_their_bounds_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("nudges:\n  checkin_answer_days: 3650\n  intro_days: 0\nasks:\n  page_size: 100\n")
    assert load(path, env={}).nudges.checkin_answer_days == 3650


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('organisation:\n  name: "x\n', "not valid YAML"),
        ("- a list\n", "the top level must be a mapping"),
        (None, "no such file"),
    ],
)
def test_a_broken_or_missing_file_does_not_hide_the_environments_mistakes(
    tmp_path: Path, text: str | None, said: str
) -> None:
    path = tmp_path / "c.yaml"
    if text is not None:
        path.write_text(text)
    env = {"VOLUNTEER_BOT_ASKS__PAGE_SIZE": "abc", "VOLUNTEER_BOT_ORGANISATION__TIMEZONE": "Nowhere"}
    problems = _problems(path, env)
    assert len(problems) == 3, problems
    assert said in problems[0]
    assert problems[1].startswith("`asks.page_size` (from VOLUNTEER_BOT_ASKS__PAGE_SIZE) should be a whole number")
    assert problems[2].startswith("`organisation.timezone` (from VOLUNTEER_BOT_ORGANISATION__TIMEZONE): unknown")


def test_matrix_credentials_with_an_unreadable_file_do_not_claim_the_files_keys_are_missing(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text('matrix:\n  homeserver: "https://m.example.org\n')
    problems = _problems(path, {}, secrets=Secrets.from_env({"MATRIX_PASSWORD": "x"}))
    assert len(problems) == 1 and "not valid YAML" in problems[0], problems


def test_a_key_written_twice_is_named_with_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "organisation:\n  name: a\n  timezone: UTC\norganisation:\n  name: b\n"
        "asks:\n  page_size: 5\n  page_size: 6\n  page_size: 7\n"
    )
    keeps = "and YAML keeps only the last; merge them into one"
    assert _problems(path, {}) == [
        f"{path}, lines 1 and 4: `organisation` appears twice, {keeps}",
        f"{path}, lines 7, 8 and 9: `asks.page_size` appears 3 times, {keeps}",
    ]


def test_anchors_and_merge_keys_are_not_taken_for_keys_written_twice(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "scheduler:\n  pairing: &at\n    day: friday\n    time: '10:00'\n  digest:\n    <<: *at\n    time: '09:00'\n"
    )
    assert load(path, env={}).scheduler.digest.day == "friday"


LEVELS = " (two underscores between levels)"


@pytest.mark.parametrize(
    ("variable", "meant"),
    [
        ("VOLUNTEER_BOT_DATABASE_URL", f"VOLUNTEER_BOT_DATABASE__URL?{LEVELS}"),
        ("VOLUNTEER_BOT_LOGGING_LEVEL", f"VOLUNTEER_BOT_LOGGING__LEVEL?{LEVELS}"),
        ("volunteer_bot_scheduler_digest_day", f"VOLUNTEER_BOT_SCHEDULER__DIGEST__DAY?{LEVELS}"),
        ("VOLUNTEER_BOT_ADMIN", "VOLUNTEER_BOT_ADMINS?"),
    ],
)
def test_a_variable_one_underscore_from_a_setting_says_which_was_meant(variable: str, meant: str) -> None:
    problems = _problems(None, {variable: "x"})
    assert problems == [f"{variable} is not a setting; did you mean {meant}"]


def test_the_projects_own_and_far_off_variables_are_left_alone() -> None:
    env = {
        "VOLUNTEER_BOT_VENV": ".venv",
        "VOLUNTEER_BOT_PAUSE_AT": "x",
        "VOLUNTEER_BOT_TRACE_POINTS": "1",
        "VOLUNTEER_BOT_SOAK_SEED": "1",
        "VOLUNTEER_BOT_TEST_POSTGRES": "postgresql://x/y",
        "VOLUNTEER_BOT_BENCH_POSTGRES": "postgresql://x/y",
        "VOLUNTEER_BOT_NOPE": "1",
    }
    load(None, env=env)


def test_a_check_of_db_is_made_with_the_rest(tmp_path: Path) -> None:
    problems = _problems(None, {"VOLUNTEER_BOT_ASKS__PAGE_SIZE": "0"}, db="http://x/y")
    assert problems == [
        "`asks.page_size` (from VOLUNTEER_BOT_ASKS__PAGE_SIZE) should be at least 1",
        "--db: unknown database http:// (use a file path, sqlite:///path or postgresql://user@host/name)",
    ]
    assert _problems(None, {}, db=str(tmp_path)) == [
        f"--db: {tmp_path} is a folder, not a database file; name a file in it, like "
        f"{tmp_path / 'volunteer-bot.sqlite3'}"
    ]


@pytest.mark.parametrize("variable", ["DATABASE_URL", "VOLUNTEER_BOT_DATABASE__PATH"])
def test_a_database_setting_naming_a_folder_is_a_config_error(tmp_path: Path, variable: str) -> None:
    (problem,) = _problems(None, {variable: str(tmp_path)})
    assert problem.endswith(f"{tmp_path} is a folder, not a database file; name a file in it, like "
                            f"{tmp_path / 'volunteer-bot.sqlite3'}")  # fmt: skip


def test_a_password_with_an_unescaped_at_is_a_config_error_not_a_wrong_host() -> None:
    (problem,) = _problems(None, {"DATABASE_URL": "postgresql://u:p@ss@127.0.0.1:1/db"})
    assert problem == (
        "`database.url` (from DATABASE_URL): the database URL has more than one @ before the host; "
        "write an @ in the password as %40"
    )
    assert "p@ss" not in problem


def test_tokens_are_stripped_and_blank_ones_are_unset() -> None:
    secrets = Secrets.from_env({"DISCORD_TOKEN": "  ", "MATRIX_ACCESS_TOKEN": "abc\n", "MATRIX_PASSWORD": " "})
    assert secrets.discord_token is None and secrets.matrix_password is None
    assert secrets.matrix_access_token == "abc"
    assert Secrets.from_env({"MATRIX_PASSWORD": " a b "}).matrix_password == " a b "


def test_the_keys_given_are_told_so_a_quieter_default_can_yield(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("asks:\n  page_size: 5\n")
    given: set[str] = set()
    load(path, env={"VOLUNTEER_BOT_LOGGING__LEVEL": "DEBUG"}, given=given)
    assert given == {"asks.page_size", "logging.level"}
