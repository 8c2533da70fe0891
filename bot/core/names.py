"""Names as the bot compares and sorts them: folded for case, accents and spacing, in Python.

SQLite's `NOCASE` and `lower()` fold ASCII letters only, so `émile` did not find Émile; and
PostgreSQL's `lower()` and `ORDER BY` follow the database's locale (a `C` database folds ASCII
only too, `en_US.UTF-8` sorts `alice` before `Bob` where SQLite sorts it after). So a name's key
is computed here, stored beside the name (the `name_key` columns, compared and sorted in byte
order, `COLLATE BINARY` / `"C"`), and every lookup and listing by name reads the key: the same
answer on both backends whatever the database's locale, and `Emile`, `émile` and `ÉMILE` all
find Émile.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that do not decompose into a base letter and an accent.
_PLAIN = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})


@lru_cache(maxsize=4096)  # a person's name is folded on each of their messages (`persons.touch`)
def fold(text: str) -> str:
    """A name as it is compared: lower case, no accents, single spaces (`  São Paulo` → `sao paulo`)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_PLAIN)
    return " ".join(plain.split())


# What joins or marks the pieces of a word: `-` in AFL-CIO, `'` in O'Brien, `.` and `@` in an email.
_MARKS = re.compile(r"[^\w\s]+")


def searched(*parts: str | None) -> str:
    """The text a search looks in (a contact's name, org and interests …), folded like a name, so
    `jose` finds José; the words typed are folded the same way. A word with marks in it is also
    added at the end as people type it without them and as its pieces, so `obrien` finds
    O'Brien and `cio` finds AFL-CIO, both as a word's start (contacts) and inside the text. They
    come after the text as it is written, so a phrase typed as written is still found in it."""
    text = fold(" ".join(part for part in parts if part))
    seen, extra = set(text.split()), []
    for word in text.split():
        if not _MARKS.search(word):
            continue
        pieces = [piece for piece in _MARKS.split(word) if len(piece) > 1]  # not the `o` of O'Brien
        for form in (_MARKS.sub("", word), *pieces):
            if form and form not in seen:
                seen.add(form)
                extra.append(form)
    return " ".join((text, *extra))
