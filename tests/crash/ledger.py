"""What the receiving side got, and the promises it must show: nothing lost, nothing twice,
nothing at the wrong hour.

An `Outcome` joins the console's journal (each delivery's key, clock time, recipient and text:
what the "platform" accepted) with the outbox rows in the database (what each delivery carried:
one row, or a person's bundle) and the recipients' zones and quiet hours. `problems()` lists every
broken promise, in words, so a failing test shows all of them at once.

Comparing with references: a run with kills must deliver what an uninterrupted run of the same
timeline delivered. A kill stops the bot, though, and a message whose moment passed while the bot
was down (an "an hour before" reminder for an event that has started) is rightly never sent; so
the references are the timeline without kills *and* the same timeline with the bot down from the
kill to the restart. What both delivered must arrive exactly once; nothing may arrive that neither
delivered; no text may arrive more often than in either.
"""

from __future__ import annotations

import operator
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, reduce
from zoneinfo import ZoneInfo

from bot.adapters.console import Entry, read_journal
from bot.catalog import delivery_rules
from bot.config import load
from bot.scheduling.job import DeliveryRule
from tests.crash.harness import Bot

RULES = {rule.kind: rule for rule in delivery_rules()}
BUNDLE_HEADER = "A few reminders:\n"


def rule(kind: str) -> DeliveryRule:
    return RULES.get(kind) or DeliveryRule(kind)


@dataclass(frozen=True)
class Row:
    """An outbox row as the run left it."""

    key: str
    kind: str
    bundle: bool
    status: str
    batch_key: str | None

    @property
    def sent_as(self) -> str:
        """The idempotency key of the message that carries it."""
        return self.batch_key or self.key


@dataclass(frozen=True)
class Reader:
    """A recipient's zone and quiet hours (minutes after local midnight)."""

    zone: ZoneInfo
    quiet: tuple[int, int]

    def local(self, at: str) -> datetime:
        return datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(self.zone)

    def asleep(self, at: str) -> bool:
        local = self.local(at)
        minute, (start, end) = local.hour * 60 + local.minute, self.quiet
        return start <= minute < end if start < end else minute >= start or minute < end


@dataclass(frozen=True)
class Outcome:
    entries: tuple[Entry, ...]
    rows: tuple[Row, ...]
    readers: dict[str, Reader]
    integrity: str

    @cached_property
    def carried(self) -> dict[str, list[Row]]:
        """Each delivery key with the rows it carries."""
        found: dict[str, list[Row]] = {}
        for row in self.rows:
            found.setdefault(row.sent_as, []).append(row)
        return found

    @cached_property
    def delivered(self) -> set[str]:
        """Keys of the rows whose message reached the receiving side."""
        keys = {entry.key for entry in self.entries}
        return {row.key for row in self.rows if row.sent_as in keys}

    @cached_property
    def texts(self) -> Counter[tuple[str, str]]:
        """Each (recipient, text) delivered, a bundle counted as its items."""
        return Counter((entry.to, item) for entry in self.entries for item in items(entry.text))


def items(text: str) -> list[str]:
    """A bundle's items (`• …` lines and what continues them), or the one message."""
    if not text.startswith(BUNDLE_HEADER):
        return [text]
    found: list[str] = []
    for line in text.removeprefix(BUNDLE_HEADER).split("\n"):
        if line.startswith("• ") or not found:
            found.append(line.removeprefix("• "))
        else:
            found[-1] += "\n" + line
    return found


