"""How long a pairing round takes, at the sizes we design for.

    .venv/bin/python bench/pairing.py [--sizes 1000,5000,10000,20000] [--rounds-before 3]

For each size: a fresh SQLite file with that many opted-in members (skills, interests, regions,
library types, drawn from fixed vocabularies with a fixed seed) and some ties; earlier rounds
are run first so the matcher also has pairs to avoid. Printed per size:

- `match`: the pure algorithm (`bot.areas.pairing.matching.match`), on candidates already loaded;
- `round`: the whole weekly round as the scheduler runs it (`run_pairing_round`): loading,
  matching, recording the pairs and queuing every message in the outbox, in one transaction;
- `baseline`: a random pairing of the same candidates (shuffle and zip), measured in the same
  run, so the figures can be compared across machines as a ratio.

And the quality of the pairs `match` made, next to the random pairing's: the share of pairs
(each pair of a trio counts) with an interest in common, with a skill in common, with either,
from different regions (both known) and from different library types (both known), and the
mean score (`bot.areas.pairing.matching.score`).

Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path

from figures import Figure, report

from bot.areas.network import queries as network
from bot.areas.pairing import queries as pairing
from bot.areas.pairing.jobs import run_pairing_round
from bot.areas.pairing.matching import match, score
from bot.areas.pairing.queries import Candidate
from bot.areas.people import queries as profiles
from bot.config import Config
from bot.ids import PersonId
from bot.storage import persons
from bot.storage.db import Database

START = datetime(2026, 11, 23, 16, tzinfo=UTC)
SKILLS = [f"skill-{i}" for i in range(40)]
INTERESTS = [f"interest {i}" for i in range(60)]
REGIONS = [f"Region {i}" for i in range(30)]
LIBRARIES = ["public", "academic", "school", "special", "archive", "other"]


async def populate(db: Database, size: int, rng: random.Random) -> None:
    now = int(START.timestamp())
    async with db.transaction() as tx:
        ids: list[PersonId] = []
        for n in range(size):
            person = await persons.create(tx, "bench", f"u{n}", f"member{n}", now)
            ids.append(person.id)
            await profiles.sign_up(tx, person.id, now)
            await profiles.add_skills(tx, person.id, rng.sample(SKILLS, rng.randint(1, 4)), now)
            await profiles.set_interests(tx, person.id, rng.sample(INTERESTS, rng.randint(0, 5)))
            region = rng.choice(REGIONS) if rng.random() < 0.9 else None
            await profiles.update_profile(
                tx,
                person.id,
                {
                    "region": region,
                    "region_key": region.casefold() if region else None,
                    "library": rng.choice(LIBRARIES) if rng.random() < 0.9 else None,
                },
            )
            await pairing.set_opt_in(tx, person.id, True, now)
        for _ in range(size):  # about two ties per member
            a, b = rng.sample(ids, 2)
            await network.record_meeting(tx, a, b, recorded_by=a, how="met", intro_id=None, note=None, now=now)


QUALITY = ("shared interest", "shared skill", "shared interest or skill", "across regions", "across library types")


def quality(groups: Iterable[Sequence[PersonId]], people: Mapping[PersonId, Candidate]) -> dict[str, float]:
    """Shares (per cent) of pairs with something in common and from different corners; mean score."""
    counts = dict.fromkeys(QUALITY, 0)
    total, points = 0, 0
    for group in groups:
        for x, y in combinations(group, 2):
            a, b = people[x], people[y]
            total += 1
            points += score(a, b)
            interest, skill = not set(a.interests).isdisjoint(b.interests), not set(a.skills).isdisjoint(b.skills)
            counts["shared interest"] += interest
            counts["shared skill"] += skill
            counts["shared interest or skill"] += interest or skill
            counts["across regions"] += bool(a.region_key and b.region_key and a.region_key != b.region_key)
            counts["across library types"] += bool(a.library and b.library and a.library != b.library)
    shares = {name: 100 * n / max(total, 1) for name, n in counts.items()}
    return {**shares, "mean score": points / max(total, 1)}


async def measure(size: int, rounds_before: int, config: Config) -> dict[str, float]:
    rng = random.Random(size)
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3", synchronous="normal")
        try:
            started = time.perf_counter()
            await populate(db, size, rng)
            setup = time.perf_counter() - started
            moment = START
            for _ in range(rounds_before):
                async with db.transaction() as tx:
                    await run_pairing_round(tx, moment, config)
                moment += timedelta(days=7)
            async with db.reading() as tx:
                candidates = await pairing.candidates(tx, int(moment.timestamp()))
                excluded = await pairing.excluded_pairs(tx)
            started = time.perf_counter()
            found = match(candidates, excluded, "bench")
            matched = time.perf_counter() - started
            started = time.perf_counter()
            shuffled = list(candidates)
            random.Random(1).shuffle(shuffled)
            naive = list(zip(shuffled[::2], shuffled[1::2], strict=False))
            baseline = time.perf_counter() - started
            started = time.perf_counter()
            async with db.transaction() as tx:
                made = await run_pairing_round(tx, moment, config)
            whole = time.perf_counter() - started
        finally:
            await db.close()
    people = {candidate.id: candidate for candidate in candidates}
    made_quality = quality((pair.people for pair in found.pairs), people)
    random_pairs = quality(((a.id, b.id) for a, b in naive), people)
    return {
        **{f"matched {name}": value for name, value in made_quality.items()},
        **{f"random {name}": value for name, value in random_pairs.items()},
        "setup": setup,
        "match": matched,
        "round": whole,
        "baseline": baseline,
        "groups": float(len(made)),
        "unpaired": float(len(found.unpaired)),
        "excluded": float(len(excluded)),
        "naive": float(len(naive)),
    }


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,5000,10000,20000")
    parser.add_argument("--rounds-before", type=int, default=3)
    parser.add_argument("--json", help="write the figures of the 10,000-member round here (for run_all.py)")
    args = parser.parse_args(argv)
    config = Config()
    print(f"pairing round, Python {sys.version.split()[0]}, {args.rounds_before} earlier rounds")
    print(f"{'members':>8} {'excluded':>9} {'groups':>7} {'alone':>6} {'match s':>8} {'round s':>8} "
          f"{'baseline s':>11} {'round/baseline':>15}")  # fmt: skip
    measured: dict[int, dict[str, float]] = {}
    for size in (int(part) for part in args.sizes.split(",")):
        figures = measured[size] = await measure(size, args.rounds_before, config)
        ratio = figures["round"] / max(figures["baseline"], 1e-9)
        print(
            f"{size:>8} {int(figures['excluded']):>9} {int(figures['groups']):>7} "
            f"{int(figures['unpaired']):>6} "
            f"{figures['match']:>8.2f} {figures['round']:>8.2f} {figures['baseline']:>11.4f} {ratio:>15.0f}",
            flush=True,
        )
    print("\nquality of the pairs (per cent of pairs; a trio counts as three pairs), matched vs random:")
    print(f"{'members':>8} " + " ".join(f"{name:>26}" for name in (*QUALITY, "mean score")))
    for size, figures in measured.items():
        cells = [
            f"{figures[f'matched {n}']:>10.1f} vs {figures[f'random {n}']:>5.1f}" for n in (*QUALITY, "mean score")
        ]
        print(f"{size:>8} " + " ".join(f"{cell:>26}" for cell in cells), flush=True)
    judged = measured.get(10_000) or measured[max(measured)]
    size = 10_000 if 10_000 in measured else max(measured)
    results = [
        Figure(f"pairing round, {size:,} opted-in members", judged["round"], "s", "< 5 s", judged["round"] < 5,
               judged["baseline"], "random pairing", f"match alone {judged['match']:.2f} s"),
    ]  # fmt: skip
    for name in (*QUALITY, "mean score"):
        unit = "points" if name == "mean score" else "%"
        results.append(Figure(f"pairing quality: {name}", judged[f"matched {name}"], unit,
                              baseline=judged[f"random {name}"], baseline_label="random pairing"))  # fmt: skip
    if args.json:
        report(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
