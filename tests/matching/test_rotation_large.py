"""Large-table constructions: offset search over Z_g, subgroup rounds, lower bounds."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from meute.matching.rotations import RotationProblem, solve
from meute.matching.rotations.bounds import counting_repeats, problem_bound
from meute.matching.rotations.constructions import denniston, denniston_shape
from meute.matching.rotations.cyclic import cyclic_rounds, cyclic_schedule, without_collisions
from meute.matching.rotations.offsets import collisions, counts, search_offsets
from meute.matching.rotations.oneround import seat_round
from meute.matching.rotations.seeding import construction_seed
from meute.matching.rotations.solver import time_limit
from meute.matching.rotations.subgroup import met_matrix, subgroup_round
from meute.matching.stop import MaxIterations, MaxRuntime, MultipleCriteria

SETTINGS = settings(deadline=None, max_examples=20)


def recount(rounds) -> int:
    seen: dict[frozenset, int] = {}
    for rnd in rounds:
        for table in rnd:
            for pair in itertools.combinations(table, 2):
                seen[frozenset(pair)] = seen.get(frozenset(pair), 0) + 1
    return sum(c - 1 for c in seen.values())


def matrix_collisions(c: np.ndarray, g: int) -> int:
    total = 0
    for i, j in itertools.combinations(range(c.shape[1]), 2):
        diffs = [int(c[r, i] - c[r, j]) % g for r in range(c.shape[0])]
        total += len(diffs) - len(set(diffs))
    return total


@st.composite
def plain_problems(draw: st.DrawFn) -> RotationProblem:
    """People at tables of 3 to 10 (the head count need not be a multiple), no soft terms."""
    size = draw(st.integers(3, 10))
    n = draw(st.integers(size, 6 * size))
    return RotationProblem(n, size, draw(st.integers(1, 8)))


@SETTINGS
@given(plain_problems(), st.integers(0, 3))
def test_everyone_is_seated_once_per_round(problem: RotationProblem, seed: int) -> None:
    """Each round seats every participant exactly once."""
    result = solve(problem, seed=seed, stop=MaxIterations(2))
    for rnd in result.rounds:
        assert sorted(x for t in rnd for x in t) == list(range(problem.n))


@SETTINGS
@given(plain_problems(), st.integers(0, 3))
def test_tables_hold_size_or_one_less_and_nobody_sits_alone(problem: RotationProblem, seed: int) -> None:
    """Ghost seats leave tables of S and S - 1 only, never a table of one."""
    result = solve(problem, seed=seed, stop=MaxIterations(2))
    size = problem.table_size
    for rnd in result.rounds:
        sizes = [len(t) for t in rnd]
        assert max(sizes) <= size and max(sizes) - min(sizes) <= 1 and min(sizes) >= 2


@SETTINGS
@given(plain_problems(), st.integers(0, 3))
def test_reported_repeats_equal_a_recount(problem: RotationProblem, seed: int) -> None:
    """The repeats a plan reports are those recounted from its tables."""
    result = solve(problem, seed=seed, stop=MaxIterations(2))
    assert result.repeats == recount(result.rounds)


@SETTINGS
@given(plain_problems(), st.integers(0, 3))
def test_lower_bound_never_exceeds_the_repeats_found(problem: RotationProblem, seed: int) -> None:
    """The reported lower bound is at most the repeats of the plan."""
    result = solve(problem, seed=seed, stop=MaxIterations(2))
    assert result.min_repeats <= result.repeats


@SETTINGS
@given(plain_problems(), st.integers(0, 3))
def test_same_seed_gives_the_same_plan(problem: RotationProblem, seed: int) -> None:
    """Two runs with one seed and an iteration stop give one plan."""
    first = solve(problem, seed=seed, stop=MaxIterations(2))
    assert solve(problem, seed=seed, stop=MaxIterations(2)).rounds == first.rounds


@SETTINGS
@given(st.integers(3, 13), st.integers(2, 6), st.integers(2, 8), st.integers(0, 5))
def test_offset_search_reports_its_collisions(g: int, p: int, w: int, seed: int) -> None:
    """The collisions the offset search reports are those of the matrix it returns."""
    c, k = search_offsets(g, p, w, seed, 2000, None)
    assert c.shape == (w, p)
    assert k == matrix_collisions(c, g) == collisions(counts(c, g))


@SETTINGS
@given(st.integers(3, 11), st.integers(2, 6), st.integers(2, 9), st.integers(0, 2**32 - 1))
def test_dropping_rows_leaves_no_collision(g: int, p: int, w: int, seed: int) -> None:
    """Rows dropped from any matrix leave distinct differences on every column pair."""
    c = np.random.default_rng(seed).integers(0, g, size=(w, p))
    kept = without_collisions(c, g)
    assert matrix_collisions(kept, g) == 0
    assert {tuple(r) for r in kept} <= {tuple(r) for r in c}


@SETTINGS
@given(st.integers(3, 13), st.integers(2, 6), st.integers(2, 9), st.integers(0, 5))
def test_cyclic_schedule_partitions_and_counts_repeats(g: int, p: int, w: int, seed: int) -> None:
    """Each round of a cyclic schedule is g tables of p; g repeats per collision reported."""
    rounds, k = cyclic_schedule(g, p, w, seed, max_iter=2000)
    for rnd in rounds:
        assert sorted(x for t in rnd for x in t) == list(range(g * p))
        assert {len(t) for t in rnd} == {p}
    assert recount(rounds) == g * k


def test_hundred_twenty_at_tables_of_eight_get_nine_repeat_free_cyclic_rounds() -> None:
    """15 tables of 8: the offset search over Z_15 finds 9 rounds without a repeat."""
    rounds, k = cyclic_schedule(15, 8, 9, seed=0, max_iter=200_000)
    assert k == 0 and len(rounds) == 9 and recount(rounds) == 0


def test_counting_bound_for_tables_of_ten_over_twelve_rounds() -> None:
    """100 people at tables of 10 meet 108 tablemates in 12 rounds but only 99 exist: 450 repeats."""
    assert problem_bound(RotationProblem(100, 10, 12)).min_repeats == 450


def test_per_person_bound_counts_history() -> None:
    """Five people who all met twice before must repeat every pair of a new round of five."""
    history = [[[0, 1, 2, 3, 4]]] * 2
    problem = RotationProblem(5, 5, 1, history=history)
    assert counting_repeats(problem) == 20
    assert problem_bound(problem).min_repeats == 20


def test_uneven_tables_bound_is_zero_when_pairs_suffice() -> None:
    """117 people at tables of 8 and 7 over 10 rounds: counting leaves room for zero repeats."""
    assert counting_repeats(RotationProblem(117, 8, 10)) == 0


def test_time_limit_starts_the_clock_of_a_runtime_stop() -> None:
    """The time limit is read from a MaxRuntime, also inside MultipleCriteria."""
    stop = MultipleCriteria([MaxIterations(5), MaxRuntime(3.0)])
    left = time_limit(stop)
    assert left is not None and 0 < left <= 3.0
    assert time_limit(MaxIterations(5)) is None


@SETTINGS
@given(st.sampled_from([(4, 3, 2), (6, 3, 3), (6, 4, 2), (10, 8, 5), (10, 8, 2), (9, 5, 3), (15, 8, 3)]),
       st.integers(1, 6), st.integers(0, 3))
def test_subgroup_round_partitions_reports_repeats_and_keeps_ghosts_apart(case, rounds, seed) -> None:
    """A round invariant under a subgroup seats g tables of p, its repeats are those recounted,
    and the ghost seats (row 0) never share a table."""
    g, p, h = case
    c, _ = search_offsets(g, p, min(rounds, g), seed, 500, None)
    before = cyclic_rounds(g, p, c, False)
    ghosts = seed % 2 * (g // 2)
    tables, cost = subgroup_round(g, p, h, met_matrix(before, g * p), seed, ghosts, 300, None)
    assert sorted(x for t in tables for x in t) == list(range(g * p))
    assert {len(t) for t in tables} == {p}
    assert recount([*before, tables]) - recount(before) == cost
    assert all(sum(x < ghosts for x in t) <= 1 for t in tables)


def test_eighty_at_tables_of_eight_get_nine_repeat_free_rounds() -> None:
    """10 tables of 8: 7 cyclic rounds over Z_10 and 2 rounds invariant under Z_5 meet no one twice."""
    problem = RotationProblem(80, 8, 9)
    name, schedule, _, complete = construction_seed(problem, seed=0)
    assert complete and len(schedule) == 9 and recount(schedule) == 0, name


@SETTINGS
@given(st.sampled_from([(8, 4), (16, 4), (16, 8), (32, 4), (32, 8)]))
def test_denniston_arcs_seat_every_pair_exactly_once(case) -> None:
    """A Denniston arc of degree n in PG(2, q) gives q + 1 rounds of g tables of n in which
    every pair of its (n - 1)q + n points meets exactly once; points 0..n-1 meet in the last
    round only (ghost seats stay apart before it)."""
    q, n = case
    rounds = denniston(q, n)
    v = (n - 1) * q + n
    assert rounds is not None and len(rounds) == q + 1
    seen: dict[tuple[int, int], int] = {}
    for rnd in rounds:
        assert sorted(x for t in rnd for x in t) == list(range(v))
        assert {len(t) for t in rnd} == {n}
        for table in rnd:
            for pair in itertools.combinations(sorted(table), 2):
                seen[pair] = seen.get(pair, 0) + 1
    assert len(seen) == v * (v - 1) // 2 and set(seen.values()) == {1}
    assert [r for r, rnd in enumerate(rounds) if list(range(n)) in rnd] == [q]


def test_denniston_shape_recognises_the_tables_it_seats() -> None:
    """15 tables of 8 and 13 or 25 tables of 4 come from arcs in PG(2, 16) and PG(2, 32); others
    not, nor arcs beyond PG(2, 64)."""
    assert [denniston_shape(15, 8), denniston_shape(13, 4), denniston_shape(25, 4)] == [16, 16, 32]
    assert [denniston_shape(10, 8), denniston_shape(15, 7), denniston_shape(9, 2), denniston_shape(3, 4)] == [
        None, None, None, None]
    assert denniston_shape(57, 8) == 64 and denniston_shape(121, 16) is None  # GF(128): too slow to build


def test_hundred_twenty_at_tables_of_eight_meet_no_one_twice_over_ten_rounds() -> None:
    """120 people at 15 tables of 8 over 10 rounds: zero repeats, by construction, at once."""
    result = solve(RotationProblem(120, 8, 10), seed=0, stop=MaxRuntime(10))
    assert result.repeats == 0 and recount(result.rounds) == 0
    assert result.method.startswith("Denniston") and result.runtime < 5


def test_hundred_seventeen_at_tables_of_eight_and_seven_meet_no_one_twice_over_sixteen_rounds() -> None:
    """Three empty seats (ghosts on one line of the arc) leave 16 repeat-free rounds."""
    result = solve(RotationProblem(117, 8, 16), seed=1, stop=MaxRuntime(10))
    assert result.repeats == 0 and recount(result.rounds) == 0
    assert sorted({len(t) for rnd in result.rounds for t in rnd}) == [7, 8]


@st.composite
def one_round_cases(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A symmetric 'already met' matrix (0 to 2 meetings), table sizes seating everyone, a few
    people pinned to a table."""
    tables = draw(st.integers(2, 6))
    sizes = np.array(draw(st.lists(st.integers(1, 6), min_size=tables, max_size=tables)), np.int64)
    n = int(sizes.sum())
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    met = np.triu(rng.integers(0, 3, (n, n)), 1)
    met = met + met.T
    fixed = np.full(n, -1, np.int64)
    pinned = rng.permutation(n)[: draw(st.integers(0, tables))]
    fixed[pinned] = np.arange(len(pinned))  # at most one per table: every table has a seat
    return met, sizes, fixed