def outcome(bot: Bot) -> Outcome:
    config = load(str(bot.folder / "config.yaml"))
    default_zone, default_quiet = config.organisation.timezone, config.quiet_hours.window()

    def query(conn: sqlite3.Connection) -> tuple[list[Row], dict[str, Reader], str]:
        rows = [
            Row(key, kind, bool(bundle), status, batch_key)
            for key, kind, bundle, status, batch_key in conn.execute(
                "SELECT key, kind, bundle, status, batch_key FROM outbox"
            )
        ]
        readers = {
            user: Reader(ZoneInfo(tz or default_zone), (start, end) if start is not None and end is not None
                         else (default_quiet.start, default_quiet.end))
            for user, tz, start, end in conn.execute(
                "SELECT i.user_id, p.tz, p.quiet_start, p.quiet_end FROM identities i"
                " JOIN people p ON p.id = i.person_id WHERE i.platform = 'console'"
            )
        }  # fmt: skip
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        return rows, readers, integrity

    rows, readers, integrity = bot.read(query)
    return Outcome(tuple(read_journal(bot.journal)), tuple(rows), readers, integrity)


def problems(run: Outcome, references: Sequence[Outcome] = ()) -> list[str]:
    """Every promise the run broke, in words; empty when it kept them all."""
    return [
        *_once(run),
        *_accounted(run),
        *_waking_hours(run),
        *_one_bundle_a_day(run),
        *_as_in(run, references),
        *([] if run.integrity == "ok" else [f"integrity_check: {run.integrity}"]),
    ]


def assert_kept(run: Outcome, references: Sequence[Outcome] = ()) -> None:
    """Fail with every broken promise listed."""
    found = problems(run, references)
    assert not found, f"{len(found)} broken promise(s):\n" + "\n".join(found)


def _once(run: Outcome) -> Iterable[str]:
    for key, n in Counter(entry.key for entry in run.entries).items():
        if n > 1:
            yield f"{key} delivered {n} times"


def _accounted(run: Outcome) -> Iterable[str]:
    """The journal and the outbox agree: every delivery carried queued rows, every row marked
    sent was delivered."""
    keys = {entry.key for entry in run.entries}
    for key in sorted(keys - set(run.carried)):
        yield f"{key} reached the receiving side, but no outbox row was sent as it"
    for row in run.rows:
        if row.status == "sent" and row.sent_as not in keys:
            yield f"{row.key} is marked sent as {row.sent_as}, which never reached the receiving side"


def _waking_hours(run: Outcome) -> Iterable[str]:
    for entry in run.entries:
        reader = run.readers.get(entry.to)
        kinds = {row.kind for row in run.carried.get(entry.key, [])}
        if reader is not None and reader.asleep(entry.at) and not all(rule(kind).wakes for kind in kinds):
            local = reader.local(entry.at)
            yield f"{entry.key} ({', '.join(sorted(kinds))}) reached {entry.to} at {local:%a %H:%M}, in quiet hours"


def _one_bundle_a_day(run: Outcome) -> Iterable[str]:
    days: dict[tuple[str, str], list[str]] = {}
    for entry in run.entries:
        reader = run.readers.get(entry.to)
        nudges = [row for row in run.carried.get(entry.key, []) if row.bundle and rule(row.kind).once_a_day]
        if reader is not None and nudges:
            days.setdefault((entry.to, f"{reader.local(entry.at):%a %d %b}"), []).append(entry.key)
    for (to, day), keys in days.items():
        if len(keys) > 1:
            yield f"{to} got {len(keys)} reminder bundles on {day}: {', '.join(keys)}"


def _as_in(run: Outcome, references: Sequence[Outcome]) -> Iterable[str]:
    if not references:
        return
    every = set.intersection(*(ref.delivered for ref in references))
    some = set.union(*(ref.delivered for ref in references))
    for key in sorted(every - run.delivered):
        yield f"lost: {key} (every reference delivered it)"
    for key in sorted(run.delivered - some):
        yield f"unexpected: {key} (no reference delivered it)"
    for (to, text), n in run.texts.items():
        most = max(ref.texts[to, text] for ref in references)
        if n > most:
            yield f"to {to} {n} times (references: at most {most}): {text[:90]!r}"
    for (to, text), least in reduce(operator.and_, (ref.texts for ref in references)).items():
        if run.texts[to, text] < least:
            yield f"to {to} {run.texts[to, text]} times (every reference: {least}): {text[:90]!r}"
