"""The pairing algorithm: its preferences, shown on small hand-built networks, and its rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.areas.pairing import queries as pairing_store
from bot.areas.pairing.queries import Candidate
from bot.areas.pairing.rules import Matching, make_round, match, reasons, score
from bot.config import Config
from bot.ids import PersonId
from bot.storage.db import Database

MONDAY = datetime(2026, 11, 23, 16, tzinfo=UTC)


def person(
    pid: int,
    *,
    region: str | None = None,
    library: str | None = None,
    interests: tuple[str, ...] = (),
    skills: tuple[str, ...] = (),
    visibility: str = "members",
) -> Candidate:
    return Candidate(
        id=PersonId(pid),
        name=f"p{pid}",
        skills=tuple(sorted(set(skills))),
        interests=tuple(sorted(set(interests))),
        region_key=region.casefold() if region else None,
        region=region,
        library=library,
        visibility=visibility,
    )


def groups(found: Matching) -> set[frozenset[int]]:
    return {frozenset(int(pid) for pid in pair.people) for pair in found.pairs}


def test_a_shared_interest_across_regions_beats_a_neighbour() -> None:
    # 1 and 2 are neighbours with nothing in common; 3 and 4 are neighbours elsewhere. Across the
    # regions, 1 and 3 share an interest and so do 2 and 4: those are the pairs.
    people = [
        person(1, region="Ohio", interests=("archives",)),
        person(2, region="Ohio", interests=("zines",)),
        person(3, region="Maine", interests=("archives",)),
        person(4, region="Maine", interests=("zines",)),
    ]
    assert groups(match(people, set(), "seed")) == {frozenset({1, 3}), frozenset({2, 4})}


def test_different_library_types_are_preferred_when_nothing_else_differs() -> None:
    people = [
        person(1, library="public", skills=("research",)),
        person(2, library="public", skills=("research",)),
        person(3, library="school", skills=("research",)),
        person(4, library="school", skills=("research",)),
    ]
    library = {int(p.id): p.library for p in people}
    found = groups(match(people, set(), "seed"))
    assert len(found) == 2
    assert all({library[pid] for pid in pair} == {"public", "school"} for pair in found)


def test_common_ground_wins_over_a_stranger_from_elsewhere_with_nothing_shared() -> None:
    # 1 and 2 are in different regions and share two interests; 3 is far away but shares nothing.
    me = person(1, region="Ohio", interests=("archives", "zines"))
    kindred = person(2, region="Maine", interests=("archives", "zines"))
    stranger = person(3, region="Texas")
    assert score(me, kindred) > score(me, stranger)
    found = match([me, kindred, stranger, person(4, region="Texas")], set(), "seed")
    assert frozenset({1, 2}) in groups(found)


def test_an_excluded_pair_is_never_made_even_when_it_is_the_best() -> None:
    people = [
        person(1, region="Ohio", interests=("archives",)),
        person(2, region="Maine", interests=("archives",)),
        person(3, region="Ohio"),
        person(4, region="Ohio"),
    ]
    found = match(people, {(PersonId(1), PersonId(2))}, "seed")
    assert frozenset({1, 2}) not in groups(found)
    assert all(len(pair.people) >= 2 for pair in found.pairs)


def test_the_best_pair_is_given_up_when_taking_it_would_leave_two_people_alone() -> None:
    # ann (1) has met cat (3) and dan (4), ben (2) has met dan; ben and cat share interests, the
    # best pair there is. Taking it leaves ann and dan alone; ann–ben and cat–dan pair everyone.
    people = [person(1), person(2, interests=("tech", "unions")), person(3, interests=("tech", "unions")), person(4)]
    met = {(PersonId(1), PersonId(3)), (PersonId(1), PersonId(4)), (PersonId(2), PersonId(4))}
    for week in range(20):
        found = match(people, met, f"2026-{week:02d}")
        assert groups(found) == {frozenset({1, 2}), frozenset({3, 4})} and not found.unpaired


def test_in_a_large_network_whoever_may_meet_only_someone_already_paired_is_paired_too() -> None:
    """1 may meet only 2, and 3 only 4 (they met everyone else): whoever 2 and 4 were paired with
    by score, both are paired, through a path of swapped pairs found among 600 people."""
    people = [person(i, region=f"r{i % 7}", interests=(f"i{i % 5}", f"i{i % 11}")) for i in range(1, 601)]
    met = {
        (PersonId(min(lonely, other)), PersonId(max(lonely, other)))
        for lonely, only in ((1, 2), (3, 4))
        for other in range(1, 601)
        if other not in (lonely, only)
    }
    for week in range(3):
        found = match(people, met, f"2026-{week:02d}")
        assert {frozenset({1, 2}), frozenset({3, 4})} <= groups(found) and not found.unpaired


def _most_pairs(size: int, excluded: frozenset[tuple[int, int]]) -> int:
    """The most pairs any pairing of `size` people could make, never an excluded one (tried every way)."""

    @cache
    def most(left: frozenset[int]) -> int:
        if len(left) < 2:
            return 0
        first, rest = min(left), left - {min(left)}
        return max([most(rest)] + [1 + most(rest - {o}) for o in rest if (first, o) not in excluded])

    return most(frozenset(range(size)))


_crowds = st.tuples(st.integers(0, 10), st.sets(st.tuples(st.integers(0, 9), st.integers(0, 9))), st.text(max_size=4))


@settings(max_examples=200, deadline=None)
@given(_crowds)
def test_a_round_pairs_as_many_people_as_any_pairing_could(network: tuple[int, set[tuple[int, int]], str]) -> None:
    size, pairs, seed = network
    excluded = frozenset((min(a, b), max(a, b)) for a, b in pairs if a != b and max(a, b) < size)
    people = [person(i, interests=(("unions",) if i % 3 else ())) for i in range(size)]
    found = match(people, {(PersonId(a), PersonId(b)) for a, b in excluded}, seed)
    assert len(found.pairs) == _most_pairs(size, excluded)  # each group (a trio too) holds one pair


def test_an_odd_one_out_joins_a_pair_as_a_trio() -> None:
    found = match([person(1), person(2), person(3)], set(), "seed")
    assert groups(found) == {frozenset({1, 2, 3})}
    assert found.pairs[0].trio and not found.unpaired


def test_someone_who_has_met_everyone_sits_the_round_out() -> None:
    excluded = {(PersonId(1), PersonId(2)), (PersonId(1), PersonId(3)), (PersonId(1), PersonId(4))}
    found = match([person(i) for i in range(1, 5)], excluded, "seed")
    assert groups(found) == {frozenset({2, 3, 4})}  # the odd one of the rest makes a trio
    assert found.unpaired == (PersonId(1),)


def test_nobody_alone_and_nobody_paired_means_an_empty_round() -> None:
    assert match([], set(), "seed").pairs == ()
    alone = match([person(1)], set(), "seed")
    assert alone.pairs == () and alone.unpaired == (PersonId(1),)


def test_the_same_people_and_seed_give_the_same_pairs() -> None:
    people = [person(i, region=f"r{i % 3}", interests=(f"i{i % 4}",)) for i in range(40)]
    assert match(people, set(), "2026-11-23") == match(list(reversed(people)), set(), "2026-11-23")


def test_between_equally_good_pairs_each_round_draws_afresh() -> None:
    """Ties are broken at random for each round (its seed), not by who joined first: among six
    people with nothing to tell them apart, each of the others is the first one's partner some week."""
    people = [person(i) for i in range(1, 7)]
    partners = set()
    for week in range(1, 41):
        found = match(people, set(), f"2026-{week:02d}")
        partners |= {pid for pair in found.pairs if PersonId(1) in pair.people for pid in pair.people}
    assert partners == {PersonId(i) for i in range(1, 7)}


