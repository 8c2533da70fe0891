"""Slips of the keyboard in a date (`thursdya 7pm`, `tomorow`, `decmber 3`): the date words they
were meant to be.

`dates.parse_when` asks here only once a text has read as no date, so that it can answer "Did you
mean `thursday 7pm`?" rather than "not a date". Respelling knows the words of dates, not the forms
they come in, so it is kept apart from `core.dates`, which reads the forms.
"""

from __future__ import annotations

import calendar

from bot.config import WEEKDAYS
from bot.core.commands import typo_of

#: Words of dates, to tell which one a slip meant (`thursdya`, `tomorow`, `decmber`, `nxet`);
#: only a word of four letters or more is respelt, so `fri`, `sat` or `dec` never is.
_DATE_WORDS = (
    *WEEKDAYS, *(name.lower() for name in calendar.month_name[1:]), "today", "tomorrow", "tonight", "next",
    "this", "coming", "week", "weeks", "month", "months", "year", "days", "hours", "minutes", "fortnight",
    "morning", "afternoon", "evening", "night", "noon", "midnight", "weekend", "after", "from", "until",
)  # fmt: skip


def respelt(text: str) -> str | None:
    """`text` with each word that is no date word but one slip from one put right; None when no
    word was."""
    changed, out = False, []
    for word in text.split():
        lowered = word.lower()
        close = None
        if len(lowered) >= 4 and lowered.isalpha() and lowered not in _DATE_WORDS:
            close = typo_of(lowered, _DATE_WORDS)
        changed = changed or close is not None
        out.append(close or word)
    return " ".join(out) if changed else None
