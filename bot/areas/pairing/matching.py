"""The pairing algorithm (spec §3), pure Python: a greedy maximum-weight matching over a bounded
set of candidate edges, so a round over 10,000 members takes about half a second instead of the
hours an exact O(n³) matcher would, then repaired by augmenting paths so it pairs as many people
as can be paired (`augment.py`; its cost and its choices: `docs/pairing.md`).

`match` runs it at once (tests, the benchmark); `matching` is the same work in small steps,
which the weekly round runs on the event loop in slices between commands (`rules.match_round`).
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Collection, Generator, Sequence
from dataclasses import dataclass

from bot.areas.pairing.augment import augment
from bot.areas.pairing.queries import Candidate
from bot.ids import PersonId

# What makes a good pair: something in common to talk about, from a different corner of the network.
INTEREST_POINTS = 3  # per shared interest, up to SHARED_CAP of them
SKILL_POINTS = 2  # per shared skill, up to SHARED_CAP of them
SHARED_CAP = 3
OTHER_REGION_POINTS = 4
OTHER_LIBRARY_POINTS = 3

# How many candidate partners each person gets: a budget spread over their interest and skill
# buckets (at least PER_TOKEN_MIN from each), plus RANDOM_PICKS from anywhere, so people with
# nothing in common with anyone can still meet across regions.
TOKEN_BUDGET = 32
PER_TOKEN_MIN = 3
RANDOM_PICKS = 10
LEFTOVER_SCAN = 400
TRIO_SCAN = 200
#: Steps the search for augmenting paths may take in a round (augment.py): about a quarter of a
#: second, when thousands are alone and cannot be paired; a path costs about n steps.
AUGMENT_BUDGET = 500_000


@dataclass(frozen=True)
class Pair:
    """People paired with each other this round: two, or three when the odd one out joined a pair."""

    people: tuple[PersonId, ...]
    score: int

    @property
    def trio(self) -> bool:
        return len(self.people) == 3


@dataclass(frozen=True)
class Matching:
    pairs: tuple[Pair, ...]
    unpaired: tuple[PersonId, ...]


def score(a: Candidate, b: Candidate) -> int:
    """How good a pair is: shared interests (and moments, such as an event both went to) and
    skills, plus different regions and library types."""
    shared = len(set(a.interests).intersection(b.interests)) + len(set(a.moments).intersection(b.moments))
    points = INTEREST_POINTS * min(shared, SHARED_CAP)
    points += SKILL_POINTS * min(len(set(a.skills).intersection(b.skills)), SHARED_CAP)
    if a.region_key and b.region_key and a.region_key != b.region_key:
        points += OTHER_REGION_POINTS
    if a.library and b.library and a.library != b.library:
        points += OTHER_LIBRARY_POINTS
    return points


def _tokens(candidate: Candidate) -> list[str]:
    shared = [f"i:{x}" for x in candidate.interests] + [f"m:{x}" for x in candidate.moments]
    return shared + [f"s:{x}" for x in candidate.skills]


@dataclass(frozen=True)
class _Encoded:
    """The people as small ints, so scoring an edge is a few integer operations: interests (with
    moments) and skills as bitmasks over this round's vocabulary, regions and library types as
    codes (0: unknown)."""

    interests: list[int]
    skills: list[int]
    regions: list[int]
    libraries: list[int]


def _encode(people: Sequence[Candidate]) -> _Encoded:
    bits: dict[str, int] = {}
    codes: dict[str, int] = {}

    def mask(words: tuple[str, ...], kind: str) -> int:
        value = 0
        for word in words:
            value |= 1 << bits.setdefault(f"{kind}:{word}", len(bits))
        return value

    def code(word: str | None, kind: str) -> int:
        return codes.setdefault(f"{kind}:{word}", len(codes) + 1) if word else 0

    return _Encoded(
        [mask(c.interests, "i") | mask(c.moments, "m") for c in people],
        [mask(c.skills, "s") for c in people],
        [code(c.region_key, "r") for c in people],
        [code(c.library, "l") for c in people],
    )


def _fast_score(e: _Encoded, i: int, j: int) -> int:
    """`score` on the encoded form; a test checks the two always agree."""
    interests = (e.interests[i] & e.interests[j]).bit_count()
    skills = (e.skills[i] & e.skills[j]).bit_count()
    points = INTEREST_POINTS * min(interests, SHARED_CAP) + SKILL_POINTS * min(skills, SHARED_CAP)
    if e.regions[i] and e.regions[j] and e.regions[i] != e.regions[j]:
        points += OTHER_REGION_POINTS
    if e.libraries[i] and e.libraries[j] and e.libraries[i] != e.libraries[j]:
        points += OTHER_LIBRARY_POINTS
    return points


MAX_SCORE = SHARED_CAP * (INTEREST_POINTS + SKILL_POINTS) + OTHER_REGION_POINTS + OTHER_LIBRARY_POINTS
PART_BITS = 4  # 16 arrays of edges per score, each edge in one drawn at random, sorted one at a time
PARTS = 1 << PART_BITS
PAUSE_EVERY = 256  # people (or groups) between two pauses where one is cheap: about 0.5 ms


def match(candidates: Sequence[Candidate], excluded: Collection[tuple[PersonId, PersonId]], seed: str) -> Matching:
    """Pair everyone once, never an excluded pair (given lower id first), best pairs first.

    Deterministic for the same input and seed. Steps: (1) candidate edges from shared-interest
    and shared-skill buckets plus a few random picks; (2) greedy matching by score; (3) leftovers
    paired among themselves where allowed; (4) augmenting paths from those still alone, swapping
    pairs so that two more are paired each time (ann–ben=cat–dan); (5) anyone still alone joins a
    pair as a trio if they may meet both; the rest sit this round out.
    """
    steps = matching(candidates, excluded, seed)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            found: Matching = done.value
            return found


def matching(
    candidates: Sequence[Candidate], excluded: Collection[tuple[PersonId, PersonId]], seed: str
) -> Generator[None, None, Matching]:
    """`match`, pausing (`yield`) after every small piece of work (a person's candidates, a part
    of the edges, a few hundred people), so the pairing round can run it on the event loop in
    slices (`rules.match_round`); its value is the `Matching`."""
    rng = random.Random(seed)
    people = sorted(candidates, key=lambda c: c.id)
    n = len(people)
    ids = [c.id for c in people]  # ascending, so the lower index has the lower id
    banned = excluded if isinstance(excluded, set | frozenset) else set(excluded)
    encoded = _encode(people)

    def allowed(i: int, j: int) -> bool:
        return i != j and ((ids[i], ids[j]) if i < j else (ids[j], ids[i])) not in banned

    numbers: dict[str, int] = {}  # each token as a small number, so people share them
    tokens: list[list[int]] = []
    buckets: dict[int, list[int]] = {}
    for index, candidate in enumerate(people):
        tokens.append([numbers.setdefault(token, len(numbers)) for token in _tokens(candidate)])
        for token in tokens[-1]:
            buckets.setdefault(token, []).append(index)
        if index % PAUSE_EVERY == 0:
            yield

    everyone = range(n)

    def picks_of(i: int) -> list[int]:
        """Whom i might meet: a share of each of i's buckets, and a few people from anywhere."""
        picks: list[int] = []
        if tokens[i]:
            share = max(PER_TOKEN_MIN, TOKEN_BUDGET // len(tokens[i]))
            for token in tokens[i]:
                bucket = buckets[token]
                picks.extend(bucket if len(bucket) <= share + 1 else rng.choices(bucket, k=share))
        if n > 1:
            picks.extend(rng.choices(everyone, k=RANDOM_PICKS))
        return picks

    # Each edge is packed into one int — both indexes, scrambled one-to-one by a multiplication and
    # an exclusive-or drawn for this round, so that sorting them breaks ties between edges of one
    # score at random — kept in an array per score and random part (4 bytes an edge instead of a
    # list's 40; a random tiebreak beside the indexes took 8, 1.5 MB of a round's peak), taken best
    # score first, each array sorted, while only a sixteenth of one score's edges is ever a list.
    # An edge is kept once per person who picked it: when two people picked each other it is there
    # twice, which the greedy pass skips (both are taken by then). Remembering every edge made to
    # keep it once cost more than the duplicates (a set: 27 MB at 10,000 people; an array of
    # neighbours per person: 4 MB of a round's peak, against about 0.1 MB of duplicates).
    width = max(n, 1).bit_length()
    low, mask = (1 << width) - 1, (1 << 2 * width) - 1
    scramble = rng.getrandbits(2 * width) | 1  # odd: multiplying by it modulo 2**(2·width) is one-to-one
    unscramble, salt = pow(scramble, -1, mask + 1), rng.getrandbits(2 * width)
    typecode = "I" if 2 * width <= 32 else "Q"  # 4 bytes an edge up to 65,535 people
    by_score = [array(typecode) for _ in range((MAX_SCORE + 1) * PARTS)]
    masks_i, masks_s, regions, libraries = (
        encoded.interests,
        encoded.skills,
        encoded.regions,
        encoded.libraries,
    )
    for i in range(n):
        my_i, my_s, my_region, my_library = masks_i[i], masks_s[i], regions[i], libraries[i]
        linked: set[int] = set()  # i's picks so far: a person in two of i's buckets is one edge
        for j in picks_of(i):
            lo, hi = (i, j) if i < j else (j, i)
            if lo == hi or j in linked or (ids[lo], ids[hi]) in banned:
                continue
            linked.add(j)
            # _fast_score(encoded, i, j), inlined: this loop runs ~40 times per person.
            shared_i, shared_s = (my_i & masks_i[j]).bit_count(), (my_s & masks_s[j]).bit_count()
            points = INTEREST_POINTS * (shared_i if shared_i < SHARED_CAP else SHARED_CAP)
            points += SKILL_POINTS * (shared_s if shared_s < SHARED_CAP else SHARED_CAP)
            if my_region and regions[j] and my_region != regions[j]:
                points += OTHER_REGION_POINTS
            if my_library and libraries[j] and my_library != libraries[j]:
                points += OTHER_LIBRARY_POINTS
            edge = (lo << width) | hi
            by_score[points * PARTS + rng.getrandbits(PART_BITS)].append(((edge * scramble) & mask) ^ salt)
        yield

    group_of: dict[int, list[int]] = {}
    groups: list[list[int]] = []

    def join(*members: int) -> None:
        group = [*members]
        groups.append(group)
        for member in members:
            group_of[member] = group

    for points in range(MAX_SCORE, -1, -1):
        for part in range(points * PARTS, (points + 1) * PARTS):
            for scrambled in sorted(by_score[part]):
                edge = ((scrambled ^ salt) * unscramble) & mask
                i, j = edge >> width, edge & low
                if i not in group_of and j not in group_of:
                    join(i, j)
            by_score[part] = array(typecode)
            yield

    alone = [i for i in range(n) if i not in group_of]
    rng.shuffle(alone)
    waiting = list(alone)
    for i in alone:
        if i in group_of:
            continue
        options: list[int] = []
        scanned = stale = 0
        for j in waiting:
            if j in group_of:
                stale += 1
                continue
            scanned += 1
            if allowed(i, j):
                options.append(j)
            if scanned >= LEFTOVER_SCAN:
                break
        if stale > 64:  # drop those paired meanwhile, so scans stay short
            waiting = [j for j in waiting if j not in group_of]
        if options:
            join(i, max(options, key=lambda j: (_fast_score(encoded, i, j), -j)))
        yield

    # Pair as many as can be: greedy by score may have taken a pair that strands two others
    # (augment.py). Nothing to do, and nothing spent, when at most one person is left alone.
    alone = [i for i in alone if i not in group_of]
    if len(alone) > 1:
        mate = [-1] * n
        for a, b in groups:
            mate[a], mate[b] = b, a

        def scored(i: int, j: int) -> int:
            return _fast_score(encoded, i, j)

        if (yield from augment(mate, alone, allowed, scored, AUGMENT_BUDGET)):
            kept = [pair for pair in groups if mate[pair[0]] == pair[1]]  # (in the order made)
            held = {member for pair in kept for member in pair}
            groups[:] = kept + [[i, mate[i]] for i in range(n) if i < mate[i] and i not in held]
            group_of.clear()
            for pair in groups:
                group_of.update(dict.fromkeys(pair, pair))

    unpaired: list[PersonId] = []
    for i in range(n):
        if i in group_of:
            continue
        pool = [*picks_of(i), *(rng.randrange(n) for _ in range(TRIO_SCAN))]
        best: tuple[int, int] | None = None
        for j in pool:
            group = group_of.get(j)
            if group is None or len(group) != 2 or not all(allowed(i, k) for k in group):
                continue
            points = sum(_fast_score(encoded, i, k) for k in group)
            if best is None or points > best[0]:
                best = (points, j)
        yield
        if best is None:
            unpaired.append(people[i].id)
            continue
        group = group_of[best[1]]
        group.append(i)
        group_of[i] = group

    pairs: list[Pair] = []
    for number, group in enumerate(groups):
        weight = sum(_fast_score(encoded, x, y) for x in group for y in group if x < y)
        pairs.append(Pair(tuple(sorted(people[k].id for k in group)), weight))
        if number % PAUSE_EVERY == 0:
            yield
    return Matching(tuple(pairs), tuple(sorted(unpaired)))
