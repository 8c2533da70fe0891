"""`./dev bench` writes the top of bench/RESULTS.md anew and keeps the sections measured on their own."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from run_all import kept_sections

RECORD = "## What was fixed, before and after"


def test_the_sections_below_the_table_are_kept_and_the_record_is_not_doubled(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"
    output.write_text(
        "# Benchmark results\n\n| old | table |\n\n## Issue 15 on a quiet machine\n\nmix p99 5.4 ms\n\n"
        f"{RECORD}\n\nthe record\n",
        "utf-8",
    )
    kept = "\n".join(kept_sections(output, RECORD))
    assert "## Issue 15 on a quiet machine" in kept and "mix p99 5.4 ms" in kept
    assert "old" not in kept and RECORD not in kept


def test_a_first_run_keeps_nothing(tmp_path: Path) -> None:
    assert kept_sections(tmp_path / "RESULTS.md", RECORD) == []
    (tmp_path / "RESULTS.md").write_text("# Benchmark results\n\n| a | table |\n", "utf-8")
    assert kept_sections(tmp_path / "RESULTS.md", RECORD) == []
