"""A national-scale database for the benchmarks: seeded, deterministic, built once and cached.

    .venv/bin/python bench/scale.py [--fraction 1.0] [--seed 9]

`build(Sizes.full())` gives a database migrated exactly as the bot migrates its own (the same
`Database.open`), then bulk-loaded with raw `sqlite3` `executemany` in one transaction, at the end
of which the leads' summaries are computed from what was loaded (`bot.storage.summaries`):

| table | full scale |
|---|---:|
| people (volunteers, 1 % of them leads), identities, skills, interests | 100,000 |
| contacts (outside allies) | 100,000 |
| contact_notes (the contact log) | 1,000,000 |
| asks: open / finished | 10,000 / 20,000 |
| claims (active on open asks, done on finished ones), ask updates | ≈55,000, 100,000 |
| intros (member–member and member–contact), ties, meetings | 50,000, ≈45,000, ≈50,000 |
| follow-ups (open / done), check-in schedules, check-ins | 30,000 / 30,000, 10,000, 50,000 |
| outbox (delivered history), processed events, audit | 300,000, 200,000, 20,000 |

Everything is a pure function of the seed and the sizes, so two runs build byte-for-byte the
same rows. The file is cached under `bench/out/` under a name made of the seed, the sizes, the
generator's version and a hash of the shipped migrations and summaries: a schema change builds a new one.
Benchmarks copy it before changing anything (`copy_of`).

The clock of this world is `NOW` (Monday 2026-11-23 16:00 UTC, 10:00 in Chicago, the
organisation's zone). Nothing is due at `NOW`: every reminder column points into the future, this
week's digests and pairing round have run, and housekeeping ran an hour ago. Benchmarks that
need work due arrange it themselves. People `MEMBERS` (ids 1,001–2,000) are the ones the command
benchmark plays: each holds one or two active claims, owns contacts with notes and has follow-ups.
One skill (`MATCH_SKILL`) is held by exactly `match_holders` volunteers, none paused and none at
their load, so an ask needing it reaches exactly that many people.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import shutil
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/x.py` puts bench/ first; the bot and tests/ live at the root
    sys.path.insert(0, str(ROOT))

from bot.core.names import fold, searched  # noqa: E402
from bot.storage import summaries  # noqa: E402
from bot.storage.db import Database  # noqa: E402

OUT = ROOT / "bench" / "out"
VERSION = 3  # bump when the generator changes what it builds
NOW = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
NOW_TS = int(NOW.timestamp())
DAY = 86400
WEEK_LABEL = "2026-W48"

PLATFORM = "console"
MEMBERS = range(1001, 2001)
LEADS = 1000  # ids 1..LEADS at full scale (1 %); id 1 is the admin
MATCH_SKILL = "grant-writing"
SKILLS = [
    "research", "writing", "editing", "design", "translation", "spanish", "french", "outreach",
    "phonebanking", "canvassing", "social-media", "video", "photography", "data", "spreadsheets",
    "python", "web", "legal", "bargaining", "organising", "training", "facilitation", "events",
    "catering", "transport", "childcare", "accessibility", "fundraising", "accounting", "printing",
    "archiving", "cataloguing", "mentoring", "public-speaking", "press", "podcasting", "graphics",
    "surveys", "coding", "security",
]  # fmt: skip
INTERESTS = [f"interest-{i}" for i in range(80)]
REGIONS = [f"Region {i}" for i in range(50)]
LIBRARIES = ["public", "academic", "school", "special", "archive", "other"]
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London"]
WORDS = [
    "called",
    "met",
    "about",
    "the",
    "rally",
    "agreed",
    "follow",
    "up",
    "budget",
    "board",
    "vote",
    "union",
    "library",
    "staff",
    "meeting",
    "emailed",
    "sent",
    "notes",
    "draft",
    "petition",
    "council",
    "hearing",
    "funding",
    "cuts",
    "hours",
    "branch",
    "workers",
    "pay",
    "contract",
    "survey",
    "training",
    "archive",
    "school",
    "district",
    "volunteers",
    "event",
    "speaker",
    "press",
]


@dataclass(frozen=True)
class Sizes:
    """How much of everything; `full()` is the scale of issue 9, `fraction(f)` scales it down."""

    people: int
    contacts: int
    notes: int
    open_asks: int
    done_asks: int
    intros: int
    outbox: int
    events: int
    match_holders: int

    @classmethod
    def full(cls) -> Sizes:
        return cls.fraction(1.0)

    @classmethod
    def fraction(cls, f: float) -> Sizes:
        def n(value: int) -> int:
            return max(int(value * f), 1)

        return cls(
            people=max(n(100_000), 2_500),  # the command benchmark's members always exist
            contacts=n(100_000),
            notes=n(1_000_000),
            open_asks=n(10_000),
            done_asks=n(20_000),
            intros=n(50_000),
            outbox=n(300_000),
            events=n(200_000),
            match_holders=min(2_000, max(n(100_000), 2_500) // 10),
        )

    @classmethod
    def small(cls) -> Sizes:
        """The sweep benchmark's small twin: 10,000 contact-log entries, enough of everything to be due."""
        return cls(
            people=2_500, contacts=1_000, notes=10_000, open_asks=1_000, done_asks=200, intros=2_000,
            outbox=3_000, events=2_000, match_holders=250,
        )  # fmt: skip

    def label(self) -> str:
        return (
            f"{self.people:,} volunteers, {self.notes:,} contact-log entries, "
            f"{self.open_asks:,} open asks, {self.intros:,} intros"
        )


