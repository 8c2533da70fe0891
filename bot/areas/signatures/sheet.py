"""Reading a list of signatories from a CSV file, as spreadsheets export them.

What arrives is whatever Excel, Google Sheets, LibreOffice or a form tool wrote, so this reads
with the standard library's `csv` and forgives what can be forgiven:

- Encoding: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8" writes one), UTF-16
  with its mark (Excel's "Unicode text"), else Windows-1252 (Excel's plain "CSV" on Windows).
- Delimiter: decided on the header row, not guessed from the data: of comma, semicolon (Excel
  in much of Europe) and tab, the one that splits the header into the most known column names,
  then the most columns; comma on a tie. (`csv.Sniffer` guesses from the whole sample and is
  fooled by commas inside notes.)
- Columns by name, case-blind, with common variants (`Full name`, `E-mail address`, `State`);
  `first name` + `last name` make a name; a column called just `Type` is the library type
  where a row's value names one; of several place columns (`Region`, `State`, `City`…) a row's
  region is the first that says something, in that order (a form's `State` left blank while its
  `City` is filled still places the person); every other column is kept in the notes as
  `Column: value`. A row with no name is skipped and reported by its line number.
- Each row says which of our fields its file's columns speak for (`Entry.fields`, `labels`):
  a later file with fewer columns must leave the others as they are stored (`rules.py`).
- A list pasted in chat often comes inside a code block (```` ```csv … ``` ````): `unfenced`
  takes that fence off a paste (a file is read as it is).
- Quoted fields may hold commas, quotes and line breaks. A file `csv` cannot read (an unclosed
  quote, a NUL byte) is refused whole with the line where it went wrong: nothing is imported.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.areas.people import LIBRARY_TYPES, LIBRARY_WORDS, library_kind
from bot.areas.signatures import words
from bot.core.errors import TooLong, UsageError
from bot.core.messages import without_nul_text
from bot.core.values import normalise_skill

if TYPE_CHECKING:
    from _csv import Reader

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
NAME_MAX, FIELD_MAX, NOTES_MAX = 200, 500, 2000

#: Our field ← the column names that fill it (compared lower-cased, spaces and `_-` collapsed).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fullname", "your name", "signatory", "signature"),
    "first": ("first name", "firstname", "given name", "first"),
    "last": ("last name", "lastname", "surname", "family name", "last"),
    "email": ("email", "e mail", "email address", "e mail address", "mail"),
    "workplace": ("library", "workplace", "employer", "institution", "library name", "organisation", "organization"),
    "library": ("library type", "type of library", "library kind", "kind of library", "sector"),
    # A column called just "type" is the library type where a row's value names one (`public`),
    # and a note elsewhere (`Type: member`): no row is filed under `other` for a word of another sheet.
    "type": ("type", "kind"),
    # In the order a row's region is taken from them: the first that says something.
    "region": ("region", "state", "province", "county", "city", "location"),
    "job": ("role", "job", "job title", "position", "title"),
    "skills": ("skills", "skill"),
    "notes": ("notes", "note", "comments", "comment"),
}
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


@dataclass(frozen=True)
class Entry:
    """One signatory as a file gives them; `line` is where their row ends in the file.

    `fields` are our fields the row's columns speak for, and `labels` the columns of its file
    kept as notes: a later file without a column must not blank what an earlier one said, so
    an update writes only these (`rules.py`). The notes are the notes column's text (`note`)
    and then `extra`, the other columns' `Column: value` lines."""

    line: int
    name: str
    email: str | None = None
    workplace: str | None = None
    library: str | None = None
    region: str | None = None
    job: str | None = None
    skills: tuple[str, ...] = ()
    note: str | None = None
    extra: tuple[str, ...] = ()
    fields: frozenset[str] = frozenset({"name"})
    labels: frozenset[str] = frozenset()

    @property
    def key(self) -> str:
        """What matches this row to a signatory on a later import: the email, else the name."""
        return self.email.casefold() if self.email else "name:" + " ".join(self.name.split()).casefold()

    @property
    def notes(self) -> str | None:
        return "\n".join(part for part in (self.note, *self.extra) if part) or None


@dataclass(frozen=True)
class _Layout:
    """What a file's header says: our field for each column (`mapping`), the place columns in the
    order a region is taken from them, the fields the columns fill, and the columns that may be
    kept as notes (by label)."""

    header: list[str]
    mapping: list[str | None]
    regions: tuple[int, ...]
    fields: frozenset[str]
    labels: frozenset[str]


