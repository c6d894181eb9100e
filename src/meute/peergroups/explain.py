"""Why a formation run found no grouping, in the staff's language.

The matching library explains an infeasible problem in English (its ``Infeasibility.rule``
names the rule, ``candidates`` the people concerned); the run's message is written here from
the rule and the problem's figures, so a French page never shows the library's sentence.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from meute.matching.grouping import GroupingProblem
from meute.matching.grouping.result import Result


def infeasibility_message(problem: GroupingProblem, result: Result) -> str:
    """The reason ``result`` holds no grouping, as a sentence staff can act on."""
    found = result.infeasibility
    n, k = problem.n, len(problem.bounds)
    lo, hi = min(b[0] for b in problem.bounds), max(b[1] for b in problem.bounds)
    if found.rule == "hard distance":
        radii = [x.nearest_km for x in result.left_out if x.nearest_km is not None]
        text = _("No group of %(lo)s can meet within %(km)s km of its meeting place.") % {
            "lo": lo, "km": f"{problem.max_km:g}"}
        if radii:
            text += " " + _("The nearest radius that seats a group is %(r)s km.") % {"r": f"{min(radii):g}"}
        return text
    if found.rule == "group size bounds":
        return _("%(n)s candidates cannot be split into %(k)s group(s) of %(lo)s to %(hi)s people.") % {
            "n": n, "k": k, "lo": lo, "hi": hi}
    if found.rule == "locked assignments":
        return _("More people are locked to one group than it can hold (%(hi)s at most).") % {"hi": hi}
    if found.rule == "locked conflict":
        return _("Competitors or people with a declared conflict are locked to the same group.")
    if found.rule == "conflict clique":
        return _("%(c)s candidates are all competitors of one another or in declared conflict, more than the "
                 "%(k)s group(s): they cannot all be seated apart.") % {"c": len(found.candidates), "k": k}
    return found.message
