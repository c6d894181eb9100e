"""Unit tests of the rotation engine: constructions, bounds, fixed seats, re-planning."""

from __future__ import annotations

import ast
import itertools
import pathlib

import pytest

from meute.matching.rotations import (
    RotationInputError,
    RotationProblem,
    construct,
    evaluate,
    replan,
    solve,
    table_sizes,
    uniform_bound,
)
from meute.matching.rotations.constructions import affine_geometry, kirkman_3q, round_robin
from meute.matching.stop import MaxIterations


def repeats_of(schedule: list[list[list[int]]]) -> int:
    seen: dict[tuple[int, int], int] = {}
    for rnd in schedule:
        for table in rnd:
            for pair in itertools.combinations(sorted(table), 2):
                seen[pair] = seen.get(pair, 0) + 1
    return sum(c - 1 for c in seen.values())


def is_partition(schedule: list[list[list[int]]], n: int) -> bool:
    return all(sorted(x for t in rnd for x in t) == list(range(n)) for rnd in schedule)


@pytest.mark.parametrize("q", [4, 5, 7, 8, 9])
def test_affine_plane_has_no_repeat(q: int) -> None:
    """AG(2, q) gives q + 1 repeat-free rounds of q tables of q."""
    schedule = affine_geometry(q, 2)
    assert len(schedule) == q + 1 and is_partition(schedule, q * q) and repeats_of(schedule) == 0


def test_affine_3_3_is_kts27() -> None:
    """AG(3, 3) lines give 9-3-13 with every pair meeting exactly once."""
    schedule = affine_geometry(3, 3)
    assert len(schedule) == 13 and repeats_of(schedule) == 0 and is_partition(schedule, 27)


@pytest.mark.parametrize("q", [7, 13])
def test_kirkman_3q_is_resolvable(q: int) -> None:
    """KTS(3q) for q = 6t + 1 has (3q - 1)/2 repeat-free rounds."""
    schedule = kirkman_3q(q)
    assert len(schedule) == (3 * q - 1) // 2 and repeats_of(schedule) == 0 and is_partition(schedule, 3 * q)


def test_round_robin_meets_everyone_once() -> None:
    """The circle method pairs 10 people so that all 45 pairs meet once in 9 rounds."""
    schedule = round_robin(5)
    assert len(schedule) == 9 and repeats_of(schedule) == 0 and is_partition(schedule, 10)


@pytest.mark.parametrize("gpw", [(5, 3, 7), (7, 3, 10), (7, 4, 9), (8, 4, 9), (9, 3, 13), (5, 5, 6), (7, 7, 8)])
def test_construction_covers_frontier_instance(gpw: tuple[int, int, int]) -> None:
    """The frontier instances with a construction come out repeat-free."""
    g, p, w = gpw
    built = construct(g, p, w)
    assert built is not None
    assert len(built[1]) == w and is_partition(built[1], g * p) and repeats_of(built[1]) == 0


@pytest.mark.parametrize("gpw", [(4, 3, 5), (6, 6, 4), (3, 4, 2), (5, 3, 8), (10, 10, 10), (14, 14, 14)])
def test_bound_rules_out_impossible_instances(gpw: tuple[int, int, int]) -> None:
    """Known infeasible instances are reported as impossible."""
    assert uniform_bound(*gpw).possible is False


def test_ten_tables_of_ten_may_be_repeat_free_for_nine_rounds_not_ten() -> None:
    """10-10-9 (7 orthogonal Latin squares of order 10) is not ruled out; 10-10-10 is, with at least 1 repeat."""
    assert uniform_bound(10, 10, 9).possible is None
    ten = uniform_bound(10, 10, 10)
    assert ten.min_repeats == 1 and ten.values["rounds"] == 9 and "Latin squares" in ten.explanation
    assert uniform_bound(14, 14, 13).possible is None and uniform_bound(14, 14, 14).values["rounds"] == 13


def test_impossible_instance_says_so_and_minimises() -> None:
    """4-3-5 returns a plan with repeats, flagged impossible, with a message."""
    result = solve(RotationProblem(12, 3, 5), seed=0, stop=MaxIterations(20))
    assert result.zero_repeat_possible is False
    assert result.repeats >= 1 and "impossible" in result.message


def test_p_greater_than_g_reaches_pigeonhole_minimum() -> None:
    """3 tables of 4 for 2 rounds: the fewest repeats found equals the pigeonhole bound."""
    result = solve(RotationProblem(12, 4, 2), seed=0, stop=MaxIterations(50))
    assert result.repeats == result.min_repeats == 3


def test_fixed_seats_hold() -> None:
    """A host fixed at table 2 sits there in every round."""
    problem = RotationProblem(24, 4, 5, fixed_seats={3: 2, 10: 0})
    result = solve(problem, seed=1, stop=MaxIterations(30))
    assert all(3 in rnd[2] and 10 in rnd[0] for rnd in result.rounds)


def test_absent_participants_are_not_seated() -> None:
    """Someone absent in round 1 has no seat in round 1 only."""
    problem = RotationProblem(20, 4, 3, absent={5: [1]})
    result = solve(problem, seed=0, stop=MaxIterations(20))
    seated = [{x for t in rnd for x in t} for rnd in result.rounds]
    assert 5 not in seated[1] and 5 in seated[0] and 5 in seated[2]


