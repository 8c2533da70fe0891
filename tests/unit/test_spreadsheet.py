"""CSV handed to leads: text that a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import csv
import io

import pytest

from bot.core.spreadsheet import as_text, csv_text


@pytest.mark.parametrize("typed", ["=1+1", "+44 20 7946 0000", "-x", "@SUM(A1)", "\tcmd", "\r=1"])
def test_formula_starts_get_a_quote(typed: str) -> None:
    assert as_text(typed) == "'" + typed


@pytest.mark.parametrize("typed", ["Ann", "", "1=1", " =1", "'=1 already quoted"])
def test_other_text_is_unchanged(typed: str) -> None:
    assert as_text(typed) == typed


def test_numbers_stay_numbers_and_text_is_quoted_in_the_file() -> None:
    text = csv_text(["name", "count"], [["=cmd|' /C calc'!A0", -3], ["Bo, Jr", 2]])
    assert list(csv.reader(io.StringIO(text))) == [["name", "count"], ["'=cmd|' /C calc'!A0", "-3"], ["Bo, Jr", "2"]]
