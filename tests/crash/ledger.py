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
delivered; no text may arrive more often than in either (nor a text neither had, more than once).
Texts are compared as well as keys because a message resent under a new key is a duplicate the
keys alone do not show.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
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
    def dropped(self) -> set[str]:
        """Keys of the rows the deliverer dropped (no longer relevant, the person gone or paused)."""
        return {row.key for row in self.rows if row.status == "dropped"}

    @cached_property
    def texts(self) -> Counter[tuple[str, str]]:
        """Each (recipient, text) delivered, a bundle counted as its items."""
        return Counter((entry.to, item) for entry in self.entries for item in items(entry.text))


def items(text: str) -> list[str]:
    """A bundle's items (`• …` lines and what continues them), each with the last sentence they
    all share said once after a blank line (`words.bundle`), or the one message."""
    if not text.startswith(BUNDLE_HEADER):
        return [text]
    listed, _, ending = text.removeprefix(BUNDLE_HEADER).rpartition("\n\n")  # the scenario types no blank line
    if not listed:
        listed, ending = ending, ""
    found: list[str] = []
    for line in listed.split("\n"):
        if line.startswith("• ") or not found:
            found.append(line.removeprefix("• "))
        else:
            found[-1] += "\n" + line
    return [f"{item} {ending}" for item in found] if ending else found


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


def problems(run: Outcome, references: Sequence[Outcome] = (), settled_meanwhile: bool = False) -> list[str]:
    """Every promise the run broke, in words; empty when it kept them all.

    With `settled_meanwhile`, a message one run delivered and the other dropped because its subject
    was settled by then (the claim finished, the intro answered, a newer check-in asked) is no
    loss: kills moved when it was due against when its subject was settled."""
    return [
        *_once(run),
        *_accounted(run),
        *_waking_hours(run),
        *_one_bundle_a_day(run),
        *_as_in(run, references, settled_meanwhile),
        *([] if run.integrity == "ok" else [f"integrity_check: {run.integrity}"]),
    ]


def assert_kept(
    run: Outcome, references: Sequence[Outcome] = (), context: str = "", *, settled_meanwhile: bool = False
) -> None:
    """Fail with every broken promise listed (after `context`, e.g. how to replay the run)."""
    found = problems(run, references, settled_meanwhile)
    assert not found, f"{context}{len(found)} broken promise(s):\n" + "\n".join(found)


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


def _as_in(run: Outcome, references: Sequence[Outcome], settled_meanwhile: bool) -> Iterable[str]:
    if not references:
        return
    every = set.intersection(*(ref.delivered for ref in references))
    some = set.union(*(ref.delivered for ref in references))
    lost, unexpected = every - run.delivered, run.delivered - some
    if settled_meanwhile:
        lost -= run.dropped
        unexpected -= set.union(*(ref.dropped for ref in references))
    yield from (f"lost: {key} (every reference delivered it)" for key in sorted(lost))
    yield from (f"unexpected: {key} (no reference delivered it)" for key in sorted(unexpected))
    for (to, text), n in run.texts.items():
        most = max(1, *(ref.texts[to, text] for ref in references))
        if n > most:
            yield f"to {to} {n} times (references: at most {most}): {text[:90]!r}"
