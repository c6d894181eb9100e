"""Unit tests of the peer-group engine: reader, rules, explanations, exact optima."""

from __future__ import annotations

import ast
import pathlib

import numpy as np
import pytest

from meute.matching.grouping import (
    BalanceRule,
    Candidate,
    CompetitorRule,
    Conflict,
    GroupingInputError,
    GroupingProblem,
    InstanceFormatError,
    find_competitors,
    merge_conflicts,
    naf_levels,
    read_mdgplib,
    resolve_bounds,
    solve,
    violations,
)
from meute.matching.stop import MaxIterations

DATA = pathlib.Path(__file__).parent / "data"
SRC = pathlib.Path(__file__).parents[2] / "src" / "meute" / "matching"


def _cands(n: int, naf: str = "62.01Z", spread: float = 0.01) -> tuple[Candidate, ...]:
    return tuple(
        Candidate(id=f"c{i}", naf=naf, lat=45.0 + spread * i, lon=4.0, headcount=i, founded=2000 + i) for i in range(n)
    )


def test_no_django_import_under_matching():
    """No module under meute.matching imports Django."""
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "django" for n in names), path


def test_reader_reads_header_and_pairs():
    """The MDGPLIB reader gets n, the bounds and a symmetric matrix."""
    p = read_mdgplib(DATA / "RanReal_n012_ds_01.txt")
    assert p.n == 12 and p.bounds == ((3, 4), (3, 4), (2, 5), (3, 4))
    assert np.allclose(p.distances, p.distances.T)


def test_reader_names_the_truncated_line(tmp_path):
    """A truncated MDGPLIB file raises an error naming a line."""
    lines = (DATA / "RanReal_n010_ss_01.txt").read_text().splitlines()
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines[:20]) + "\n")
    with pytest.raises(InstanceFormatError, match="line"):
        read_mdgplib(bad)


def test_reader_names_the_malformed_line(tmp_path):
    """A non-numeric pair line is reported with its line number."""
    lines = (DATA / "RanReal_n010_ss_01.txt").read_text().splitlines()
    lines[5] = "0 x 12.5"
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(InstanceFormatError, match="line 6"):
        read_mdgplib(bad)


def test_reader_rejects_bad_header(tmp_path):
    """A header without the right number of bounds is reported as line 1."""
    bad = tmp_path / "bad.txt"
    bad.write_text("10 2 ss 5 5 5\n0 1 3.0\n")
    with pytest.raises(InstanceFormatError, match="line 1"):
        read_mdgplib(bad)


def test_exact_optimum_n010():
    """RanReal_n010_ss_01 reaches its proven optimum 1427.845 within 300 rounds."""
    r = solve(read_mdgplib(DATA / "RanReal_n010_ss_01.txt"), seed=0, stop=MaxIterations(300))
    assert r.feasible and r.objective == pytest.approx(1427.845, abs=1e-3)


def test_exact_optimum_n012_ds():
    """RanReal_n012_ds_01 reaches its proven optimum 1050.349 within 300 rounds."""
    r = solve(read_mdgplib(DATA / "RanReal_n012_ds_01.txt"), seed=0, stop=MaxIterations(300))
    assert r.feasible and r.objective == pytest.approx(1050.349, abs=1e-3)


def test_naf_levels_split():
    """A NAF code splits into section, division, groupe, classe and sous-classe."""
    lv = naf_levels("62.01Z")
    assert (lv.section, lv.division, lv.groupe, lv.classe) == ("J", "62", "62.0", "62.01")


def test_naf_levels_rejects_garbage():
    """A malformed NAF code is a GroupingInputError."""
    with pytest.raises(GroupingInputError):
        naf_levels("6201")


def test_competitor_rule_explains_classe_and_distance():
    """Two companies of one NAF classe close together conflict, with the reason spelled out."""
    cands = _cands(2, naf="43.22A", spread=0.1)
    (c,) = find_competitors(cands, CompetitorRule(max_km=30))
    assert c.reason == "same NAF classe 43.22 and 11 km apart"


def test_competitor_rule_ignores_far_companies():
    """Companies of one classe farther apart than the limit are not competitors."""
    assert find_competitors(_cands(2, spread=1.0), CompetitorRule(max_km=30)) == []


