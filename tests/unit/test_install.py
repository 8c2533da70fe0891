"""What installing and deploying rely on: the files buildpacks read and what ./dev installs."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dev_script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("dev_script", str(ROOT / "dev"))
    spec = importlib.util.spec_from_loader("dev_script", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("argv", "extras"),
    [
        (["py", "-m", "bot", "backup", "copy.sqlite3"], ""),
        (["run"], ""),
        (["console", "--db", "demo.sqlite3"], ""),
        (["bench"], "dev"),
    ],
)
def test_operations_use_the_base_install_and_only_tests_and_benchmarks_the_dev_tools(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], extras: str
) -> None:
    dev = _dev_script()
    installed: list[str] = []
    monkeypatch.setattr(dev, "_ensure", installed.append)
    monkeypatch.setattr(dev, "_exec", lambda command: None)
    dev.main(argv)
    assert installed == [extras]


def test_buildpacks_find_the_project_and_python_3_11() -> None:
    requirements = [
        line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines() if not line.startswith("#")
    ]
    assert [line for line in requirements if line] == ["."]
    assert (ROOT / ".python-version").read_text().strip() == "3.11"


def test_the_package_metadata_installs_without_deprecation_warnings() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "AGPL-3.0-or-later"  # an SPDX string, not a table
    assert project["build-system"]["requires"] == ["setuptools>=77"]
    assert project["tool"]["setuptools"]["package-dir"] == {"": "."}
