"""What every benchmark reports: figures with their baseline, target and verdict.

Each benchmark prints its figures as a table and, with `--json PATH`, also writes them as JSON
for `bench/run_all.py`, which gathers every benchmark's figures into `bench/RESULTS.md`.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    """One measured figure, with what it is compared to. `ratio` is always measured ÷ baseline;
    `passed` is None when the figure has no target of its own."""

    name: str
    measured: float
    unit: str
    target: str = ""
    passed: bool | None = None
    baseline: float | None = None
    baseline_label: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.measured / self.baseline


def fmt_value(value: float, unit: str) -> str:
    """Three significant figures or so, with thousands separators."""
    if unit == "%":
        return f"{value:.1f} %"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    elif abs(value) >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".rstrip()


def table(figures: Sequence[Figure]) -> str:
    """A Markdown table of figures (also fine to read in a terminal)."""
    rows = ["| figure | measured | baseline | ratio | target | result |", "|---|---:|---:|---:|---|---|"]
    for f in figures:
        baseline = "" if f.baseline is None else fmt_value(f.baseline, f.unit)
        if f.baseline_label and baseline:
            baseline += f" ({f.baseline_label})"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}×"
        verdict = "" if f.passed is None else ("pass" if f.passed else "**FAIL**")
        name = f.name + (f" — {f.note}" if f.note else "")
        rows.append(f"| {name} | {fmt_value(f.measured, f.unit)} | {baseline} | {ratio} | {f.target} | {verdict} |")
    return "\n".join(rows)


def report(figures: Sequence[Figure], json_path: str | None) -> None:
    """Print the figures; write them as JSON too when asked (by `run_all.py`)."""
    print(table(figures), flush=True)
    if json_path:
        data = [{**asdict(f), "ratio": f.ratio} for f in figures]
        Path(json_path).write_text(json.dumps(data, indent=1), "utf-8")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation, as numpy's default."""
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=1000, method="inclusive")
    index = round(q * 10) - 1
    return cuts[min(max(index, 0), len(cuts) - 1)]


def arguments(doc: str, argv: list[str], **options: float) -> argparse.Namespace:
    """A benchmark's command line: `--runs`, `--seed`, `--json` and its own numeric `options`
    (name → default; an int default makes an int option)."""
    parser = argparse.ArgumentParser(description=doc.split("\n", 1)[0])
    for name, default in {"runs": 3, **options, "seed": 9}.items():
        parser.add_argument(f"--{name}", type=type(default), default=default)
    parser.add_argument("--json")
    return parser.parse_args(argv)
