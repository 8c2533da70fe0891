"""Augmenting paths: pairing as many people as can be paired (spec §3), when the greedy pass by
score left some alone who could all have been paired.

Greedy by score can strand people: ann has met cat and dan, ben has met dan, and ben and cat
share interests, so ben–cat is taken first and ann and dan sit out, though ann–ben and cat–dan
were both allowed. A matching pairs the most people when no *augmenting path* is left: a path
from one person alone to another, along pairs allowed (never excluded) and pairs made, in turn
(ann–ben=cat–dan). Swapping the made pairs on it for the allowed ones pairs two more people and
unpairs nobody. `augment` looks for one from each person left alone with Edmonds' blossom
algorithm (an odd ring of people, each allowed to meet the next, is searched as one), so whom it
leaves alone could not have been paired whatever the pairs (Berge's theorem) — within its budget.

No list of allowed pairs is made (everyone may meet almost everyone: 50 million pairs at 10,000
members): a person's partners are looked up as they are needed, and whoever joins the search is
first checked against the few people alone, so in a large network a path is found within a
scan or two of everyone. A search stops after `SEARCH_SCANS` scans of everyone and
`SEARCH_STEPS` more (and all of them after the round's budget), so where nobody can be paired
among thousands the cost is bounded; a search through everyone takes about n² steps at most, so
a network of a hundred or so is always searched through. It costs nothing when at most one
person is alone, as in almost every round of a large network.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Sequence

#: Steps (a partner looked at) between two pauses: about 1 ms.
PAUSE_EVERY = 2048
#: Steps one search may take: a few scans of everyone (a path in a large network takes one or two).
SEARCH_SCANS = 4
SEARCH_STEPS = 20_000

Allowed = Callable[[int, int], bool]
Score = Callable[[int, int], int]


def augment(
    mate: list[int], alone: Sequence[int], allowed: Allowed, score: Score, budget: int
) -> Generator[None, None, bool]:
    """Pair as many of `alone` as paths allow, changing `mate` (each person's partner, -1 when
    alone) in place; pauses (`yield`) every `PAUSE_EVERY` steps. True if anything changed."""
    left = [budget]
    ends = set(alone)  # who may end a path: alone, and not shown to be beyond any path
    cap = SEARCH_SCANS * len(mate) + SEARCH_STEPS
    changed = False
    for root in alone:
        if root not in ends:
            continue
        if len(ends) < 2 or left[0] <= 0:
            break
        search = _Search(root, mate, ends, allowed, score)
        found, whole = yield from search.run(min(cap, left[0]), left)
        if found is not None:
            ends -= {root, found}
            changed = True
        elif whole:  # searched through: no later path can reach them either (Edmonds)
            ends.discard(root)
    return changed


class _Search:
    """One search from `root` (Edmonds' blossom algorithm, `outer` people first checked against
    those alone): it pairs along the path it finds."""

    def __init__(self, root: int, mate: list[int], ends: set[int], allowed: Allowed, score: Score) -> None:
        n = len(mate)
        self.root, self.mate, self.ends, self.allowed, self.score = root, mate, ends, allowed, score
        self.parent = [-1] * n
        self.base = list(range(n))
        self.inside: dict[int, list[int]] = {}  # a blossom's people, by its base (someone in none: not here)
        self.reached = [False] * n  # the "outer" people: an even number of steps from root
        self.queue: deque[int] = deque()
        self.steps = 0

    def run(self, cap: int, left: list[int]) -> Generator[None, None, tuple[int | None, bool]]:
        """The person at the other end of the path paired along (or None), and whether the search
        went through (False: stopped by its cap)."""
        mate, base, parent, n = self.mate, self.base, self.parent, len(self.mate)
        try:
            found = self._outer(self.root)
            paused = 0
            while found is None and self.queue:
                v = self.queue.popleft()
                for to in range(n):
                    self.steps += 1
                    if self.steps - paused >= PAUSE_EVERY:
                        paused = self.steps
                        if self.steps >= cap:
                            return None, False
                        yield
                    if base[v] == base[to] or mate[v] == to or (mate[to] == -1 and to != self.root):
                        continue
                    if not self.allowed(v, to):
                        continue
                    if to == self.root or parent[mate[to]] != -1:  # both outer: an odd ring, searched as one
                        found = self._blossom(v, to)
                    elif parent[to] == -1:
                        parent[to] = v
                        found = self._outer(mate[to])
                    if found is not None:
                        break
            return found, True
        finally:
            left[0] -= self.steps

    def _outer(self, w: int) -> int | None:
        """`w` joins the search as outer; if they may meet someone alone, pair along the path."""
        self.reached[w] = True
        self.queue.append(w)
        self.steps += len(self.ends)
        free = [x for x in self.ends if x != self.root and self.allowed(w, x)]
        if not free:
            return None
        end = max(free, key=lambda x: (self.score(w, x), -x))
        self.parent[end] = w
        v = end
        while v != -1:  # swap the pairs along the path: everyone on it paired, two more than before
            before = self.parent[v]
            after = self.mate[before]
            self.mate[v], self.mate[before] = before, v
            v = after
        return end

    def _blossom(self, v: int, to: int) -> int | None:
        """Contract the odd ring closed by v–to into its base; its people all become outer."""
        base, mate, parent = self.base, self.mate, self.parent
        seen = set()
        a, b = v, to
        while True:  # where the two paths to root meet: the ring's base
            a = base[a]
            seen.add(a)
            if mate[a] == -1:
                break
            a = parent[mate[a]]
        while base[b] not in seen:
            b = parent[mate[base[b]]]
        top = base[b]
        ring: set[int] = set()
        for start, child in ((v, to), (to, v)):
            x = start
            while base[x] != top:
                ring.add(base[x])
                ring.add(base[mate[x]])
                parent[x] = child
                child = mate[x]
                x = parent[mate[x]]
        ring.discard(top)
        merged = self.inside.setdefault(top, [top])
        joining = []
        for old in ring:
            moved = self.inside.pop(old, [old])
            self.steps += len(moved)
            for i in moved:
                base[i] = top
                merged.append(i)
                if not self.reached[i]:
                    joining.append(i)
        for i in joining:
            found = self._outer(i)
            if found is not None:
                return found
        return None
