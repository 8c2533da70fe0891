"""Configuration: the example file is complete and valid; mistakes are named clearly."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, Secrets, load

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
