"""Configuration: one YAML file and/or environment variables for settings, the environment for secrets.

The file is read into frozen dataclasses; `VOLUNTEER_BOT_<SECTION>__<KEY>` variables (and
`DATABASE_URL`) are laid over it, so a PaaS deploy needs no file at all (`bot.config_env`). A
missing key means the documented default. Every mistake is collected — unknown keys, wrong types,
bad values, secrets written into the file — and reported together, each naming the key and the
fix, so a deployer fixes a file in one pass instead of one run per mistake. Secrets
(`DISCORD_TOKEN`, `MATRIX_ACCESS_TOKEN`, `MATRIX_PASSWORD`) are only ever read from the environment.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

import yaml

from bot.config_checks import SECRET_KEYS, Report, check_database_option, check_platforms, check_values
from bot.config_env import environment_data
from bot.settings import (
    WEEKDAYS as WEEKDAYS,
)
from bot.settings import (
    AskSettings as AskSettings,
)
from bot.settings import (
    Config as Config,
)
from bot.settings import (
    ConfigError as ConfigError,
)
from bot.settings import (
    ConsoleSettings as ConsoleSettings,
)
from bot.settings import (
    DatabaseSettings as DatabaseSettings,
)
from bot.settings import (
    DiscordSettings as DiscordSettings,
)
from bot.settings import (
    LimitSettings as LimitSettings,
)
from bot.settings import (
    LoggingSettings as LoggingSettings,
)
from bot.settings import (
    MatrixSettings as MatrixSettings,
)
from bot.settings import (
    NetworkSettings as NetworkSettings,
)
from bot.settings import (
    NudgeSettings as NudgeSettings,
)
from bot.settings import (
    Organisation as Organisation,
)
from bot.settings import (
    PrivacySettings as PrivacySettings,
)
from bot.settings import (
    QuietHours as QuietHours,
)
from bot.settings import (
    SchedulerSettings as SchedulerSettings,
)
from bot.settings import (
    Secrets as Secrets,
)
from bot.settings import (
    WebSettings as WebSettings,
)
from bot.settings import (
    WeeklyAt as WeeklyAt,
)
from bot.settings import (
    parse_listen as parse_listen,
)

T = TypeVar("T")


#: What follows a value YAML read as empty, when it starts with `#` and no space, as a Matrix
#: room alias or a Discord channel's name is written (`main_room: #union:example.org`,
#: `announce_channel: #general`): YAML takes it for a comment, and the setting was silently empty
#: (no main room: no welcomes, no roles from power levels; no announcements). `_commented`.
_COMMENTED = re.compile(r"[ \t]+(#[^\s#]\S*)")


def load(
    path: str | Path | None,
    env: Mapping[str, str] | None = None,
    secrets: Secrets | None = None,
    *,
    db: str | None = None,
    given: set[str] | None = None,
) -> Config:
    """The config from a file (`None`: none) with the environment's settings laid over it.

    With `secrets`, also checks that each platform with credentials has what it needs to
    connect (for `run` and `check-config`; the console needs no platform). With `db`, checks a
    `--db` too (`check-config`, which should not say "config OK" and then refuse it). `given`, if
    passed, receives the keys the file and the environment set (`logging.level`: the console's
    quieter default yields to one set on purpose). Raises one `ConfigError` listing every
    problem found: a file that cannot be read at all does not hide the environment's.
    """
    source = os.environ if env is None else env
    report = Report()
    read = _read_file(Path(path), report) if path is not None else {}
    data: dict[str, Any] = read if read is not None else {}
    _merge(data, environment_data(source, Config, report))
    config = _build(Config, data, "", report)
    check_values(config, report)
    if db is not None:
        check_database_option(db, report)
    if secrets is not None and read is not None:  # (without the file, its Matrix keys would look missing)
        check_platforms(config, secrets, report)
    if given is not None:
        given.update(_paths(data))
    if report.problems:
        raise ConfigError(report.problems)
    return config


def _paths(data: Mapping[str, Any], where: str = "") -> list[str]:
    """The dotted keys a nested mapping sets."""
    found = []
    for key, value in data.items():
        path = f"{where}.{key}" if where else str(key)
        found += _paths(value, path) if isinstance(value, Mapping) else [path]
    return found


def _read_file(file: Path, report: Report) -> dict[str, Any] | None:
    """The file's mapping, or None when it cannot be read at all (said in the report, with the
    environment's mistakes after it). A value YAML reads as a comment, and a key given twice,
    are reported with the others (`_COMMENTED`, `_twice`)."""
    try:
        text = file.read_text("utf-8")
    except FileNotFoundError:
        report.add(
            f"{file}: no such file. Copy config.example.yaml to start one, or leave out --config "
            "to use the defaults and VOLUNTEER_BOT_… environment variables."
        )
        return None
    except (OSError, UnicodeDecodeError) as error:
        report.add(f"{file}: can't read it ({error}). Check the path and its permissions.")
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        report.add(f"{file}: not valid YAML{_yaml_where(error)}. Check the indentation and quotes there.")
        return None
    root = yaml.compose(text)
    for number, key, value in _commented(root, text):
        what, quoted = (f"`{key}`" if key else "a list item"), f'"{value}"'
        report.add(f"{file}, line {number}: YAML reads {value} as a comment, so {what} is empty; quote it: {quoted}")
    for key, lines in _twice(root):
        at = ", ".join(str(line) for line in lines[:-1]) + f" and {lines[-1]}"
        times = "twice" if len(lines) == 2 else f"{len(lines)} times"
        report.add(f"{file}, lines {at}: `{key}` appears {times}, and YAML keeps only the last; merge them into one")
    if data is None:
        return {}
    if not isinstance(data, dict):
        report.add(f"{file}: the top level must be a mapping of keys to values, like config.example.yaml")
        return None
    return data


def _twice(root: yaml.Node | None) -> list[tuple[str, list[int]]]:
    """(dotted key, its lines) for each key a mapping has more than once: YAML keeps the last
    silently, and a section pasted in from config.example.yaml under one's own threw the first
    away without a word."""
    found, seen = [], set()
    pending: list[tuple[yaml.Node | None, str]] = [(root, "")]
    while pending:
        node, where = pending.pop()
        if node is None or id(node) in seen:  # (an alias names a node already looked at)
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            lines: dict[str, list[int]] = {}
            for name, value in node.value:
                key = f"{where}.{name.value}" if where and isinstance(name, yaml.ScalarNode) else str(name.value)
                if isinstance(name, yaml.ScalarNode) and name.tag != "tag:yaml.org,2002:merge":
                    lines.setdefault(key, []).append(name.start_mark.line + 1)
                pending.append((value, key))
            found += [(key, numbers) for key, numbers in lines.items() if len(numbers) > 1]
        elif isinstance(node, yaml.SequenceNode):
            pending += [(item, f"{where}[{i}]") for i, item in enumerate(node.value)]
    return sorted(found, key=lambda each: each[1][0])


def _commented(root: yaml.Node | None, text: str) -> list[tuple[int, str | None, str]]:
    """(line, key or None for a list item, what followed) for each value YAML read as empty where
    the line goes on with what looks like a value (`_COMMENTED`); the text of a block (`|`) is
    never one."""
    lines, found, seen = text.splitlines(), [], set()
    pending: list[tuple[yaml.Node | None, str | None]] = [(root, None)]
    while pending:
        node, key = pending.pop()
        if id(node) in seen:  # an alias (`*name`) names a node already looked at, maybe its own parent
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            pending += [(value, getattr(name, "value", None)) for name, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            pending += [(item, None) for item in node.value]
        elif node is not None and node.tag.endswith(":null") and node.value == "":
            rest = lines[node.start_mark.line][node.start_mark.column :] if node.start_mark.line < len(lines) else ""
            if match := _COMMENTED.match(rest):
                found.append((node.start_mark.line + 1, key, match.group(1)))
    return sorted(found, key=lambda each: each[0])


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> None:
    """Lay `over` onto `base`; mappings merge key by key, anything else is replaced."""
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def _yaml_where(error: yaml.YAMLError) -> str:
    """Where and what: a quote left open is found only at the file's end, so the line where the
    broken part began is named too."""
    where = getattr(error, "problem_mark", None)
    began = getattr(error, "context_mark", None)
    what = getattr(error, "problem", None) or "it does not parse"
    if where is None:
        return f" ({what})"
    if began is not None and began.line < where.line:
        context = getattr(error, "context", None) or "in what begins there"
        return f" from line {began.line + 1} to line {where.line + 1} ({what} {context})"
    return f" at line {where.line + 1} ({what})"


def build(cls: type[T], data: Mapping[str, Any], where: str) -> T:
    """A dataclass from a mapping, refusing unknown keys and wrong types (all of them at once)."""
    report = Report()
    built = _build(cls, data, where, report)
    if report.problems:
        raise ConfigError(report.problems)
    return built


def validate(config: Config) -> Config:
    """Checks across keys that types alone cannot express; raises listing every problem."""
    report = Report()
    check_values(config, report)
    if report.problems:
        raise ConfigError(report.problems)
    return config


def _build(cls: type[T], data: Mapping[str, Any], where: str, report: Report, base: Any = None) -> T:
    """A dataclass from a mapping; a bad key is reported and left at its default.

    `base` is the section's default when it differs from the class's own (the digest's 09:00 is
    not `WeeklyAt`'s 10:00): a section given in part keeps the documented defaults for the rest.
    """
    hints = get_type_hints(cls)
    defaults = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for key, raw in data.items():
        path = f"{where}.{key}" if where else str(key)
        if key not in defaults:
            report.add(_unknown(path, str(key), list(defaults), report))
            continue
        try:
            values[key] = _coerce(hints[key], raw, path, _default(defaults[key]), report)
        except _Bad as bad:
            report.add(bad.message)
    if base is not None:
        return dataclasses.replace(base, **values)  # type: ignore[no-any-return]
    return cls(**values)


def _unknown(path: str, key: str, names: list[str], report: Report) -> str:
    if path.lower() in SECRET_KEYS:
        return (
            f"{report.name(path)}: secrets never go in the config; delete it there and set "
            f"{SECRET_KEYS[path.lower()]} in the environment instead"
        )
    close = difflib.get_close_matches(key, names, n=1)
    elsewhere = [known for known in _key_paths(Config) if known.rsplit(".", 1)[-1] == key]
    if close:
        hint = f" (did you mean `{close[0]}`?)"
    elif elsewhere:  # `nudges.stale_claim_days`, as the spec names it under nudges
        hint = f" (it belongs at `{'` or `'.join(elsewhere)}`)"
    else:
        hint = f" (known here: {', '.join(names)})"
    return f"unknown key {report.name(path)}{hint}"


def _key_paths(cls: type, where: str = "") -> list[str]:
    """Every key the config knows, as dotted paths (a section's key put in another section is
    named where it belongs)."""
    paths: list[str] = []
    for name, hint in get_type_hints(cls).items():
        path = f"{where}.{name}" if where else name
        paths.append(path)
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            paths.extend(_key_paths(hint, path))
    return paths


def _default(spec: dataclasses.Field[Any]) -> Any:
    if spec.default is not dataclasses.MISSING:
        return spec.default
    if spec.default_factory is not dataclasses.MISSING:
        return spec.default_factory()
    return None


class _Bad(Exception):
    """One value that cannot be used; its message names the key and the fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _coerce(hint: Any, raw: Any, path: str, default: Any, report: Report) -> Any:
    name = report.name(path)
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        if raw is None:
            return None
        return _coerce(options[0], raw, path, default, report)
    if origin is list:
        (item,) = get_args(hint)
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise _Bad(f"{name} should be a list, like [{_example(item, raw)}]")
        return [_coerce(item, element, f"{path}[{i}]", None, report) for i, element in enumerate(raw)]
    if dataclasses.is_dataclass(hint):
        if not isinstance(raw, dict):
            raise _Bad(f"{name} should be a mapping of keys (see config.example.yaml)")
        return _build(hint, raw, path, report, default)  # type: ignore[arg-type]
    if hint is bool:
        if not isinstance(raw, bool):
            raise _Bad(f"{name} should be true or false, not {raw!r}")
        return raw
    if hint is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            like = f", like {default}" if isinstance(default, int) else ""
            raise _Bad(f"{name} should be a whole number{like}, not {raw!r}")
        return raw
    if hint is str:
        if raw is None:
            raise _Bad(f"{name} is empty; write the text (in quotes if it starts with # or @)")
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            raise _Bad(f'{name} should be text; put it in quotes, like "{raw}"')
        return str(raw)
    raise _Bad(f"{name} has a type this loader does not know: {hint}")


def _example(item: Any, raw: Any = None) -> str:
    """A list to write: the one value given, in brackets (`admins: discord:123` is one admin),
    else a made-up one."""
    if item is str and isinstance(raw, str | int) and not isinstance(raw, bool):
        return f'"{raw}"'
    if item is int and isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    return "1, 2" if item is int else '"a", "b"'
