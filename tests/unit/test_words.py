"""How counts and articles are said (spec §12: "1 volunteer", "an admin", "There is only 1 page"),
and that every words module says them through the one helper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.words import article, count, plural, series, singular

BOT = Path(__file__).resolve().parents[2] / "bot"


@pytest.mark.parametrize(
    ("n", "noun", "said"),
    [
        (1, "volunteer", "1 volunteer"),
        (0, "volunteer", "0 volunteers"),
        (3, "open ask", "3 open asks"),
        (1, "person", "1 person"),
        (2, "person", "2 people"),
        (2, "entry", "2 entries"),
        (2, "day", "2 days"),
        (2, "match", "2 matches"),
        (2, "parked message", "2 parked messages"),
    ],
)
def test_counts_agree_with_their_number(n: int, noun: str, said: str) -> None:
    assert count(n, noun) == said


@pytest.mark.parametrize(
    ("word", "said"),
    [("admin", "an admin"), ("lead", "a lead"), ("member", "a member"), ("id", "an id"), ("union", "a union"),
     ("hour", "an hour"), ("event", "an event"), ("one-time code", "a one-time code")],
)  # fmt: skip
def test_articles_follow_the_sound(word: str, said: str) -> None:
    assert article(word) == said


def test_plural_of_one_is_the_word_itself() -> None:
    assert plural("follow-up", 1) == "follow-up" and plural("follow-up") == "follow-ups"


@pytest.mark.parametrize("one", ["interest", "tag", "skill", "person", "entry", "match", "open ask", "follow-up"])
def test_singular_undoes_plural_and_leaves_one_alone(one: str) -> None:
    """How a list's items are named from its parameter (`interests:` → "Each interest can be…")."""
    assert singular(plural(one)) == one and singular(one) == one


def test_a_series_is_said_with_and_or_or_before_its_last() -> None:
    assert series(["region"]) == "region" and series(["region", "library"]) == "region and library"
    assert series(["region", "library", "job"]) == "region, library and job"
    assert series(["Discord", "Matrix"], "or") == "Discord or Matrix" and series([]) == ""


def _sentences() -> list[tuple[Path, int, str]]:
    found = []
    for path in sorted(BOT.rglob("*words.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            found.append((path, number, line))
    return found


@pytest.mark.parametrize(
    "pattern",
    [r"\(s\)", r"\ban? \{", r"\{\w+\} (days|pages|people|volunteers|messages)\b", r"\bare only \{"],
    ids=["(s)", "a {role}", "{n} plural", "are only {n}"],
)
def test_no_words_module_guesses_a_number_or_an_article(pattern: str) -> None:
    """Counts go through `count`, articles through `article`: a sentence that spells its own
    plural or article ("1 volunteer(s)", "a {role}") is wrong for some value."""
    offenders = [f"{p.relative_to(BOT)}:{n}: {line.strip()}" for p, n, line in _sentences() if re.search(pattern, line)]
    assert not offenders, "\n".join(offenders)