def test_declared_and_rule_reasons_merge():
    """A pair both declared and found by the rule keeps both reasons."""
    found = find_competitors(_cands(2), CompetitorRule())
    (c,) = merge_conflicts([Conflict(1, 0, "declared")], found)
    assert (c.a, c.b) == (0, 1) and c.reason.startswith("declared; same NAF classe 62.01")


def test_duplicate_ids_rejected():
    """Duplicated candidate ids are a GroupingInputError naming the id."""
    cands = (Candidate("a"), Candidate("a"))
    with pytest.raises(GroupingInputError, match="a"):
        GroupingProblem(bounds=((1, 2),), candidates=cands)


def test_too_few_candidates_explained():
    """13 candidates with sizes 10-12 yield an explanation naming the size rule."""
    p = GroupingProblem(bounds=resolve_bounds(13, (10, 12)), candidates=_cands(13, spread=1))
    r = solve(p, seed=0, stop=MaxIterations(5))
    assert not r.feasible and r.infeasibility.rule == "group size bounds" and not r.groups
    assert "13 candidates" in r.infeasibility.message


def test_conflict_clique_explained():
    """14 mutual competitors for 13 groups are named as a conflict clique."""
    cands = tuple(Candidate(id=f"c{i}", naf="43.22A" if i < 14 else None) for i in range(140))
    conflicts = merge_conflicts(find_competitors(cands, CompetitorRule()))
    p = GroupingProblem(bounds=((10, 11),) * 13, candidates=cands, conflicts=conflicts)
    r = solve(p, seed=0, stop=MaxIterations(5))
    assert r.infeasibility.rule == "conflict clique"
    assert set(r.infeasibility.candidates) == set(range(14))


def test_locked_conflict_explained():
    """Two conflicting candidates locked to the same group are named."""
    p = GroupingProblem(
        bounds=((2, 3),) * 2,
        candidates=_cands(5, spread=1),
        conflicts=(Conflict(0, 1, "declared"),),
        locks={0: 1, 1: 1},
    )
    r = solve(p, seed=0, stop=MaxIterations(5))
    assert r.infeasibility.rule == "locked conflict" and r.infeasibility.candidates == (0, 1)


def test_lock_capacity_explained():
    """More locks on a group than its upper bound are named."""
    p = GroupingProblem(bounds=((2, 3),) * 2, candidates=_cands(6, spread=1), locks=dict.fromkeys(range(4), 0))
    r = solve(p, seed=0, stop=MaxIterations(5))
    assert r.infeasibility.rule == "locked assignments" and len(r.infeasibility.candidates) == 4


def test_lock_to_unknown_group_rejected():
    """A lock to a group index that does not exist is a GroupingInputError."""
    with pytest.raises(GroupingInputError, match="locked to group 5"):
        GroupingProblem(bounds=((2, 3),) * 2, candidates=_cands(5), locks={0: 5})


def test_balance_spreads_tags():
    """With a balance rule, four tagged candidates end up in four different groups."""
    cands = tuple(
        Candidate(id=f"c{i}", naf="62.01Z", lat=45.0, lon=4.0, tags=frozenset({"women"} if i < 4 else ()))
        for i in range(16)
    )
    p = GroupingProblem(bounds=((4, 4),) * 4, candidates=cands, balance=BalanceRule(tags=("women",)))
    r = solve(p, seed=3, stop=MaxIterations(20))
    assert sorted(sum(i < 4 for i in g) for g in r.groups) == [1, 1, 1, 1]


def test_locks_respected():
    """Locked candidates stay in their group."""
    p = GroupingProblem(bounds=((3, 4),) * 3, candidates=_cands(10, spread=0.3), locks={0: 2, 5: 2, 7: 0})
    r = solve(p, seed=1, stop=MaxIterations(20))
    assert r.feasible and not violations(p, r.groups)
    assert 0 in r.groups[2] and 5 in r.groups[2] and 7 in r.groups[0]


def test_group_ids_follow_indices():
    """Result.group_ids maps every index of every group to its candidate id."""
    p = GroupingProblem(bounds=((3, 4),) * 2, candidates=_cands(7, spread=0.3))
    r = solve(p, seed=0, stop=MaxIterations(3))
    assert r.group_ids(p) == [[f"c{i}" for i in g] for g in r.groups]