@SETTINGS
@given(one_round_cases(), st.integers(0, 3))
def test_one_round_search_keeps_sizes_and_pins_and_reports_its_cost(case, seed) -> None:
    """The round seats each table at its size, keeps pinned people, and its cost is the
    number of already-met pairs it seats together."""
    met, sizes, fixed = case
    tab, cost = seat_round(met, sizes, seed, None, 300, fixed)
    assert np.bincount(tab, minlength=len(sizes)).tolist() == sizes.tolist()
    assert all(tab[a] == fixed[a] for a in np.flatnonzero(fixed >= 0))
    together = sum(1 for a, b in itertools.combinations(range(len(tab)), 2) if tab[a] == tab[b] and met[a, b])
    assert cost == together


@SETTINGS
@given(st.integers(0, 2**32 - 1))
def test_one_round_search_finds_the_only_round_without_repeats(seed: int) -> None:
    """Everyone has met everyone except their planted tablemates: the search finds that round."""
    rng = np.random.default_rng(seed)
    planted = rng.permutation(np.repeat(np.arange(6), 5))
    met = (planted[:, None] != planted[None, :]).astype(np.int64)
    tab, cost = seat_round(met, np.full(6, 5, np.int64), seed % 7, None, 5000)
    assert cost == 0
    assert all((tab[a] == tab[b]) == (planted[a] == planted[b]) for a in range(30) for b in range(30))


def test_last_rounds_after_a_construction_are_seated_by_the_one_round_search() -> None:
    """6 tables of 3 over 7 rounds: the round the offsets over Z_6 leave is seated by the
    one-round search, and the schedule covers every round."""
    name, schedule, ghosts, _ = construction_seed(RotationProblem(18, 3, 7), seed=0)
    assert "1 round seated by a one-round search" in name and len(schedule) == 7 and ghosts == 0
    for rnd in schedule:
        assert sorted(x for t in rnd for x in t) == list(range(18))


def test_rounds_beyond_the_arc_are_seated_and_reach_the_counting_bound() -> None:
    """120 people at tables of 8 over 18 rounds: the 17 rounds of the arc, then a round in
    which everyone has met everyone (420 repeats, the counting bound)."""
    result = solve(RotationProblem(120, 8, 18), seed=0, stop=MaxRuntime(1))
    assert result.repeats == result.min_repeats == 420
    assert "(17 rounds) + 1 round seated by a one-round search" in result.method
