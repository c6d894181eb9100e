"""Speed-meeting rotations: seat participants at tables round after round.

The pure form is the Social Golfer Problem (g tables of p people for w rounds, no pair
twice). Real events add wishes, competitors to keep apart, attributes to mix, hosts who
keep their table, absences and re-planning after late arrivals.

>>> from meute.matching.rotations import RotationProblem, solve
>>> from meute.matching.stop import MaxIterations
>>> result = solve(RotationProblem(participants=15, table_size=3, rounds=7), seed=1,
...                stop=MaxIterations(100))
>>> result.repeats
0
"""

from .bounds import Bound, problem_bound, uniform_bound
from .constructions import construct
from .problem import RotationInputError, RotationProblem, Weights, table_sizes
from .replan import replan
from .result import RotationResult, evaluate
from .solver import SearchParams, solve

__all__ = [
    "Bound",
    "RotationInputError",
    "RotationProblem",
    "RotationResult",
    "SearchParams",
    "Weights",
    "construct",
    "evaluate",
    "problem_bound",
    "replan",
    "solve",
    "table_sizes",
    "uniform_bound",
]
