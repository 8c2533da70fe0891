"""Settings from environment variables, so a PaaS deploy (git push, config vars) needs no file.

The scheme: `VOLUNTEER_BOT_<SECTION>__<KEY>=value` sets `section.key` (a double underscore
between levels, as in `VOLUNTEER_BOT_SCHEDULER__DIGEST__DAY=friday`; a top-level key has none:
`VOLUNTEER_BOT_ADMINS`). Names are case-blind. A text setting takes the value as typed (so
`21:00` stays a time and `no` stays a word; empty means unset where that is allowed); numbers,
true/false, lists and mappings are read as YAML (`[123, 456]`, `true`, `7`), and a list may also
be written with commas alone (`123, 456`; `#union:example.org, #leads:example.org`). `DATABASE_URL` (as
PaaS databases set it) gives `database.url`: `postgresql://…` (several processes, spec §17), or a
SQLite file as a plain path, `sqlite:///relative/path` or `sqlite:////absolute/path`.

The environment wins over the file, key by key. A `VOLUNTEER_BOT_` variable that names no
setting but is one underscore away from one (`VOLUNTEER_BOT_DATABASE_URL`) is a mistake, said
with the name meant: ignored, it left the bot on its SQLite default while the deployer believed
it on PostgreSQL. Others are left alone, as the project's own are (`OWN`).
"""

from __future__ import annotations

import dataclasses
import difflib
import types
from collections.abc import Mapping
from typing import Any, Union, get_args, get_origin, get_type_hints

import yaml

from bot.config_checks import SECRET_KEYS, Report
from bot.settings import Config

PREFIX = "VOLUNTEER_BOT_"

#: The project's own variables, which are no settings: `./dev`'s, the crash and soak tests', the
#: benchmarks' and the test suite's PostgreSQL.
OWN = frozenset({"VENV", "PAUSE_AT", "TRACE_POINTS", "SOAK_SEED", "TEST_POSTGRES", "BENCH_POSTGRES"})


def environment_data(env: Mapping[str, str], root: type, report: Report) -> dict[str, Any]:
    """The settings the environment gives, as a nested mapping like the YAML file's."""
    data: dict[str, Any] = {}
    top = {f.name for f in dataclasses.fields(root)}
    for variable in sorted(env):
        if not variable.upper().startswith(PREFIX):
            continue
        parts = [part.lower() for part in variable[len(PREFIX) :].split("__")]
        path = ".".join(parts)
        if path in SECRET_KEYS:
            report.add(f"{variable}: secrets have their own variable; set {SECRET_KEYS[path]} instead")
            continue
        if len(parts) == 1 and parts[0] not in top:
            if (meant := _meant(variable, root)) is not None:
                levels = " (two underscores between levels)" if "__" in meant else ""
                report.add(f"{variable} is not a setting; did you mean {meant}?{levels}")
            continue  # not a setting: another tool's variable
        report.sources[path] = variable
        value = _value(env[variable], _hint_at(root, parts), variable, report)
        if value is not _UNREADABLE:
            _put(data, parts, value)
    _database_url(env, data, report)
    return data


_UNREADABLE = object()


def setting_variables(env: Mapping[str, str]) -> list[str]:
    """The names of the variables in `env` that give settings (for `check-config` to show)."""
    top = {f.name for f in dataclasses.fields(Config)}
    found = []
    for variable in sorted(env):
        if variable.upper().startswith(PREFIX):
            parts = variable[len(PREFIX) :].lower().split("__")
            if len(parts) > 1 or parts[0] in top:
                found.append(variable)
    if env.get("DATABASE_URL", "").strip():
        found.append("DATABASE_URL")
    return found


def _meant(variable: str, root: type) -> str | None:
    """The setting's variable a name with no double underscore was meant to be, if one is near:
    the same with `_` for `__`, or a close spelling of it. None for the project's own (`OWN`) and
    for names far from every setting (another tool's)."""
    name = variable[len(PREFIX) :].upper()
    if name in OWN:
        return None
    flat = {path.upper().replace(".", "_"): PREFIX + path.upper().replace(".", "__") for path in _setting_paths(root)}
    close = difflib.get_close_matches(name, list(flat), n=1, cutoff=0.85)
    return flat[close[0]] if close else None


def _setting_paths(cls: type, where: str = "") -> list[str]:
    """Every setting's dotted path (the leaves: sections are not set by one variable)."""
    paths = []
    for name, hint in get_type_hints(cls).items():
        path = f"{where}.{name}" if where else name
        nested = dataclasses.is_dataclass(hint) and isinstance(hint, type)
        paths += _setting_paths(hint, path) if nested else [path]
    return paths


def _value(raw: str, hint: Any, variable: str, report: Report) -> Any:
    """Text settings as typed (empty means unset where a setting may be unset); everything else
    read as YAML."""
    if _is_text(hint):
        return None if not raw.strip() and _optional(hint) else raw
    if get_origin(hint) is list and not raw.strip().startswith("["):
        # As a PaaS dashboard invites typing a list: `#union:example.org, #leads:example.org`. Read
        # as YAML, a `#` starts a comment and the whole value was silently nothing.
        items = [item.strip() for item in raw.split(",") if item.strip()]
        return items if get_args(hint) == (str,) else [yaml.safe_load(item) for item in items]
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError:
        report.add(f"{variable}: can't read {raw!r}; write a number, true/false, or a list like [1, 2]")
        return _UNREADABLE


def _is_text(hint: Any) -> bool:
    if get_origin(hint) in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        return options == [str]
    return hint is str


def _optional(hint: Any) -> bool:
    return get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint)


def _hint_at(root: type, parts: list[str]) -> Any:
    """The type of the setting at `parts`, or None when there is no such setting."""
    hint: Any = root
    for part in parts:
        if not dataclasses.is_dataclass(hint):
            return None
        hints = get_type_hints(hint)
        if part not in hints:
            return None
        hint = hints[part]
    return hint


def _put(data: dict[str, Any], parts: list[str], value: Any) -> None:
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    last = node.get(parts[-1])
    if isinstance(last, dict) and isinstance(value, dict):
        last.update(value)
    else:
        node[parts[-1]] = value


def _database_url(env: Mapping[str, str], data: dict[str, Any], report: Report) -> None:
    """`DATABASE_URL` as `database.url`, unless `VOLUNTEER_BOT_DATABASE__PATH` or `…__URL` says
    otherwise (then DATABASE_URL is left to another app)."""
    url = env.get("DATABASE_URL", "").strip()
    if not url or "database.path" in report.sources or "database.url" in report.sources:
        return
    if "://" in url and not url.startswith(("sqlite://", "postgresql://", "postgres://")):
        scheme = url.split("://", 1)[0]
        report.add(
            f"DATABASE_URL is a {scheme} address, but the bot keeps its data in PostgreSQL or SQLite: set "
            "DATABASE_URL=postgresql://user:password@host/dbname, or a SQLite file like "
            "sqlite:////data/volunteer-bot.sqlite3, or set VOLUNTEER_BOT_DATABASE__PATH to leave DATABASE_URL "
            "to another app"
        )
        return
    report.sources["database.url"] = "DATABASE_URL"
    _put(data, ["database", "url"], url)
