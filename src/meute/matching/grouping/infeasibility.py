"""Explain, before searching, why no grouping can satisfy the hard rules.

The checks are sufficient conditions of infeasibility, run in order: group sizes, locks
beyond a group's capacity, locked pairs in conflict, and a clique of mutual conflicts
larger than the number of groups. When none fires but the search still cannot separate
every conflict pair, :func:`meute.matching.grouping.solve` reports the pairs left.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from meute.matching.grouping.problem import GroupingProblem
from meute.matching.grouping.result import Infeasibility

MAX_LISTED = 20


def _names(problem: GroupingProblem, idx: list[int]) -> str:
    shown = ", ".join(problem.label(i) for i in idx[:MAX_LISTED])
    return shown + (f" and {len(idx) - MAX_LISTED} more" if len(idx) > MAX_LISTED else "")


def check_sizes(problem: GroupingProblem) -> Infeasibility | None:
    n, k = problem.n, problem.n_groups
    low = sum(lo for lo, _ in problem.bounds)
    high = sum(hi for _, hi in problem.bounds)
    if low <= n <= high:
        return None
    everyone = tuple(range(n))
    if len(set(problem.bounds)) == 1:
        lo, hi = problem.bounds[0]
        fits = [m for m in range(1, n // lo + 1) if m * lo <= n <= m * hi]
        if not fits:
            below = max(1, n // hi)
            msg = (
                f"{n} candidates cannot be split into groups of {lo}-{hi}: "
                f"{below} group(s) hold at most {below * hi}, "
                f"{below + 1} group(s) need at least {(below + 1) * lo}."
            )
            return Infeasibility("group size bounds", msg, everyone)
    verb = f"need at least {low}" if n < low else f"hold at most {high}"
    msg = f"{n} candidates, but the {k} groups with their size bounds {verb}."
    return Infeasibility("group size bounds", msg, everyone)


def check_lock_capacity(problem: GroupingProblem) -> Infeasibility | None:
    per_group: dict[int, list[int]] = defaultdict(list)
    for i, g in sorted(problem.locks.items()):
        per_group[g].append(i)
    for g, members in sorted(per_group.items()):
        hi = problem.bounds[g][1]
        if len(members) > hi:
            msg = (
                f"{len(members)} candidates are locked to group {g}, which holds at most "
                f"{hi}: {_names(problem, members)}."
            )
            return Infeasibility("locked assignments", msg, tuple(members))
    return None


def check_lock_conflicts(problem: GroupingProblem) -> Infeasibility | None:
    locks = problem.locks
    bad = [c for c in problem.conflicts if c.a in locks and locks.get(c.b) == locks[c.a]]
    if not bad:
        return None
    lines = "; ".join(f"{problem.label(c.a)} and {problem.label(c.b)} ({c.reason})" for c in bad[:MAX_LISTED])
    msg = f"conflicting candidates are locked to the same group: {lines}."
    who = tuple(sorted({i for c in bad for i in (c.a, c.b)}))
    return Infeasibility("locked conflict", msg, who, tuple((c.a, c.b) for c in bad))


def _core(adj: dict[int, set[int]], k: int) -> dict[int, set[int]]:
    """The k-core: vertices of degree >= k after repeated pruning."""
    adj = {v: set(nb) for v, nb in adj.items()}
    queue = [v for v, nb in adj.items() if len(nb) < k]
    while queue:
        v = queue.pop()
        if v not in adj:
            continue
        for u in adj.pop(v):
            if u in adj:
                adj[u].discard(v)
                if len(adj[u]) < k:
                    queue.append(u)
    return adj


def _greedy_clique(adj: dict[int, set[int]], start: int) -> list[int]:
    clique, cand = [start], set(adj[start])
    while cand:
        v = max(cand, key=lambda u: (len(adj[u] & cand), -u))
        clique.append(v)
        cand &= adj[v]
    return clique


def find_large_clique(problem: GroupingProblem) -> list[int] | None:
    """A set of mutually conflicting candidates larger than the number of groups, if found."""
    k = problem.n_groups
    adj: dict[int, set[int]] = defaultdict(set)
    for c in problem.conflicts:
        adj[c.a].add(c.b)
        adj[c.b].add(c.a)
    core = _core(adj, k)
    for v in sorted(core, key=lambda u: -len(core[u])):
        clique = _greedy_clique(core, v)
        if len(clique) > k:
            return sorted(clique)
    return None


def check_conflict_clique(problem: GroupingProblem) -> Infeasibility | None:
    clique = find_large_clique(problem)
    if clique is None:
        return None
    reasons = Counter(c.reason.split(" and ")[0] for c in problem.conflicts if c.a in clique and c.b in clique)
    why = ", ".join(r for r, _ in reasons.most_common(3))
    msg = (
        f"{len(clique)} candidates are mutual competitors/conflicts ({why}) but there "
        f"are only {problem.n_groups} groups: {_names(problem, clique)}."
    )
    return Infeasibility("conflict clique", msg, tuple(clique))


def analyse(problem: GroupingProblem) -> Infeasibility | None:
    """The first hard rule that provably cannot hold, or None."""
    checks = (
        check_sizes,
        check_lock_capacity,
        check_lock_conflicts,
        check_conflict_clique,
    )
    for check in checks:
        found = check(problem)
        if found is not None:
            return found
    return None