@dataclass
class Sheet:
    """A file read: its entries, the rows skipped (line and reason), and what else to tell."""

    entries: list[Entry] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def decode(data: bytes) -> str:
    """The file's text, whatever a spreadsheet saved it as (see the module docstring)."""
    if len(data) > MAX_BYTES:
        raise TooLong(words.file_too_big(len(data), MAX_BYTES))
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise UsageError(words.unusable("workbook"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # (a NUL in it, which PostgreSQL cannot store, goes)
        return without_nul_text(data.decode("utf-16"))
    if b"\x00" in data:
        raise UsageError(words.unusable("binary"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _column_key(name: str) -> str:
    return " ".join(re.sub(r"[_\-.:*]+", " ", name).split()).casefold()


def _label(header: list[str], index: int) -> str:
    """How a column is named in the notes (`Phone: 555`)."""
    return header[index].strip() if index < len(header) and header[index].strip() else f"column {index + 1}"


_KNOWN = {variant: ours for ours, variants in COLUMNS.items() for variant in variants}


def _delimiter(header: str) -> str:
    def score(delimiter: str) -> tuple[int, int, int]:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        known = sum(1 for cell in cells if _column_key(cell) in _KNOWN)
        return known, len(cells), delimiter == ","

    return max((",", ";", "\t"), key=score)


def unfenced(text: str) -> str:
    """A paste without the code block around it (```` ``` ```` or ```` ```csv ````, fences on lines of
    their own or not), as Discord and Matrix users paste a list; other text as it is. A word
    after the opening fence is the block's language, unless it is a column we know (`name`)."""
    inner = text.strip()
    if not (inner.startswith("```") and inner.endswith("```") and len(inner) >= 6):
        return text
    inner = inner[3:-3]
    first, newline, rest = inner.partition("\n")
    if newline and re.fullmatch(r"[\w+#.-]+", first.strip()) and _column_key(first) not in _KNOWN:
        inner = rest
    return inner


def read(text: str) -> Sheet:
    """Every signatory in a CSV text; raises a `UsageError` when the file cannot be used at all."""
    text = text.lstrip("\ufeff")
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    if not header_line:
        raise UsageError(words.unusable("empty"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line), strict=True)
    rows = _Rows(reader)
    try:
        header = next(iter(rows), None)
    except csv.Error as error:
        raise UsageError(words.malformed(rows.start, _why(error))) from None
    if header is None:
        raise UsageError(words.unusable("empty"))
    layout = _layout(header)
    if "name" not in layout.fields:
        raise UsageError(words.no_name_column([cell for cell in header if cell.strip()][:8]))
    sheet = Sheet()
    count = 0
    try:
        for cells in rows:
            count += 1
            if count > MAX_ROWS:
                raise TooLong(words.too_many_rows(MAX_ROWS))
            _add(sheet, reader.line_num, layout, cells)
    except csv.Error as error:
        raise UsageError(words.malformed(rows.start, _why(error))) from None
    if count == 0:  # (a paste into Discord's slash box arrives as one line: "Imported: 0 new" said nothing)
        raise UsageError(words.header_only())
    return sheet


class _Rows:
    """The rows that hold anything (blank lines and rows of empty cells are not signatories), and
    `start`, the line the row being read begins on: a file `csv` cannot read is refused naming
    that line, where the row went wrong. (`reader.line_num` is where reading stopped: for a quote
    never closed, the file's last line, with the mistake fifty lines up.)"""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.start = 1
        self._rows = self._read()

    def __iter__(self) -> Iterator[list[str]]:
        return self._rows

    def _read(self) -> Iterator[list[str]]:
        for cells in self.reader:
            if any(cell.strip() for cell in cells):
                yield cells
            self.start = self.reader.line_num + 1


def _why(error: csv.Error) -> str:
    """What went wrong, in words a lead can act on, not the csv module's."""
    said = str(error)
    if said == "unexpected end of data":
        return 'a quote (") opens a field there and is never closed'
    if said.endswith("expected after '\"'"):
        return "text follows the closing quote of a field"
    return said


def _layout(header: list[str]) -> _Layout:
    """Our field for each column: the first column of each kind wins (a second `email` is kept in
    the notes), but every place column is a region, the row's first that says something (in the
    order of `COLUMNS`); a plain "type" column is a note beside a library type column of its own."""
    ours = [_KNOWN.get(_column_key(cell)) for cell in header]
    used: set[str] = set()
    mapping: list[str | None] = []
    for name in ours:
        mapping.append(name if name is not None and (name not in used or name == "region") else None)
        if name is not None:
            used.add(name)
    if "library" in used:
        mapping = [None if name == "type" else name for name in mapping]
        used.discard("type")
    rank = COLUMNS["region"].index
    regions = sorted(
        (i for i, name in enumerate(mapping) if name == "region"), key=lambda i: rank(_column_key(header[i]))
    )
    fields = {"library" if name == "type" else name for name in used if name not in ("first", "last")}
    if {"first", "last"} & used:  # a name from first and last names is still a name
        fields.add("name")
    noted = [i for i, name in enumerate(mapping) if name in (None, "type") or (name == "region" and len(regions) > 1)]
    return _Layout(header, mapping, tuple(regions), frozenset(fields), frozenset(_label(header, i) for i in noted))


def _add(sheet: Sheet, line: int, layout: _Layout, cells: list[str]) -> None:
    mapping = layout.mapping
    values: dict[str, str] = {}
    extra: list[str] = []
    fields, labels = set(layout.fields), set(layout.labels)
    place = next((i for i in layout.regions if i < len(cells) and cells[i].strip()), None)
    for index, cell in enumerate(cells):
        ours = mapping[index] if index < len(mapping) else None
        value = cell.strip() if ours == "notes" else " ".join(cell.split())
        if not value:
            continue
        if ours == "region" and index != place:
            ours = None  # another place column than the one the region came from: a note
        if ours == "type" and library_kind(value) is None and _typo_of_a_type(value) is None:
            ours = None  # not a library type: kept as a note, under its column's name
            fields.discard("library")  # (nor does it blank a library type an earlier file gave)
        if ours is None:
            label = _label(layout.header, index)
            labels.add(label)
            extra.append(f"{label}: {value}")
        else:
            values[ours] = value
    if "type" in values:
        values["library"] = values.pop("type")
    name = values.get("name") or " ".join(part for part in (values.get("first"), values.get("last")) if part)
    if not name:
        sheet.skipped.append((line, "no name"))
        return
    notes = "\n".join(part for part in (values.get("notes"), *extra) if part) or None
    limits = [("name", len(name), NAME_MAX), ("notes", len(notes or ""), NOTES_MAX)]
    limits += [(what, len(values.get(what, "")), FIELD_MAX) for what in ("workplace", "region", "job", "skills")]
    for what, size, limit in limits:
        if size > limit:
            sheet.skipped.append((line, f"{what} over {limit} characters"))
            return
    email = values.get("email")
    if email is not None and not _EMAIL.match(email):
        sheet.warnings.append((line, "the email doesn't look like one, so it was left out"))
        email = None
    library = library_type(values.get("library"))
    if library == "other" and (meant := _typo_of_a_type(values.get("library", ""))) is not None:
        sheet.warnings.append((line, f"library type “{values['library']}” read as {meant}"))
        library = meant
    sheet.entries.append(
        Entry(
            line=line, name=name, email=email, workplace=values.get("workplace"),
            library=library, region=values.get("region"), job=values.get("job"),
            skills=_skills(values.get("skills")), note=values.get("notes"), extra=tuple(extra),
            fields=frozenset(fields), labels=frozenset(labels),
        )
    )  # fmt: skip


def library_type(text: str | None) -> str | None:
    """A library type from what a form said (`Public library`, `University`); `other` if unknown."""
    if not text:
        return None
    return library_kind(text) or "other"


def _skills(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    found = (normalise_skill(part) for part in re.split(r"[,;/|]", text))
    return tuple(dict.fromkeys(skill for skill in found if skill))


def _typo_of_a_type(text: str) -> str | None:
    """The library type a misspelt word was meant to be (`academicc`, `pubilc`), if one is close:
    a typo in a type column would otherwise file the person under `other`, out of the gaps that
    `signatures coverage` shows. Free text that names no type (`branch`) stays `other`, unwarned."""
    known = sorted({*LIBRARY_TYPES, *LIBRARY_WORDS} - {"other"})
    for word in re.findall(r"[a-z]+", text.casefold()):
        close = difflib.get_close_matches(word, known, n=1, cutoff=0.8) if len(word) >= 5 else []
        if close:
            return LIBRARY_WORDS.get(close[0], close[0])
    return None