def test_replan_never_repeats_a_met_pair() -> None:
    """After 3 held rounds and a late arrival, no pair met before meets again."""
    problem = RotationProblem(40, 4, 6)
    first = solve(problem, seed=2, stop=MaxIterations(50))
    held = first.rounds[:3]
    present = [x for x in range(40) if x != 7] + ["late"]
    result = replan(problem, held, present=present, seed=2, stop=MaxIterations(200))
    met = {frozenset(p) for rnd in held for t in rnd for p in itertools.combinations(t, 2)}
    new = [frozenset(p) for rnd in result.rounds for t in rnd for p in itertools.combinations(t, 2)]
    assert result.repeats == 0 and not met.intersection(new) and len(result.rounds) == 3


def test_ids_map_back_to_participants() -> None:
    """String ids come back in the plan and in the per-person schedule."""
    names = [f"m{i}" for i in range(9)]
    result = solve(RotationProblem(names, 3, 4), seed=0, stop=MaxIterations(10))
    assert sorted(x for t in result.rounds[0] for x in t) == sorted(names)
    assert set(result.schedule()) == set(names)


def test_wishes_are_met_and_counted() -> None:
    """A few wishes in a loose instance are all met and reported against the total."""
    wishes = [(0, 1), (2, 3, 2.0), (4, 5)]
    result = solve(RotationProblem(24, 4, 4, wishes=wishes), seed=0, stop=MaxIterations(100))
    assert (result.wished_met, result.wished_total) == (3, 3) and result.repeats == 0


def test_conflicts_are_kept_apart() -> None:
    """Competitors never share a table when it is easy to avoid."""
    conflicts = [(0, 1), (2, 3), (0, 2)]
    result = solve(RotationProblem(24, 4, 4, conflicts=conflicts), seed=0, stop=MaxIterations(100))
    assert result.conflicts_together == 0


def test_uneven_head_count_uses_tables_of_s_and_s_minus_1() -> None:
    """58 people at tables of 6: 10 tables of 6 or 5."""
    result = solve(RotationProblem(58, 6, 3), seed=0, stop=MaxIterations(20))
    assert all(len(rnd) == 10 and {len(t) for t in rnd} <= {5, 6} for rnd in result.rounds)


def test_table_sizes_water_fill() -> None:
    """Capacities are filled evenly on the fewest tables."""
    assert table_sizes(18, [8, 6, 6]) == [6, 6, 6] and table_sizes(7, [2, 2, 2, 2]) == [2, 2, 2, 1]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"participants": 3, "table_size": 4, "rounds": 2},
        {"participants": 12, "table_size": 3, "rounds": 0},
        {"participants": 12, "table_size": 3, "rounds": 2, "wishes": [(0, 99)]},
        {"participants": 12, "table_size": 3, "rounds": 2, "fixed_seats": {0: 9}},
        {"participants": [1, 1, 2], "table_size": 2, "rounds": 1},
    ],
)
def test_bad_input_raises_clear_error(kwargs: dict) -> None:
    """Invalid problems raise RotationInputError."""
    with pytest.raises(RotationInputError):
        RotationProblem(**kwargs)


def test_evaluate_counts_history_repeats() -> None:
    """A pair met in the history and again in the plan counts one repeat."""
    problem = RotationProblem(4, 2, 1, history=[[[0, 1], [2, 3]]])
    assert evaluate(problem, [[[0, 1], [2, 3]]]).repeats == 2


def test_library_never_imports_django() -> None:
    """No module under meute.matching imports django."""
    root = pathlib.Path(__file__).resolve().parents[2] / "src" / "meute" / "matching" / "rotations"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "django" for n in names), path


def test_exact_offsets_give_distinct_differences_for_ten_tables_of_six():
    """The backtracking offset search finds 8 rounds over Z_10 whose row differences never repeat."""
    import itertools

    from meute.matching.rotations.cyclic import _exact_with_restarts

    c = _exact_with_restarts(10, 6, 8, seed=0, seconds=120)
    assert c is not None and c.shape == (8, 6)
    for i, j in itertools.combinations(range(6), 2):
        assert len({int(c[r, i] - c[r, j]) % 10 for r in range(8)}) == 8


def test_sixty_people_at_tables_of_six_meet_no_one_twice_in_eight_rounds():
    """60 participants, tables of 6, 8 rounds: the construction alone has zero repeats."""
    from meute.matching.rotations import RotationProblem, solve
    from meute.matching.stop import MaxIterations

    result = solve(RotationProblem(participants=60, table_size=6, rounds=8), seed=2, stop=MaxIterations(1))
    assert result.repeats == 0


def test_ghost_seats_never_leave_someone_alone():
    """7 people at tables of 3 over 4 rounds: the complete resolution of AG(2,3) would put
    both empty seats at one table in its last round; every round is seated 3-2-2 instead."""
    problem = RotationProblem(participants=tuple(range(7)), table_size=3, rounds=4)
    result = solve(problem, seed=0, stop=MaxIterations(3))
    assert [sorted(len(t) for t in rnd) for rnd in result.rounds] == [[2, 2, 3]] * 4
