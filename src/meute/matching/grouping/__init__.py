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
from meute.matching.grouping.evaluate import evaluate, farthest_km, meeting_place, violations
from meute.matching.grouping.facilitators import (
    FacilitatorCandidate,
    FacilitatorPlan,
    assign_facilitators,
    facilitator_violations,
)
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
from meute.matching.grouping.result import Breakdown, Infeasibility, LeftOut, Result
from meute.matching.grouping.search import SearchParams
from meute.matching.grouping.solver import solve
from meute.matching.grouping.sponsors import (
    SponsorCandidate,
    SponsorPlan,
    SponsorRule,
    assign_sponsors,
    sponsor_violations,
)

__all__ = [
    "BalanceRule",
    "Breakdown",
    "Candidate",
    "CompetitorRule",
    "Conflict",
    "DiversityWeights",
    "FacilitatorCandidate",
    "FacilitatorPlan",
    "GroupingInputError",
    "GroupingProblem",
    "Infeasibility",
    "InstanceFormatError",
    "LeftOut",
    "LocalityRule",
    "Result",
    "SearchParams",
    "SponsorCandidate",
    "SponsorPlan",
    "SponsorRule",
    "assign_facilitators",
    "assign_sponsors",
    "diversity_matrix",
    "evaluate",
    "facilitator_violations",
    "farthest_km",
    "find_competitors",
    "haversine_km",
    "meeting_place",
    "merge_conflicts",
    "naf_levels",
    "read_mdgplib",
    "resolve_bounds",
    "solve",
    "sponsor_violations",
    "violations",
]