def test_reasons_say_only_what_a_leads_only_profile_lets_members_see() -> None:
    me = person(1, region="Ohio", library="public", interests=("archives",), skills=("research",))
    open_ = person(2, region="Maine", library="school", interests=("archives",), skills=("research",))
    closed = person(3, region="Maine", library="school", interests=("archives",), skills=("research",),
                    visibility="leads")  # fmt: skip
    shown = reasons(me, open_)
    assert shown.interests == ("archives",) and shown.region == "Maine" and shown.library == "school"
    hidden = reasons(me, closed)
    assert hidden.skills == ("research",)
    assert hidden.interests == () and hidden.region is None and hidden.library is None


_words = st.frozensets(st.sampled_from(["archives", "zines", "bargaining", "research", "law"]), max_size=4)
_networks = st.integers(min_value=0, max_value=30).flatmap(
    lambda n: st.tuples(
        st.lists(
            st.tuples(
                st.sampled_from([None, "ohio", "maine", "texas"]),
                st.sampled_from([None, "public", "school"]),
                _words,
                _words,
            ),
            min_size=n,
            max_size=n,
        ),
        st.sets(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))), max_size=n * 2),
        st.text(max_size=8),
    )
)


Row = tuple[str | None, str | None, frozenset[str], frozenset[str]]


