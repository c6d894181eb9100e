"""Property tests: every plan is a valid seating whatever the small instance."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from meute.matching.rotations import RotationProblem, solve
from meute.matching.stop import MaxIterations


@st.composite
def problems(draw: st.DrawFn) -> RotationProblem:
    n = draw(st.integers(4, 24))
    size = draw(st.integers(2, min(6, n)))
    rounds = draw(st.integers(1, 5))
    absent = draw(st.dictionaries(st.integers(0, n - 1), st.lists(st.integers(0, rounds - 1), max_size=2), max_size=3))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    wishes = draw(st.lists(pairs, max_size=5))
    conflicts = draw(st.lists(pairs, max_size=3))
    return RotationProblem(n, size, rounds, wishes=wishes, conflicts=conflicts, absent=absent)


def recount(rounds: list[list[list[int]]]) -> int:
    seen: dict[frozenset, int] = {}
    for rnd in rounds:
        for table in rnd:
            for pair in itertools.combinations(table, 2):
                seen[frozenset(pair)] = seen.get(frozenset(pair), 0) + 1
    return sum(c - 1 for c in seen.values())


SETTINGS = settings(deadline=None, max_examples=25)


@SETTINGS
@given(problems(), st.integers(0, 3))
def test_each_round_partitions_those_present(problem: RotationProblem, seed: int) -> None:
    """Every round seats each present participant exactly once and nobody absent."""
    result = solve(problem, seed=seed, stop=MaxIterations(3))
    for r, rnd in enumerate(result.rounds):
        seated = [x for t in rnd for x in t]
        assert sorted(seated) == problem.present(r)


@SETTINGS
@given(problems(), st.integers(0, 3))
def test_table_capacities_hold(problem: RotationProblem, seed: int) -> None:
    """Tables hold at most the table size, and sizes differ by at most one."""
    result = solve(problem, seed=seed, stop=MaxIterations(3))
    for rnd in result.rounds:
        sizes = [len(t) for t in rnd]
        assert max(sizes, default=0) <= problem.table_size
        assert max(sizes, default=0) - min(sizes, default=0) <= 1


@SETTINGS
@given(problems(), st.integers(0, 3))
def test_reported_repeats_equal_recount(problem: RotationProblem, seed: int) -> None:
    """The repeats reported equal a recount from the seating."""
    result = solve(problem, seed=seed, stop=MaxIterations(3))
    assert result.repeats == recount(result.rounds)


@SETTINGS
@given(problems(), st.integers(0, 3))
def test_same_seed_same_plan(problem: RotationProblem, seed: int) -> None:
    """Two runs with the same seed and iteration stop give the same plan."""
    first = solve(problem, seed=seed, stop=MaxIterations(3))
    second = solve(problem, seed=seed, stop=MaxIterations(3))
    assert first.rounds == second.rounds
