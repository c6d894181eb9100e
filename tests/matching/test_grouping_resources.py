"""Hard distance, left-out candidates, sponsor and facilitator capacities and slots."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meute.matching.grouping import (
    Candidate,
    Conflict,
    FacilitatorCandidate,
    GroupingInputError,
    GroupingProblem,
    LocalityRule,
    SponsorCandidate,
    assign_facilitators,
    assign_sponsors,
    facilitator_violations,
    farthest_km,
    meeting_place,
    resolve_bounds,
    solve,
    sponsor_violations,
    violations,
)
from meute.matching.stop import MaxIterations

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAFS = ("62.01Z", "43.22A", "47.11B", "69.20Z", "56.10A", "10.71C")
LYON, GRENOBLE = (45.76, 4.83), (45.19, 5.72)


def _cands(n: int, seed: int, centres=(LYON, GRENOBLE), isolated: int = 0) -> tuple[Candidate, ...]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if i < isolated:
            lat, lon = 48.5 + i, 0.5
        else:
            c = centres[i % len(centres)]
            lat, lon = c[0] + rng.gauss(0, 0.06), c[1] + rng.gauss(0, 0.06)
        out.append(Candidate(f"c{i}", naf=rng.choice(NAFS), lat=lat, lon=lon, headcount=rng.randint(0, 80),
                             founded=rng.randint(1970, 2024)))
    return tuple(out)


def _problem(cands, max_km, size=(4, 6), **kw) -> GroupingProblem:
    return GroupingProblem(bounds=resolve_bounds(len(cands), size), candidates=cands,
                           locality=LocalityRule(radius_km=10, max_km=max_km), **kw)


def _hard_ok(problem, result) -> list[str]:
    left = [x.index for x in result.left_out]
    bounds = [problem.bounds[0]] * len(result.groups)
    return violations(problem, result.groups, left, bounds)


def test_hard_distance_never_broken():
    """Two far-apart towns: no group mixes them, every member within the hard distance."""
    cands = _cands(40, 1)
    problem = _problem(cands, 40)
    result = solve(problem, seed=1, stop=MaxIterations(20))
    assert result.feasible and not result.left_out
    for g in result.groups:
        assert farthest_km(problem, g, meeting_place(problem, g)) <= 40


def test_isolated_candidates_left_out_with_reason_and_radius():
    """Isolated candidates are left out with the reason and a radius that would seat them."""
    cands = _cands(42, 2, isolated=2)
    problem = _problem(cands, 30)
    result = solve(problem, seed=1, stop=MaxIterations(20))
    assert result.feasible
    assert [x.index for x in result.left_out] == [0, 1]
    assert "within 30 km; a group needs 4" in result.left_out[0].reason
    assert result.left_out[0].nearest_km > 30
    assert _hard_ok(problem, result) == []


def test_radius_nobody_can_meet_is_explained():
    """A hard radius nobody can meet: infeasible, with the nearest feasible radius."""
    cands = _cands(20, 3)
    result = solve(_problem(cands, 0.01), seed=1, stop=MaxIterations(5))
    assert not result.feasible
    assert result.infeasibility.rule == "hard distance"
    assert "nearest feasible radius" in result.infeasibility.message
    assert len(result.left_out) == 20


def test_locked_candidate_never_left_out():
    """A locked isolated candidate stays in the run (and the run explains it cannot seat them)."""
    cands = _cands(41, 4, isolated=1)
    problem = _problem(cands, 30, locks={0: 0})
    result = solve(problem, seed=1, stop=MaxIterations(5))
    assert 0 not in {x.index for x in result.left_out}
    assert not result.feasible


def test_declared_conflict_keeps_its_reason():
    """A declared conflict is a hard conflict and keeps its reason in the result."""
    cands = _cands(16, 5, centres=(LYON,))
    problem = _problem(cands, 40, conflicts=(Conflict(0, 1, "family"),))
    result = solve(problem, seed=1, stop=MaxIterations(10))
    where = {i: g for g, m in enumerate(result.groups) for i in m}
    assert where[0] != where[1]
    assert result.conflicts[0].reason == "family"


def test_bad_hard_distance_refused():
    """A non-positive hard distance is refused with a clear message."""
    with pytest.raises(GroupingInputError, match="hard maximum distance"):
        LocalityRule(max_km=0)


def test_sponsor_capacity_and_slots_hold():
    """A sponsor serves at most their capacity, never two groups of one slot."""
    groups = [[Candidate(f"m{g}", naf="62.01Z", lat=45.7, lon=4.8)] for g in range(4)]
    sponsors = [SponsorCandidate(f"s{k}", 45.7, 4.8, capacity=2) for k in range(4)]
    slots = ["tue-1", "tue-1", "thu-2", "thu-2"]
    plan = assign_sponsors(groups, [g[0] for g in groups], sponsors, slots=slots)
    assert all(len(p) >= 2 for p in plan.per_group)
    assert sponsor_violations(plan.per_group, sponsors, slots) == []


def test_sponsor_shortfall_names_capacity():
    """One sponsor of capacity 1 for two groups: the second group's shortfall says why."""
    groups = [[Candidate(f"m{g}", naf="62.01Z", lat=45.7, lon=4.8)] for g in range(2)]
    plan = assign_sponsors(groups, [g[0] for g in groups], [SponsorCandidate("s0", capacity=1)])
    assert any("at capacity" in n for n in plan.notes)


