"""Peer-group formation: the Maximally Diverse Grouping Problem with real-world rules.

>>> from meute.matching.grouping import GroupingProblem, solve
>>> from meute.matching.stop import MaxIterations
>>> result = solve(problem, seed=1, stop=MaxIterations(100))  # doctest: +SKIP

See docs/algorithms/peer_groups.md for the model and the algorithm.
"""

from meute.matching.grouping.distances import (
    CompetitorRule,
    diversity_matrix,
    find_competitors,
    haversine_km,
    merge_conflicts,
    naf_levels,
)
from meute.matching.grouping.errors import GroupingInputError, InstanceFormatError
from meute.matching.grouping.evaluate import evaluate, violations
from meute.matching.grouping.mdgplib import read_mdgplib
from meute.matching.grouping.problem import (
    BalanceRule,
    Candidate,
    Conflict,
    DiversityWeights,
    GroupingProblem,
    LocalityRule,
    resolve_bounds,
)
from meute.matching.grouping.result import Breakdown, Infeasibility, Result
from meute.matching.grouping.search import SearchParams
from meute.matching.grouping.solver import solve

__all__ = [
    "BalanceRule",
    "Breakdown",
    "Candidate",
    "CompetitorRule",
    "Conflict",
    "DiversityWeights",
    "GroupingInputError",
    "GroupingProblem",
    "Infeasibility",
    "InstanceFormatError",
    "LocalityRule",
    "Result",
    "SearchParams",
    "diversity_matrix",
    "evaluate",
    "find_competitors",
    "haversine_km",
    "merge_conflicts",
    "naf_levels",
    "read_mdgplib",
    "resolve_bounds",
    "solve",
    "violations",
]