def _schema_hash() -> str:
    digest = hashlib.sha256()
    for entry in sorted(resources.files("bot.storage").joinpath("migrations").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql"):
            digest.update(entry.name.encode() + entry.read_bytes())
    digest.update("\n".join(summaries.rebuild_sql()).encode())
    return digest.hexdigest()[:10]


def cache_path(sizes: Sizes, seed: int) -> Path:
    key = json.dumps({"v": VERSION, "seed": seed, **asdict(sizes), "schema": _schema_hash()}, sort_keys=True)
    tag = hashlib.sha256(key.encode()).hexdigest()[:12]
    return OUT / f"scale-{sizes.people}p-{sizes.notes}n-s{seed}-{tag}.sqlite3"


def build(sizes: Sizes, seed: int = 9, *, quiet: bool = False) -> Path:
    """The cached database for these sizes, built now if it is not there yet."""
    path = cache_path(sizes, seed)
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in OUT.glob(f"scale-{sizes.people}p-{sizes.notes}n-s{seed}-*"):  # an older schema or generator
        stale.unlink()
    partial = path.with_suffix(".partial")
    for leftover in OUT.glob(partial.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    _migrate(partial)
    conn = sqlite3.connect(partial, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")  # built in one go; WAL is switched on at the end
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -200000")
        conn.execute("BEGIN")
        counts = _World(sizes, random.Random(seed)).load(conn)
        for statement in summaries.rebuild_sql():  # the summaries of what was loaded, as the bot keeps them
            conn.execute(statement)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    partial.rename(path)
    if not quiet:
        rows = sum(counts.values())
        print(
            f"built {path.name}: {rows:,} rows in {time.perf_counter() - started:.1f} s "
            f"({path.stat().st_size / 2**20:.0f} MiB)",
            file=sys.stderr,
        )
    return path


def discard(*paths: Path) -> None:
    """Remove working copies with their write-ahead log and shared-memory files."""
    for path in paths:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_of(source: Path, target: Path) -> Path:
    """A private copy to change (the cached file is never written after it is built), on disk
    before it is used: otherwise the bot's first `fsync` (its first checkpoint) writes out the
    whole 300 MB copy, and the first commands measured wait for that, as no running bot would."""
    discard(target)
    shutil.copyfile(source, target)
    with target.open("rb") as copied:
        os.fsync(copied.fileno())
    return target


def _migrate(path: Path) -> None:
    """Migrate as the bot does (`Database.open`), on a thread of its own so callers may be async."""

    async def open_and_close() -> None:
        db = await Database.open(path, synchronous="off")
        await db.close()

    worker = threading.Thread(target=asyncio.run, args=(open_and_close(),))
    worker.start()
    worker.join()
    if not path.exists():
        raise RuntimeError(f"migrating {path} failed")


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high)))


