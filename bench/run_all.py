"""Run every benchmark, each in its own process, and write `bench/RESULTS.md`.

    ./dev bench [--only commands,sweep] [--output bench/RESULTS.md]
    .venv/bin/python bench/run_all.py …   (the same)

Each benchmark runs as a separate process (so its imports and memory do not leak into the
next), prints its own figures, and hands them back as JSON; this script puts them in one table
with the machine's description: figure, measured, baseline, ratio, target, pass/fail. The
national-scale dataset is built first (or found in `bench/out/`), once for the whole set. Only
the top of the output (down to its first `## ` section) is written anew: the sections below it
(figures of single benchmarks measured on their own, with how and why) are kept as they were,
and the hand-written record of what was fixed, with the figures before and after,
`bench/fixes.md`, is copied to the end. Exit status 1 if any figure misses its target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from figures import fmt_value

HERE = Path(__file__).resolve().parent
BENCHMARKS: dict[str, list[str]] = {  # name → arguments; in this order
    "commands": [],
    "mix": ["--runs", "3"],
    "backlog": ["--runs", "3"],
    "sweep": [],
    "matching": [],
    "pairing": ["--sizes", "10000"],
    "startup": [],
    "leadviews": [],
    "delivery": [],
    "dashboard": [],
    "matrix_roundtrip": ["--rounds", "60"],
    "postgres": [],
}


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    return [
        f"- Machine: {cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), SQLite {sqlite3.sqlite_version}",
    ]


def run(name: str, args: list[str], folder: Path) -> tuple[list[dict[str, object]], float, int]:
    out = folder / f"{name}.json"
    command = [sys.executable, str(HERE / f"{name}.py"), *args, "--json", str(out)]
    print(f"\n=== {name}: {' '.join(Path(c).name if i < 2 else c for i, c in enumerate(command))}", flush=True)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=HERE.parent)
    took = time.perf_counter() - started
    figures = json.loads(out.read_text("utf-8")) if out.exists() else []
    return figures, took, result.returncode


def cell(value: object, unit: str) -> str:
    return "" if value is None else fmt_value(float(value), unit)  # type: ignore[arg-type]


def table(rows: list[tuple[str, dict[str, object]]]) -> list[str]:
    lines = [
        "| benchmark | figure | measured | baseline | ratio | target | result |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for name, f in rows:
        unit = str(f["unit"])
        baseline = cell(f["baseline"], unit)
        if baseline and f.get("baseline_label"):
            baseline += f" ({f['baseline_label']})"
        ratio = "" if f.get("ratio") is None else f"{float(f['ratio']):.2f}×"  # type: ignore[arg-type]
        verdict = {None: "", True: "pass", False: "**FAIL**"}[f.get("passed")]  # type: ignore[index]
        figure = str(f["name"]) + (f" — {f['note']}" if f.get("note") else "")
        lines.append(
            f"| {name} | {figure} | {cell(f['measured'], unit)} | {baseline} | {ratio} | {f.get('target', '')} "
            f"| {verdict} |"
        )
    return lines


def kept_sections(output: Path, record_title: str) -> list[str]:
    """The sections below the generated table of the file about to be replaced, up to the record
    of fixes (written again from `fixes.md`): measurements kept across runs, never lost to one."""
    if not output.exists():
        return []
    text = output.read_text("utf-8")
    start = text.find("\n## ")
    if start < 0:
        return []
    sections = text[start + 1 :]
    if record_title and record_title in sections:
        sections = sections[: sections.index(record_title)]
    return [sections.rstrip(), ""] if sections.strip() else []


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"))
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else list(BENCHMARKS)
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {', '.join(BENCHMARKS)}")
    started = time.perf_counter()
    print("=== the national-scale dataset", flush=True)
    subprocess.run([sys.executable, str(HERE / "scale.py")], cwd=HERE.parent, check=True)
    built = time.perf_counter() - started
    rows: list[tuple[str, dict[str, object]]] = []
    times: list[str] = [f"dataset {built:.0f} s"]
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for name in chosen:
            figures, took, code = run(name, BENCHMARKS[name], Path(folder))
            times.append(f"{name} {took:.0f} s")
            if code not in (0, 1) or not figures:  # 1: finished, and missed a target (listed below)
                failed.append(f"{name} (exit {code})")
            rows += [(name, f) for f in figures]
    total = time.perf_counter() - started
    misses = [f"{name}: {f['name']}" for name, f in rows if f.get("passed") is False]
    report = [
        "# Benchmark results",
        "",
        f"Written by `./dev bench` (`bench/run_all.py`) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        "what each figure means and what limits it: [docs/performance.md](../docs/performance.md).",
        "",
        *machine(),
        f"- Run time: {total / 60:.1f} min ({', '.join(times)})",
        "- Scale: 100,000 volunteers, 1,000,000 contact-log entries, 10,000 open asks, 50,000 intros "
        "(`bench/scale.py`, seed 9)",
        "",
        *table(rows),
        "",
    ]
    if failed:
        report += [f"Benchmarks that did not finish: {', '.join(failed)}.", ""]
    if misses:
        report += ["Missed targets: " + "; ".join(misses) + ".", ""]
    fixes = HERE / "fixes.md"
    record = fixes.read_text("utf-8").rstrip() if fixes.exists() else ""
    report += kept_sections(Path(args.output), record.split("\n", 1)[0])
    if record:
        report += [record, ""]
    Path(args.output).write_text("\n".join(report), "utf-8")
    print(
        f"\nwrote {args.output} in {total / 60:.1f} min; "
        + ("all targets met" if not misses else "missed: " + "; ".join(misses))
    )
    return 1 if misses or failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