def test_facilitator_slots_never_clash():
    """Two groups of one facilitator never share a slot; capacity holds; the rest is explained."""
    facs = [FacilitatorCandidate("f0", ("tue-1", "thu-3"), 45.7, 4.8, capacity=2),
            FacilitatorCandidate("f1", ("mon-2",), 45.2, 5.7, capacity=3)]
    plan = assign_facilitators([LYON, LYON, LYON, GRENOBLE], facs)
    assert facilitator_violations(plan.per_group, plan.slots, facs) == []
    assert plan.per_group == [0, 0, None, 1]
    assert any("no facilitator" in n for n in plan.notes)


@st.composite
def located_problems(draw: st.DrawFn) -> GroupingProblem:
    n = draw(st.integers(8, 30))
    seed = draw(st.integers(0, 10_000))
    isolated = draw(st.integers(0, 2))
    cands = _cands(n, seed, isolated=isolated)
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=4))
    conflicts = tuple({(min(a, b), max(a, b)): Conflict(a, b, "client or supplier")
                       for a, b in pairs if a != b}.values())
    return _problem(cands, draw(st.sampled_from([15.0, 30.0, 60.0])), size=(3, 5), conflicts=conflicts)


@SETTINGS
@given(located_problems(), st.integers(0, 3))
def test_no_output_breaks_a_hard_rule(problem, seed):
    """Whatever the instance, a feasible result breaks no hard rule (distance included)."""
    result = solve(problem, seed=seed, stop=MaxIterations(8))
    if result.feasible:
        assert _hard_ok(problem, result) == []


@SETTINGS
@given(located_problems(), st.integers(0, 3))
def test_same_seed_same_grouping(problem, seed):
    """With an iteration stop, the same seed gives the same grouping and the same left-out."""
    a = solve(problem, seed=seed, stop=MaxIterations(5))
    b = solve(problem, seed=seed, stop=MaxIterations(5))
    assert a.groups == b.groups and a.left_out == b.left_out


@SETTINGS
@given(st.integers(1, 8), st.integers(1, 6), st.integers(0, 3), st.integers(0, 1000))
def test_capacities_hold(n_groups, n_sponsors, n_slots, seed):
    """Sponsor and facilitator plans never exceed a capacity or put one person in two groups of a slot."""
    rng = random.Random(seed)
    labels = ["mon-1", "tue-2", "thu-3"][: max(1, n_slots)]
    facs = [FacilitatorCandidate(f"f{k}", tuple(rng.sample(labels, rng.randint(1, len(labels)))),
                                 45 + rng.random(), 4 + rng.random(), capacity=rng.randint(0, 3)) for k in range(3)]
    places = [(45 + rng.random(), 4 + rng.random()) for _ in range(n_groups)]
    fplan = assign_facilitators(places, facs)
    assert facilitator_violations(fplan.per_group, fplan.slots, facs) == []
    groups = [[Candidate(f"m{g}", naf=rng.choice(NAFS), lat=p[0], lon=p[1])] for g, p in enumerate(places)]
    sponsors = [SponsorCandidate(f"s{k}", 45 + rng.random(), 4 + rng.random(), naf=rng.choice(NAFS),
                                 capacity=rng.randint(0, 3)) for k in range(n_sponsors)]
    splan = assign_sponsors(groups, [g[0] for g in groups], sponsors, slots=fplan.slots)
    assert sponsor_violations(splan.per_group, sponsors, fplan.slots) == []
    assert all(len(p) <= 3 for p in splan.per_group)


def test_town_of_one_group_with_competitors_leaves_one_out():
    """A town holding one group only, with two competitors: one waits, the other is seated, no conflict shared."""
    cands = list(_cands(11, 7, centres=(LYON,)))
    cands[1] = Candidate("c1", naf=cands[0].naf, lat=cands[0].lat, lon=cands[0].lon)
    problem = GroupingProblem(bounds=((10, 12),), candidates=tuple(cands),
                              conflicts=(Conflict(0, 1, "same NAF classe"),), locality=LocalityRule(max_km=40))
    result = solve(problem, seed=1, stop=MaxIterations(5))
    assert result.feasible and [x.kind for x in result.left_out] == ["conflict"]
    assert _hard_ok(problem, result) == []
