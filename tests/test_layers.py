"""The layers of `bot/`, checked: each behaviour in its area, adapters as transport, no cycles.

- Plumbing (`storage/`, `core/`, `scheduling/`) and the shared vocabulary (`ids.py`, `clock.py`)
  never import an area or an adapter.
- An area imports other areas only through their package (`bot.areas.people`), never their
  modules (`bot.areas.people.queries`), and never an adapter.
- SQL is written only in `storage/` and in an area's query modules (`queries.py`, and
  `<part>_queries.py` for a part of it, such as `reminder_queries.py`).
- The web server (`bot/web`) is presentation, like an adapter: nothing but the command line
  imports it, and it uses areas only through their packages.
- Only the clock asks the system for the time (`datetime.now`, `time.time`, `date.today`).
- No module imports itself, however indirectly.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

BOT = Path(__file__).resolve().parents[1] / "bot"
PLUMBING = ("bot.storage", "bot.core", "bot.scheduling", "bot.ids", "bot.clock")
_SQL = re.compile(
    r"\b(SELECT\b.+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX))\b"
)
_CLOCK_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("time", "time"), ("date", "today")}


def _module(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, ast.Module]:
    return {_module(path): ast.parse(path.read_text("utf-8")) for path in sorted(BOT.rglob("*.py"))}


def imports(name: str) -> Iterator[str]:
    """Every bot module `name` imports (a `from package import submodule` names the submodule)."""
    known = modules()
    package = name if (BOT.parent / name.replace(".", "/") / "__init__.py").exists() else name.rpartition(".")[0]
    for node in ast.walk(known[name]):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("bot"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            if not base.startswith("bot"):
                continue
            for alias in node.names:
                yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base


def _area(name: str) -> str | None:
    parts = name.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "areas" and parts[2] != "area" else None


def test_plumbing_never_imports_an_area_or_an_adapter() -> None:
    wrong = [
        f"{name} imports {target}"
        for name in modules()
        if name.startswith(PLUMBING)
        for target in imports(name)
        if target.startswith(("bot.areas", "bot.adapters", "bot.catalog", "bot.app", "bot.web"))
    ]
    assert not wrong, wrong


def test_the_web_server_is_presentation_used_by_nothing_and_using_areas_only_through_their_packages() -> None:
    wrong = []
    for name in modules():
        for target in imports(name):
            if target.startswith("bot.web") and not name.startswith("bot.web") and name != "bot.__main__":
                wrong.append(f"{name} imports {target}")
            other = _area(target)
            if name.startswith("bot.web") and other is not None and target != f"bot.areas.{other}":
                wrong.append(f"{name} imports {target}, inside the {other} area")
            if name.startswith("bot.web") and target.startswith(("bot.adapters", "bot.catalog", "bot.app")):
                wrong.append(f"{name} imports {target}")
    assert not wrong, wrong
    assert "bot.web.server" in modules() and "bot.areas.dashboard" in set(imports("bot.web.server"))


def test_an_area_uses_other_areas_only_through_their_package_and_never_an_adapter() -> None:
    wrong = []
    for name in modules():
        area = _area(name)
        if area is None:
            continue
        for target in imports(name):
            other = _area(target)
            if target.startswith(("bot.adapters", "bot.catalog", "bot.app", "bot.web")):
                wrong.append(f"{name} imports {target}")
            elif other is not None and other != area and target != f"bot.areas.{other}":
                wrong.append(f"{name} imports {target}, inside the {other} area")
    assert not wrong, wrong


def _is_area_part_queries(name: str) -> bool:
    """An area's module of part of its SQL (`bot.areas.asks.reminder_queries`)."""
    return _area(name) is not None and name.count(".") == 3 and name.endswith("_queries")


def test_sql_is_only_in_storage_and_the_areas_query_modules() -> None:
    wrong = []
    for name, tree in modules().items():
        if name.startswith("bot.storage") or name.endswith(".queries") or _is_area_part_queries(name):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL.search(node.value):
                wrong.append(f"{name}:{node.lineno}")
    assert not wrong, wrong


def test_only_the_clock_reads_the_time() -> None:
    wrong = []
    for name, tree in modules().items():
        if name == "bot.clock":
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in _CLOCK_CALLS
            ):
                wrong.append(f"{name}:{node.lineno} {node.value.id}.{node.attr}")
    assert not wrong, wrong


def test_there_are_no_import_cycles() -> None:
    graph = {name: sorted(set(imports(name)) & set(modules()) - {name}) for name in modules()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in graph:
        if name not in index:
            visit(name)
    assert not cycles, cycles


def test_the_checks_see_the_whole_package() -> None:
    """A guard against a check that finds nothing because it reads nothing."""
    names = modules()
    assert "bot.core.dispatch" in names and "bot.areas.asks.queries" in names
    assert "bot.areas.asks.queries" in set(imports("bot.areas.asks.rules"))
    strings = [n.value for n in ast.walk(names["bot.areas.asks.queries"]) if isinstance(n, ast.Constant)]
    assert any(isinstance(text, str) and _SQL.search(text) for text in strings)