@settings(max_examples=150, deadline=None)
@given(_networks)
def test_every_round_keeps_the_rules(network: tuple[list[Row], set[tuple[int, int]], str]) -> None:
    rows, pairs, seed = network
    people = [
        Candidate(PersonId(i), f"p{i}", tuple(sorted(skills)), tuple(sorted(interests)), region, region, library)
        for i, (region, library, interests, skills) in enumerate(rows)
    ]
    by_id = {c.id: c for c in people}
    excluded = {(PersonId(min(a, b)), PersonId(max(a, b))) for a, b in pairs if a != b}
    found = match(people, excluded, seed)
    seen: list[int] = [int(pid) for pair in found.pairs for pid in pair.people] + [int(p) for p in found.unpaired]
    assert sorted(seen) == list(range(len(people)))  # everyone exactly once: in one group, or sitting out
    for pair in found.pairs:
        assert len(pair.people) in (2, 3)
        for a in pair.people:
            for b in pair.people:
                assert a == b or (min(a, b), max(a, b)) not in excluded
        # the matcher's own (fast) scoring agrees with the documented `score`
        assert pair.score == sum(score(by_id[a], by_id[b]) for a in pair.people for b in pair.people if a < b)
    if not excluded and len(people) >= 2:
        assert not found.unpaired


async def test_a_round_is_recorded_once_and_its_pairs_never_repeat(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    config = Config()
    async with db.transaction() as tx:
        for pid in (1, 2, 3, 4):
            await tx.execute(
                "INSERT INTO people (id, display_name, name_key, signed_up_at, created_at, last_seen_at)"
                " VALUES (:id, :n, :n, 0, 0, 0)",
                {"id": pid, "n": f"p{pid}"},
            )
            await pairing_store.set_opt_in(tx, PersonId(pid), True, 0)
        first = await make_round(tx, MONDAY, config)
        again = await make_round(tx, MONDAY + timedelta(hours=2), config)
    assert first is not None and again is None
    assert len(first.pairs) == 2
    made = {frozenset(pair.people) for pair in first.pairs}
    async with db.transaction() as tx:
        assert {frozenset(g) for g in await pairing_store.groups_of_round(tx, first.key)} == made
        second = await make_round(tx, MONDAY + timedelta(days=7), config)
        third = await make_round(tx, MONDAY + timedelta(days=14), config)
    assert second is not None and third is not None
    later = {frozenset(pair.people) for pair in (*second.pairs, *third.pairs)}
    assert not made & later and len(second.pairs) == 2 and len(third.pairs) == 2  # 4 people: 3 rounds, 6 pairs
    async with db.transaction() as tx:
        fourth = await make_round(tx, MONDAY + timedelta(days=21), config)
    assert fourth is not None and fourth.pairs == () and len(fourth.unpaired) == 4
    await db.close()
