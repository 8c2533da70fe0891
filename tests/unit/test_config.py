"""Configuration: the example file is complete and valid; mistakes are named clearly."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, Secrets, load
from bot.storage.targets import backend_of, sqlite_path

ROOT = Path(__file__).resolve().parents[2]


def _keys(obj: object, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for field in dataclasses.fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, field.name)
        path = f"{prefix}{field.name}"
        found.add(path)
        if dataclasses.is_dataclass(value):
            found |= _keys(value, path + ".")
    return found


def test_the_example_config_loads_and_documents_every_key_with_its_default() -> None:
    loaded = load(ROOT / "config.example.yaml")
    text = (ROOT / "config.example.yaml").read_text()
    for key in _keys(Config()):
        assert f"{key.rsplit('.', 1)[-1]}:" in text, f"config.example.yaml does not document {key}"
    defaults = Config()
    assert dataclasses.replace(loaded, admins=defaults.admins) == defaults


def test_unknown_keys_are_named_with_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("asks:\n  stale_claim_dayz: 3\n")
    with pytest.raises(ConfigError, match=r"unknown key `asks.stale_claim_dayz` \(did you mean `stale_claim_days`"):
        load(path)


def test_a_key_put_in_the_wrong_section_is_named_where_it_belongs(tmp_path: Path) -> None:
    """The spec lists `stale_claim_days` under nudges; the config keeps it under asks."""
    path = tmp_path / "c.yaml"
    path.write_text("nudges:\n  stale_claim_days: 3\npairing:\n  day: friday\n")
    with pytest.raises(ConfigError) as raised:
        load(path)
    assert "unknown key `nudges.stale_claim_days` (it belongs at `asks.stale_claim_days`)" in str(raised.value)
    assert "unknown key `pairing` (it belongs at `scheduler.pairing`)" in str(raised.value)


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("organisation:\n  timezone: Mars/Olympus\n", "unknown timezone"),
        ("asks:\n  stale_claim_days: soon\n", "whole number"),
        ("quiet_hours:\n  start: late\n", "time like 21:00"),
        ("admins: [alice]\n", "discord:123456789"),
        ("scheduler:\n  digest:\n    day: someday\n", "weekday"),
        ("- a list\n", "mapping"),
        ("asks: [\n", "not valid YAML"),
        ('organisation:\n  name: "Library Workers\n  timezone: UTC\n', "not valid YAML from line 2 to line 4"),
        ("organisation:\n\tname: x\n", "not valid YAML at line 2"),
    ],
)
def test_bad_values_are_refused_with_the_key(tmp_path: Path, yaml_text: str, message: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError, match=message):
        load(path)


def test_secrets_come_only_from_the_environment() -> None:
    secrets = Secrets.from_env({"DISCORD_TOKEN": "t", "MATRIX_PASSWORD": ""})
    assert secrets.discord_token == "t"
    assert secrets.matrix_password is None
    assert not secrets.matrix
    assert "token" not in {f.name for f in dataclasses.fields(Config())}


NINE_MISTAKES = """\
organisation:
  timezone: Mars/Olympus
asks:
  stale_claim_dayz: 3
  page_size: ten
quiet_hours:
  end: late
admins: [alice]
scheduler:
  digest:
    day: someday
discord:
  token: abc.def
  message_commands: maybe
logging:
  level: LOUD