def _body(text: str) -> str:
    return json.dumps({"text": [text], "buttons": []}, separators=(",", ":"))


class _World:
    """Draws every row from one random stream, in a fixed order."""

    def __init__(self, sizes: Sizes, rng: random.Random) -> None:
        self.s = sizes
        self.rng = rng
        self.counts: dict[str, int] = {}
        self.leads = max(min(LEADS, sizes.people // 100), 2)
        self.paused: set[int] = set()
        self.active_claims: dict[int, int] = {}  # person -> active claims held

    def _insert(self, conn: sqlite3.Connection, table: str, columns: str, rows: Iterator[tuple[object, ...]]) -> None:
        marks = ",".join("?" for _ in columns.split(","))
        cursor = conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        self.counts[table] = self.counts.get(table, 0) + cursor.rowcount

    def load(self, conn: sqlite3.Connection) -> dict[str, int]:
        self._people(conn)
        self._asks(conn)
        contacts = self._contacts(conn)
        self._intros(conn, contacts)
        self._checkins(conn)
        self._history(conn)
        return self.counts

    # --- people -----------------------------------------------------------------------------

    def _people(self, conn: sqlite3.Connection) -> None:
        rng, n = self.rng, self.s.people
        people = []
        for pid in range(1, n + 1):
            role = "admin" if pid == 1 else "lead" if pid <= self.leads else "member"
            created = NOW_TS - rng.randint(30, 365) * DAY
            paused = pid not in MEMBERS and pid > self.leads and rng.random() < 0.02
            if paused:
                self.paused.add(pid)
            region = rng.choice(REGIONS) if rng.random() < 0.9 else None
            people.append(
                (
                    pid, f"v{pid}", fold(f"v{pid}"), role, created, rng.choice(ZONES) if rng.random() < 0.3 else None,
                    region, region.casefold() if region else None,
                    rng.choice(LIBRARIES) if rng.random() < 0.9 else None,
                    "members" if rng.random() < 0.9 else "leads",
                    NOW_TS - 10 * DAY if paused else None, created, NOW_TS - rng.randint(1, 30 * 24) * 3600,
                )
            )  # fmt: skip
        self._insert(
            conn,
            "people",
            "id, display_name, name_key, role, signed_up_at, tz, region, region_key, library, visibility, paused_at,"
            " created_at, last_seen_at",
            iter(people),
        )
        self._insert(
            conn,
            "identities",
            "platform, user_id, person_id, display_name, name_key, last_seen_at",
            ((PLATFORM, f"v{p[0]}", p[0], p[1], p[2], p[12]) for p in people),
        )
        holders = set(
            rng.sample([p for p in range(self.leads + 1, n + 1) if p not in self.paused], self.s.match_holders)
        )
        self.match_holders = holders
        skills = []
        weights = [1.0 / (i + 2) for i in range(len(SKILLS))]  # a few skills are common, most are rarer
        for pid in range(1, n + 1):
            mine = set(rng.choices(SKILLS, weights, k=rng.randint(1, 3)))
            if pid in holders:
                mine.add(MATCH_SKILL)
            skills.extend((pid, skill, NOW_TS - 40 * DAY) for skill in sorted(mine))
        self._insert(conn, "person_skills", "person_id, skill, added_at", iter(skills))
        self._insert(
            conn,
            "person_interests",
            "person_id, interest",
            ((pid, i) for pid in range(1, n + 1) for i in sorted(set(rng.sample(INTERESTS, rng.randint(0, 4))))),
        )

    # --- asks and claims --------------------------------------------------------------------

    def _asks(self, conn: sqlite3.Connection) -> None:
        rng, n = self.rng, self.s.people
        asks, claims, updates = [], [], []
        open_ids = range(1, self.s.open_asks + 1)
        done_ids = range(self.s.open_asks + 1, self.s.open_asks + self.s.done_asks + 1)
        holders = [p for p in range(self.leads + 1, n + 1) if p not in self.paused and p not in MEMBERS]
        members = list(MEMBERS)
        claim_id = 0
        member_slots = 0
        for ask_id in open_ids:
            need = rng.randint(1, 5)
            created = NOW_TS - rng.randint(1, 90) * DAY
            due = NOW_TS + rng.randint(2, 60) * DAY + rng.randint(0, DAY) if rng.random() < 0.6 else None
            title = f"Ask {ask_id}: {_text(rng, 3, 8)}"
            asks.append((ask_id, title, searched(title), None, rng.choice(SKILLS), need, due,
                         "open", rng.randint(1, self.leads), created, created, None))  # fmt: skip
            for _ in range(rng.randint(0, need - 1)):  # at least one slot left on every open ask
                if member_slots < 2 * len(members) and rng.random() < 0.5:
                    person = members[member_slots % len(members)]
                    member_slots += 1
                else:
                    person = rng.choice(holders)
                if self.active_claims.get(person, 0) >= 2:
                    continue
                self.active_claims[person] = self.active_claims.get(person, 0) + 1
                claim_id += 1
                active = NOW_TS - rng.randint(1, 6 * 24) * 3600
                claims.append((claim_id, ask_id, person, "active", created, active, None, None, active + 7 * DAY))
                updates.append((ask_id, person, "update", _text(rng, 3, 10), active))
        for ask_id in done_ids:
            need = rng.randint(1, 3)
            created = NOW_TS - rng.randint(30, 365) * DAY
            closed = created + rng.randint(1, 25) * DAY
            title = f"Ask {ask_id}: {_text(rng, 3, 8)}"
            asks.append((ask_id, title, searched(title), None, rng.choice(SKILLS), need, None,
                         "done", rng.randint(1, self.leads), created, closed, closed))  # fmt: skip
            for _ in range(need):
                claim_id += 1
                person = rng.choice(holders)
                claims.append((claim_id, ask_id, person, "done", created, closed, closed, None, None))
                updates.append((ask_id, person, "update", _text(rng, 3, 10), closed - DAY))
                updates.append((ask_id, person, "done", "", closed))
        self._insert(
            conn,
            "asks",
            "id, title, search, details, skill, need, due_at, status, posted_by, created_at, updated_at, closed_at",
            iter(asks),
        )
        self._insert(
            conn,
            "claims",
            "id, ask_id, person_id, status, claimed_at, last_activity_at, finished_at, note, next_nudge_at",
            iter(claims),
        )
        # Claims on asks due within a day were already reminded (nothing is due at NOW).
        conn.execute(
            "UPDATE claims SET due_nudged_at = :now WHERE status = 'active' AND ask_id IN"
            " (SELECT id FROM asks WHERE status = 'open' AND due_at <= :until)",
            {"now": NOW_TS, "until": NOW_TS + DAY},
        )
        self._insert(conn, "ask_updates", "ask_id, person_id, kind, text, created_at", iter(updates))

    # --- contacts, the contact log, follow-ups ----------------------------------------------

    def _contacts(self, conn: sqlite3.Connection) -> list[tuple[int, int]]:
        rng, s = self.rng, self.s
        owners_pool = list(range(1, s.people + 1))
        contacts, owned = [], []
        member_list = list(MEMBERS)
        for cid in range(1, s.contacts + 1):
            # Each simulated member owns a few; the rest belong to a quarter of everyone.
            if cid <= 4 * len(member_list):
                owner = member_list[cid % len(member_list)]
            else:
                owner = rng.choice(owners_pool[: max(len(owners_pool) // 4, 1)])
            name = f"Contact {cid} {rng.choice(WORDS).title()}"
            org = f"Org {rng.randint(1, 5000)}" if rng.random() < 0.8 else None
            interests = ", ".join(rng.sample(WORDS, 2)) if rng.random() < 0.6 else None
            share = rng.choices(["leads", "private", "members"], [5, 2, 3])[0]
            created = NOW_TS - rng.randint(10, 365) * DAY
            search = searched(name, org, interests)
            contacts.append(
                (cid, owner, name, fold(name), org, "met at an event", interests, share, search, created, created)
            )
            owned.append((cid, owner))
        self._insert(
            conn,
            "contacts",
            "id, owner_id, name, name_key, org, how, interests, share, search, created_at, updated_at",
            iter(contacts),
        )

        members_own = min(4 * len(member_list), len(owned))

        def notes() -> Iterator[tuple[object, ...]]:
            for note_id in range(1, s.notes + 1):
                # A tenth of the log is about the simulated members' contacts (they are the busy ones).
                pick = rng.randrange(members_own) if note_id % 10 == 0 else rng.randrange(len(owned))
                cid, owner = owned[pick]
                yield (note_id, cid, owner, _text(rng, 4, 14), NOW_TS - rng.randint(1, 365 * 24) * 3600)

        self._insert(conn, "contact_notes", "id, contact_id, author_id, text, created_at", notes())
        conn.execute(
            "UPDATE contacts SET last_note_at ="
            " (SELECT MAX(created_at) FROM contact_notes n WHERE n.contact_id = contacts.id)"
        )
        followups = []
        for cid, owner in owned:
            if rng.random() < 0.3:  # an open follow-up, due in the coming weeks (some today)
                due = NOW_TS + rng.randint(1, 60 * 24) * 3600
                followups.append((owner, cid, None, due, "open", NOW_TS - 5 * DAY, None, due))
            if rng.random() < 0.3:
                done = NOW_TS - rng.randint(5, 300) * DAY
                followups.append((owner, cid, None, done, "done", done - 7 * DAY, done, None))
        self._insert(
            conn,
            "followups",
            "person_id, contact_id, intro_id, due_at, status, created_at, closed_at, next_nudge_at",
            iter(followups),
        )
        return owned

    # --- intros, ties, meetings, pairing ----------------------------------------------------

    def _intros(self, conn: sqlite3.Connection, contacts: list[tuple[int, int]]) -> None:
        rng, s = self.rng, self.s
        intros, ties, meetings = [], {}, []
        keys: set[str] = set()
        iid = 0
        while iid < s.intros:
            a = rng.randint(1, s.people)
            if rng.random() < 0.1:
                cid, owner = rng.choice(contacts)
                if owner == a:
                    continue
                key, b, contact = f"p{a}:c{cid}", None, cid
            else:
                b = rng.randint(1, s.people)
                if a == b:
                    continue
                a, b = min(a, b), max(a, b)
                key, contact = f"p{a}:p{b}", None
            if key in keys:
                continue
            keys.add(key)
            iid += 1
            created = NOW_TS - rng.randint(3 * 24, 365 * 24) * 3600
            status = rng.choices(["made", "not_now", "pending"], [7, 2, 1])[0]
            if status == "pending":
                created = NOW_TS - rng.randint(1, 60) * 3600  # recent; reminded in a day or two
            answer = {"made": "yes", "not_now": "no", "pending": "pending"}[status]
            b_answer = None if b is None else ("yes" if status == "made" else "pending")
            remind = created + 3 * DAY if status == "pending" else None
            closed = None if status == "pending" else created + DAY
            intros.append((iid, rng.randint(1, s.people), a, b, contact, key, _text(rng, 4, 10), answer, b_answer,
                           status, created, closed, remind))  # fmt: skip
            if status == "made" and b is not None:
                ties[(a, b)] = closed
                meetings.append((a, b, a, "intro", iid, None, closed))
        for _ in range(s.intros // 5):  # meetings recorded with `met`
            a, b = sorted(rng.sample(range(1, s.people + 1), 2))
            at = NOW_TS - rng.randint(1, 365) * DAY
            ties[(a, b)] = max(at, ties.get((a, b), 0) or 0)
            meetings.append((a, b, a, "met", None, _text(rng, 3, 6), at))
        self._insert(
            conn,
            "intros",
            "id, proposer_id, a_id, b_id, contact_id, pair_key, why, a_answer, b_answer, status, created_at,"
            " closed_at, remind_at",
            iter(intros),
        )
        self._insert(
            conn,
            "ties",
            "a_id, b_id, first_at, last_at, times",
            ((a, b, at, at, 1) for (a, b), at in sorted(ties.items())),
        )
        self._insert(conn, "meetings", "a_id, b_id, recorded_by, how, intro_id, note, at", iter(meetings))
        opted = sorted(rng.sample(range(1, s.people + 1), min(10_000, s.people // 10)))
        self._insert(conn, "pairing_members", "person_id, joined_at", ((p, NOW_TS - 60 * DAY) for p in opted))

    # --- check-ins ----------------------------------------------------------------------------

    def _checkins(self, conn: sqlite3.Connection) -> None:
        rng, s = self.rng, self.s
        people = sorted(rng.sample(range(1, s.people + 1), max(s.people // 10, 1)))
        schedules, checkins = [], []
        for pid in people:
            weekday = rng.randint(0, 6)
            schedules.append((pid, "week", weekday, 600, "2026-01-05", NOW_TS + rng.randint(1, 7 * 24 * 60) * 60,
                              NOW_TS - 90 * DAY))  # fmt: skip
            for week in range(1, 6):
                due = NOW_TS - week * 7 * DAY + rng.randint(-DAY, DAY)
                checkins.append((pid, due, None, due + 3600, "fine, busy week"))
        self._insert(
            conn,
            "checkin_schedules",
            "person_id, every, weekday, at_minute, anchor, next_due_at, created_at",
            iter(schedules),
        )
        self._insert(conn, "checkins", "person_id, due_at, remind_at, answered_at, answer", iter(checkins))

    # --- delivered messages, handled events, audit, state -------------------------------------

    def _history(self, conn: sqlite3.Connection) -> None:
        rng, s = self.rng, self.s

        def outbox() -> Iterator[tuple[object, ...]]:
            for oid in range(1, s.outbox + 1):
                at = NOW_TS - rng.randint(3600, 90 * DAY)
                person = rng.randint(1, s.people)
                yield (f"hist:{oid}", person, "ask", _body(_text(rng, 5, 15)), at, "sent", 1, at, at, at)

        columns = "key, person_id, kind, body, not_before, status, attempts, next_attempt_at, created_at, sent_at"
        self._insert(conn, "outbox", columns, outbox())
        digests = [
            (f"digest:{lead}:{WEEK_LABEL}", lead, "digest", _body("digest"), NOW_TS - 7 * 3600, "sent", 1,
             NOW_TS - 7 * 3600, NOW_TS - 7 * 3600, NOW_TS - 7 * 3600)
            for lead in range(1, self.leads + 1)
        ]  # fmt: skip
        self._insert(conn, "outbox", columns, iter(digests))
        self._insert(
            conn,
            "processed_events",
            "platform, event_id, processed_at",
            ((PLATFORM, f"hist-{i:08d}", NOW_TS - rng.randint(60, 29 * DAY)) for i in range(s.events)),
        )
        self._insert(
            conn,
            "audit",
            "at, actor_id, action, subject, detail",
            ((NOW_TS - rng.randint(60, 300 * DAY), rng.randint(1, self.leads), "ask.post", f"ask {i}", "")
             for i in range(max(s.events // 10, 1))),
        )  # fmt: skip
        self._insert(
            conn,
            "state",
            "key, value",
            iter([("housekeeping:last", str(NOW_TS - 3600)), (f"pairing:{WEEK_LABEL}", str(NOW_TS))]),
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--fraction", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args(argv)
    sizes = Sizes.fraction(args.fraction)
    started = time.perf_counter()
    path = build(sizes, args.seed)
    print(f"{sizes.label()}: {path} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
