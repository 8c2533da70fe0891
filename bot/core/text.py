"""Rich text that cannot be injected into, and that carries its privacy and its times with it.

The core never builds platform markup. A reply is a tuple of spans; text that came from a user is
always a `Plain` span, which every renderer escapes, so a title like `**@everyone**` stays
harmless text on every platform. Templates written by us may use `` `code` `` and `**strong**`.

Text that comes from a private field is a `Private` span: it looks like plain text, but the one
place that routes replies (and the deliverer) sends anything holding it only privately, so a
command cannot leak it by forgetting to say so. A moment is a `Moment` span, turned into words in
each reader's own zone when the message is sent, not when it was written (`core.timing.resolve`).
A part of a message about something that can change before a queued message is read (an ask's
slots and due date) is a `Live` span, written again from its subject when the message is sent.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from bot.ids import PersonId


@dataclass(frozen=True)
class _Text:
    text: str


class Plain(_Text):
    """Text shown as it is, escaped for the platform. Newlines are line breaks."""


class Code(_Text):
    """A command or identifier the reader may type back (`claim 12`)."""


class Strong(_Text):
    """Emphasis for the one thing a reader should see first."""


class Private(Plain):
    """Text from a private field (a leads-only profile's region, a contact, a check-in answer):
    shown as plain text, but a message holding it only ever goes privately."""


@dataclass(frozen=True)
class Moment:
    """A point in time (epoch seconds), put into words for each reader (`core.timing`): `time` is
    a date and time of day in the reader's zone; `date` the date alone in the reader's zone (when
    something happened, a follow-up's day); `day` a date given as a day in `zone`, the zone it was given in (a due
    date: `at` is the last second of that day there), shown as that day. `hidden`: that zone is a
    leads-only profile's (`private`), which its name beside the day would tell whoever reads it."""

    at: int
    style: str = "time"
    zone: str | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Live:
    """Part of a message about something that can change before a queued message is read: an
    ask's line with its slots and due date. `shown` is how it read when written; the deliverer
    writes it again from its `subject` (`ask:12`) as it is when the message is sent, through the
    `view` its area declares (`scheduling.job.View`). Everywhere else it reads as `shown`."""

    subject: str
    shown: Rich
    view: str = ""


@dataclass(frozen=True)
class Mention:
    """A person the message is about and may ping; the only way a reply can ping anyone."""

    person_id: PersonId
    name: str


Span = Plain | Code | Strong | Mention | Moment | Live
_SPANS = (_Text, Mention, Moment, Live)  # Span as a tuple, for `isinstance` on hot paths
_NOT_WORDS = (tuple, *_SPANS)  # a value that is rich text, not a word or a number
_PLAINS = frozenset((Plain, Private))  # the text spans `merge` joins, by exact type
_MARKED = frozenset((Code, Strong))  # the other text spans
Rich = tuple[Span, ...]

_MARKUP = re.compile(r"`([^`]*)`|\*\*(.+?)\*\*|\{(\w+)\}")
_FIELD = re.compile(r"\{(\w+)\}")

Value = str | int | Span | Rich


def _as_rich(value: Value) -> Rich:
    if isinstance(value, tuple):
        return value
    if isinstance(value, _SPANS):
        return (value,)
    return (Plain(str(value)),)


def _plain_text(value: Value) -> str:
    if not isinstance(value, _NOT_WORDS):  # a word or a number, as most values are
        return str(value)
    return "".join(_span_text(span) for span in _as_rich(value))


def _span_text(span: Span) -> str:
    if isinstance(span, Mention):
        return span.name
    if isinstance(span, Moment):
        return f"<{span.style} {span.at}>"
    if isinstance(span, Live):
        return _plain_text(span.shown)
    return span.text


# A template split into its pieces: ("plain", text), ("code", text), ("strong", text) or
# ("field", name). Templates are our own constants, so the split is cached.
_Piece = tuple[str, str]


@functools.lru_cache(maxsize=1024)
def _pieces(template: str) -> tuple[_Piece, ...]:
    pieces: list[_Piece] = []
    pos = 0
    for match in _MARKUP.finditer(template):
        if match.start() > pos:
            pieces.append(("plain", template[pos : match.start()]))
        code, strong, field = match.groups()
        if code is not None:
            pieces.append(("code", code))
        elif strong is not None:
            pieces.append(("strong", strong))
        else:
            pieces.append(("field", field))
        pos = match.end()
    if pos < len(template):
        pieces.append(("plain", template[pos:]))
    return tuple(pieces)


def _fill(text: str, values: dict[str, Value]) -> str:
    return _FIELD.sub(lambda m: _plain_text(values[m.group(1)]), text) if "{" in text else text


def fmt(template: str, **values: Value) -> Rich:
    """Fill a trusted template with untrusted values.

    Only the template's own backticks and double asterisks become markup. A `{field}` inside a
    backtick pair is interpolated into the code span; anywhere else it becomes its own span(s),
    so a value can never open or close markup.
    """
    return _filled(template, values) if values else _fixed(template)


def _filled(template: str, values: dict[str, Value]) -> Rich:
    spans: list[Span] = []
    plain: list[str] = []  # the template's text and the plain values next to it: one span, once
    for kind, text in _pieces(template):
        if kind == "plain":
            plain.append(text)
            continue
        if kind == "field":
            value = values[text]
            if not isinstance(value, _NOT_WORDS):  # a word or a number
                plain.append(str(value))
                continue
            parts = _as_rich(value)
        else:
            parts = (Code(_fill(text, values)) if kind == "code" else Strong(_fill(text, values)),)
        if plain:
            spans.append(Plain("".join(plain)))
            plain = []
        spans.extend(parts)
    if plain:
        spans.append(Plain("".join(plain)))
    return merge(spans)


@functools.lru_cache(maxsize=1024)
def _fixed(template: str) -> Rich:
    """A template without fields: the same every time (and immutable), so made once."""
    return _filled(template, {})


def merge(spans: Iterable[Span]) -> Rich:
    """Join neighbouring plain spans and drop empty ones, so renderers see tidy input.

    By exact type, not `isinstance`: every reply's spans pass through here several times (each
    `fmt`, `lines` and `join`), and two `isinstance` checks a span were a tenth of a listing's cost."""
    out: list[Span] = []
    run: list[Plain] = []  # neighbouring plain spans of one kind: joined once, when the run ends
    for span in spans:
        kind = type(span)
        if kind in _PLAINS:
            if not span.text:  # type: ignore[union-attr]
                continue  # an empty span, even between two plain ones, parts nothing
            if run and kind is not type(run[0]):
                out.append(_joined(run))
                run = []
            run.append(span)  # type: ignore[arg-type]
            continue
        if kind in _MARKED and not span.text:  # type: ignore[union-attr]
            continue
        if run:
            out.append(_joined(run))
            run = []
        out.append(span)
    if run:
        out.append(_joined(run))
    return tuple(out)


def _joined(run: list[Plain]) -> Plain:
    """One span for a run of plain ones (a reply's text passes through `merge` several times)."""
    return run[0] if len(run) == 1 else type(run[0])("".join([span.text for span in run]))


def lines(*parts: Rich | str) -> Rich:
    """Stack rich texts (or trusted templates without fields) as lines. An empty part (a note
    nobody wrote, a reason left blank) leaves no blank line."""
    spans: list[Span] = []
    for part in parts:
        rich = fmt(part) if isinstance(part, str) else part
        if not rich:
            continue
        if spans:
            spans.append(Plain("\n"))
        spans.extend(rich)
    return merge(spans)


def join(parts: Iterable[Rich], separator: str = ", ") -> Rich:
    """Join rich texts with a plain separator."""
    spans: list[Span] = []
    for index, part in enumerate(parts):
        if index:
            spans.append(Plain(separator))
        spans.extend(part)
    return merge(spans)


def last_sentence(rich: Rich) -> tuple[Rich, Rich] | None:
    """The text before its last sentence (ending with its full stop), and that sentence; None
    when there is no earlier sentence to part it from. Only plain text is parted ("`snooze f1
    3d`. `followups` lists them all." at the ". " after the code)."""
    for index in range(len(rich) - 1, -1, -1):
        span = rich[index]
        if type(span) is Plain and ". " in span.text:
            head, _, tail = span.text.rpartition(". ")
            return merge([*rich[:index], Plain(head + ".")]), merge([Plain(tail), *rich[index + 1 :]])
    return None


def plain_text(rich: Rich) -> str:
    """The text as a reader without formatting would see it (logs, tests, fallbacks)."""
    out: list[str] = []
    for span in rich:
        if isinstance(span, _Text):  # most spans: asked first, once (every reply is rendered so)
            out.append(f"`{span.text}`" if isinstance(span, Code) else span.text)
        elif isinstance(span, Live):
            out.append(plain_text(span.shown))
        elif isinstance(span, Mention):
            out.append(f"@{span.name}")
        else:
            out.append(_span_text(span))
    return "".join(out)


def flat(rich: Rich) -> Rich:
    """The text with each `Live` part as it was written (what a reply, never queued, shows)."""
    if Live not in kinds(rich):
        return rich
    return merge(inner for span in rich for inner in (flat(span.shown) if isinstance(span, Live) else (span,)))


def mentioned(rich: Rich) -> frozenset[PersonId]:
    """Everyone a message may ping."""
    present = kinds(rich)
    if Mention not in present and Live not in present:  # most replies ping nobody
        return frozenset()
    return frozenset(span.person_id for span in flat(rich) if isinstance(span, Mention))


def to_json(rich: Rich) -> list[list[Any]]:
    """A JSON-friendly form, for outbox rows that outlive the process."""
    out: list[list[Any]] = []
    for span in rich:
        if isinstance(span, Mention):
            out.append(["m", int(span.person_id), span.name])
        elif isinstance(span, Moment):
            out.append(["t", span.at, span.style, span.zone or "", *([1] if span.hidden else [])])
        elif isinstance(span, Live):
            out.append(["l", span.subject, span.view, to_json(span.shown)])
        else:
            out.append([_TAGS[type(span)], span.text])
    return out


def from_json(data: list[list[Any]]) -> Rich:
    """Inverse of `to_json`."""
    spans: list[Span] = []
    for item in data:
        tag = item[0]
        if tag == "m":
            spans.append(Mention(PersonId(int(item[1])), str(item[2])))
        elif tag == "t":
            spans.append(Moment(int(item[1]), str(item[2]), str(item[3]) or None, len(item) > 4))
        elif tag == "l":
            spans.append(Live(str(item[1]), from_json(item[3]), str(item[2])))
        else:
            spans.append(_CLASSES[str(tag)](str(item[1])))
    return tuple(spans)


_TAGS: dict[type, str] = {Plain: "p", Code: "c", Strong: "s", Private: "x"}
_CLASSES: dict[str, type[Plain] | type[Code] | type[Strong]] = {"p": Plain, "c": Code, "s": Strong, "x": Private}


def private(value: Value) -> Rich:
    """`value` marked as coming from a private field (see `Private`; a moment's zone: `Moment`)."""
    return tuple(
        Private(span.text) if type(span) is Plain else replace(span, hidden=True) if isinstance(span, Moment) else span
        for span in _as_rich(value)
    )


def is_private(rich: Rich) -> bool:
    """Whether any of the text came from a private field."""
    spans = flat(rich)
    present = kinds(spans)
    return Private in present or (Moment in present and any(isinstance(s, Moment) and s.hidden for s in spans))


def kinds(rich: Rich) -> set[type]:
    """The kinds of span in a text. Each reply is asked several times on its way out (a `Live`
    part, a mention, a private field, a moment): a set of types is made at C speed, where a
    generator of `isinstance` checks took three times as long."""
    return set(map(type, rich))