"""


def test_every_mistake_in_a_file_is_reported_at_once_each_with_its_fix(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(NINE_MISTAKES)
    with pytest.raises(ConfigError) as caught:
        load(path, env={})
    problems = caught.value.problems
    assert len(problems) == 9, problems
    expected = [
        "unknown key `asks.stale_claim_dayz` (did you mean `stale_claim_days`?)",
        "`asks.page_size` should be a whole number, like 10, not 'ten'",
        "`discord.token`: secrets never go in the config; delete it there and set DISCORD_TOKEN",
        "`discord.message_commands` should be true or false",
        "`organisation.timezone`: unknown timezone 'Mars/Olympus'; use an IANA name like America/Chicago",
        "`quiet_hours.end` should be a time like 21:00",
        "`scheduler.digest.day` should be a weekday name like monday, not 'someday'",
        "`admins`: 'alice' should look like discord:123456789",
        "`logging.level` should be DEBUG, INFO, WARNING or ERROR",
    ]
    for start in expected:
        assert any(problem.startswith(start) for problem in problems), (start, problems)


def test_an_unquoted_time_read_as_a_number_by_yaml_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("quiet_hours:\n  start: 21:00\n")  # YAML 1.1 reads this as 1260
    with pytest.raises(ConfigError, match=re.escape('`quiet_hours.start`: put the time in quotes, like "21:00"')):
        load(path, env={})


@pytest.mark.parametrize(
    ("yaml_text", "variable"),
    [
        ("discord:\n  token: abc\n", "DISCORD_TOKEN"),
        ("matrix:\n  password: hunter2\n", "MATRIX_PASSWORD"),
        ("matrix:\n  access_token: syt_abc\n", "MATRIX_ACCESS_TOKEN"),
    ],
)
def test_a_secret_in_the_file_points_to_its_environment_variable(tmp_path: Path, yaml_text: str, variable: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError, match=f"secrets never go in the config; delete it there and set {variable}"):
        load(path, env={})


@pytest.mark.parametrize("typed", ["matrix.example.org", "matrix.example.org:8448", "htps://matrix.example.org"])
def test_a_homeserver_without_https_is_refused_with_the_url_to_write(tmp_path: Path, typed: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f'matrix:\n  homeserver: "{typed}"\n  user_id: "@bot:example.org"\n')
    host = typed.split("://")[-1]
    with pytest.raises(ConfigError, match=f"`matrix.homeserver` .* like https://{host}$"):
        load(path, env={})


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("https://[::1", "Invalid IPv6 URL"), ("https://matrix.example.org:99999", "Port out of range 0-65535")],
)
def test_a_homeserver_url_that_cannot_be_read_is_a_config_error_not_a_crash(
    tmp_path: Path, typed: str, reason: str
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f'matrix:\n  homeserver: "{typed}"\n  user_id: "bot"\n')
    with pytest.raises(ConfigError) as raised:
        load(path, env={})
    assert raised.value.problems[0] == (
        f"`matrix.homeserver` can't be read ({reason}); it should look like https://matrix.example.org"
    )
    assert "`matrix.user_id` should be a full Matrix id like @bot:example.org" in raised.value.problems[1]


@pytest.mark.parametrize("typed", ["[::1", "::1:8080", "[::1]x:80", "host:abc", "0.0.0.0:99999", ":8080"])
def test_a_web_listen_address_that_is_not_one_is_refused(typed: str) -> None:
    with pytest.raises(ConfigError, match=re.escape("should look like 127.0.0.1:8080 ([::1]:8080 for IPv6)")):
        load(None, env={"VOLUNTEER_BOT_WEB__LISTEN": typed})
    assert load(None, env={"VOLUNTEER_BOT_WEB__LISTEN": "[::1]:8080"}).web.address() == ("::1", 8080)


def test_a_matrix_user_id_without_its_server_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text('matrix:\n  homeserver: "https://matrix.example.org"\n  user_id: "volunteer-bot"\n')
    with pytest.raises(ConfigError, match=re.escape("like @volunteer-bot:matrix.example.org, not 'volunteer-bot'")):
        load(path, env={})


@pytest.mark.parametrize("variable", ["MATRIX_PASSWORD", "MATRIX_ACCESS_TOKEN"])
def test_matrix_credentials_without_the_account_they_belong_to_are_a_problem(variable: str) -> None:
    secrets = Secrets.from_env({variable: "secret"})
    assert load(None, env={}) == Config()  # the console does not care
    with pytest.raises(ConfigError) as caught:
        load(None, env={}, secrets=secrets)
    assert caught.value.problems == [
        f"{variable} is set, but `matrix.homeserver` (like https://matrix.example.org) and `matrix.user_id` "
        f"(like @volunteer-bot:example.org) are not: set them, or unset {variable} to leave Matrix off"
    ]
    env = {"VOLUNTEER_BOT_MATRIX__HOMESERVER": "https://matrix.example.org"}
    with pytest.raises(ConfigError) as caught:
        load(None, env=env, secrets=secrets)
    assert caught.value.problems == [  # one key missing: its one example, not both
        f"{variable} is set, but `matrix.user_id` (like @volunteer-bot:example.org) is not: set it, "
        f"or unset {variable} to leave Matrix off"
    ]


def test_the_whole_config_can_come_from_environment_variables() -> None:
    env = {
        "VOLUNTEER_BOT_ORGANISATION__NAME": "Library Workers United",
        "VOLUNTEER_BOT_ORGANISATION__TIMEZONE": "America/Chicago",
        "VOLUNTEER_BOT_ADMINS": '["discord:123", "matrix:@ana:example.org"]',
        "VOLUNTEER_BOT_ASKS__PAGE_SIZE": "5",
        "VOLUNTEER_BOT_QUIET_HOURS__START": "22:30",  # text as typed, not YAML's 1350
        "VOLUNTEER_BOT_SCHEDULER__DIGEST__DAY": "friday",
        "VOLUNTEER_BOT_DISCORD__GUILD_IDS": "[111, 222]",
        "VOLUNTEER_BOT_DISCORD__MESSAGE_COMMANDS": "false",
        "VOLUNTEER_BOT_MATRIX__HOMESERVER": "https://matrix.example.org",
        "volunteer_bot_logging__level": "WARNING",  # names are case-blind
        "VOLUNTEER_BOT_VENV": "/opt/venv",  # ./dev's own variable: not a setting
        "VOLUNTEER_BOT_PAUSE_AT": "sweep-before-commit",  # the crash tests': not a setting
        "DATABASE_URL": "sqlite:////data/bot.sqlite3",
    }
    config = load(None, env=env)
    assert config.organisation.name == "Library Workers United"
    assert config.organisation.timezone == "America/Chicago"
    assert config.admins == ["discord:123", "matrix:@ana:example.org"]
    assert config.asks.page_size == 5
    assert config.quiet_hours.start == "22:30"
    assert config.scheduler.digest.day == "friday" and config.scheduler.digest.time == "09:00"
    assert config.discord.guild_ids == [111, 222] and config.discord.message_commands is False
    assert config.matrix.homeserver == "https://matrix.example.org"
    assert config.logging.level == "WARNING"
    assert sqlite_path(config.database.target()) == "/data/bot.sqlite3"


def test_the_environment_wins_over_the_file_key_by_key(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("asks:\n  page_size: 7\n  stale_claim_days: 3\n")
    config = load(path, env={"VOLUNTEER_BOT_ASKS__PAGE_SIZE": "4"})
    assert (config.asks.page_size, config.asks.stale_claim_days) == (4, 3)


def test_a_mistake_in_a_variable_names_the_variable() -> None:
    env = {
        "VOLUNTEER_BOT_ASKS__STALE_CLAIM_DAYZ": "3",
        "VOLUNTEER_BOT_ASKS__PAGE_SIZE": "ten",
        "VOLUNTEER_BOT_DISCORD__TOKEN": "abc",
    }
    with pytest.raises(ConfigError) as caught:
        load(None, env=env)
    assert sorted(caught.value.problems) == [
        "VOLUNTEER_BOT_DISCORD__TOKEN: secrets have their own variable; set DISCORD_TOKEN instead",
        "`asks.page_size` (from VOLUNTEER_BOT_ASKS__PAGE_SIZE) should be a whole number, like 10, not 'ten'",
        "unknown key `asks.stale_claim_dayz` (from VOLUNTEER_BOT_ASKS__STALE_CLAIM_DAYZ) "
        "(did you mean `stale_claim_days`?)",
    ]


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:////var/lib/bot/bot.sqlite3", "/var/lib/bot/bot.sqlite3"),
        ("sqlite:///data/bot.sqlite3", "data/bot.sqlite3"),
        ("/srv/bot.sqlite3", "/srv/bot.sqlite3"),
    ],
)
def test_database_url_gives_the_sqlite_file(url: str, path: str) -> None:
    target = load(None, env={"DATABASE_URL": url}).database.target()
    assert backend_of(target) == "sqlite" and sqlite_path(target) == path


def test_a_postgresql_database_url_selects_postgresql_and_another_kind_is_refused() -> None:
    config = load(None, env={"DATABASE_URL": "postgres://u:p@host/db"})
    assert backend_of(config.database.target()) == "postgresql"
    assert config.database.target("other.sqlite3") == "other.sqlite3"  # --db wins over both
    with pytest.raises(ConfigError, match="DATABASE_URL is a mysql address, but the bot keeps its data in"):
        load(None, env={"DATABASE_URL": "mysql://u:p@host/db"})
    # An explicit path leaves a platform's DATABASE_URL to the app it was made for.
    env = {"DATABASE_URL": "postgres://u:p@host/db", "VOLUNTEER_BOT_DATABASE__PATH": "/data/bot.sqlite3"}
    assert load(None, env=env).database.target() == "/data/bot.sqlite3"


def test_a_postgresql_url_that_cannot_be_read_is_a_config_error_among_the_others() -> None:
    with pytest.raises(ConfigError) as raised:
        load(None, env={"DATABASE_URL": "postgresql://u:secret@host:5432x/db", "VOLUNTEER_BOT_ASKS__PAGE_SIZE": "0"})
    said = str(raised.value)
    assert "`database.url` (from DATABASE_URL): the database URL can't be read (Port could not be cast" in said
    assert "asks.page_size" in said and "secret" not in said


def test_every_settings_environment_variable_is_documented() -> None:
    example = (ROOT / "config.example.yaml").read_text()
    readme = (ROOT / "README.md").read_text()
    leaves = {key for key in _keys(Config()) if not any(other.startswith(key + ".") for other in _keys(Config()))}
    for key in sorted(leaves):
        variable = "VOLUNTEER_BOT_" + "__".join(part.upper() for part in key.split("."))
        assert f"# env: {variable}" in example, f"config.example.yaml does not name {variable}"
        assert f"`{variable}`" in readme, f"README.md does not list {variable}"
        assert load(None, env={variable: _example_value(_at(Config(), key))}) is not None


def _at(obj: object, key: str) -> object:
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


def _example_value(default: object) -> str:
    """A value for a variable that the loader must accept: the default, written as a person would."""
    if isinstance(default, bool):
        return str(default).lower()
    if isinstance(default, list):
        return "[]"
    return "" if default is None else str(default)


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"VOLUNTEER_BOT_DATABASE__PATH": ""}, "`database.path` (from VOLUNTEER_BOT_DATABASE__PATH)"),
        ({"VOLUNTEER_BOT_DATABASE__PATH": "  "}, "`database.path` (from VOLUNTEER_BOT_DATABASE__PATH)"),
        ({"DATABASE_URL": "sqlite://"}, "`database.url` (from DATABASE_URL)"),
        ({"VOLUNTEER_BOT_DATABASE__URL": "sqlite://"}, "`database.url` (from VOLUNTEER_BOT_DATABASE__URL)"),
    ],
)
def test_a_database_setting_that_names_no_file_is_refused(env: dict[str, str], key: str) -> None:
    """SQLite given no name keeps the data in a temporary file, gone when the bot stops."""
    with pytest.raises(ConfigError) as raised:
        load(None, env=env)
    assert raised.value.problems == [f"{key} names no file; write it like /data/volunteer-bot.sqlite3"]


def test_matrix_rooms_that_are_neither_alias_nor_id_and_a_blank_name_are_config_errors(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        'organisation:\n  name: " "\nmatrix:\n  homeserver: "https://matrix.example.org"\n'
        '  user_id: "@bot:example.org"\n  main_room: "general"\n'
        '  rooms: ["#ok:example.org", "!AbC:example.org", "!aEPISXXq7uJYWuzNMhHlMfkm9yU1", "reading group"]\n'
    )
    with pytest.raises(ConfigError) as raised:
        load(path, env={})
    assert raised.value.problems == [
        '`organisation.name` should be your network\'s name, like "Library Workers United"',
        "`matrix.main_room`: 'general' should be a room's alias like #general:example.org or its id like "
        "!AbCdEf:example.org",
        "`matrix.rooms`: 'reading group' should be a room's alias like #reading-group:example.org or its id like "
        "!AbCdEf:example.org",
    ]


def test_a_list_in_the_environment_may_be_written_with_commas_alone() -> None:
    """As a PaaS dashboard invites; read as YAML, `#union:…` was a comment and the value nothing."""
    env = {
        "VOLUNTEER_BOT_MATRIX__ROOMS": "#union:example.org, #leads:example.org",
        "VOLUNTEER_BOT_DISCORD__GUILD_IDS": "123456789012345678,42",
        "VOLUNTEER_BOT_ADMINS": "discord:1, matrix:@ana:example.org",
    }
    config = load(None, env=env)
    assert config.matrix.rooms == ["#union:example.org", "#leads:example.org"]
    assert config.discord.guild_ids == [123456789012345678, 42]
    assert config.admins == ["discord:1", "matrix:@ana:example.org"]
    assert load(None, env={"VOLUNTEER_BOT_MATRIX__ROOMS": '["#union:example.org"]'}).matrix.rooms == [
        "#union:example.org"
    ]
    with pytest.raises(ConfigError, match=r"`discord.guild_ids\[1\]` \(from VOLUNTEER_BOT_DISCORD__GUILD_IDS\)"):
        load(None, env={"VOLUNTEER_BOT_DISCORD__GUILD_IDS": "12, twelve"})


def test_a_room_alias_without_quotes_which_yaml_reads_as_a_comment_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "matrix:\n  main_room: #union:example.org\n  rooms:\n    - #leads:example.org\n"
        '    - "#ok:example.org"\n  # a comment: fine\n  user_id: "@bot:example.org"  # note: fine\n'
        "  device_id:   # a comment after a key left empty: fine\ndiscord:\n  announce_channel: #general\n"
    )
    with pytest.raises(ConfigError) as raised:
        load(path, env={})
    assert raised.value.problems[:3] == [
        f"{path}, line 2: YAML reads #union:example.org as a comment, so `main_room` is empty; quote it: "
        '"#union:example.org"',
        f"{path}, line 4: YAML reads #leads:example.org as a comment, so a list item is empty; quote it: "
        '"#leads:example.org"',
        f'{path}, line 10: YAML reads #general as a comment, so `announce_channel` is empty; quote it: "#general"',
    ]
    path.write_text('matrix:\n  main_room: "#union:example.org"\n  rooms: ["#leads:example.org"]\n')
    assert load(path, env={}).matrix.main_room == "#union:example.org"
    path.write_text("welcome:\n  text: |\n    Hello!\n    - #general is where we talk\n    note: #tag\n")
    assert load(path, env={}).welcome.text == "Hello!\n- #general is where we talk\nnote: #tag\n"  # a block's text
