"""From candidates in the database to a grouping problem and back.

Django code here only builds :class:`~meute.matching.grouping.GroupingProblem` and stores
results; the optimisation lives in :mod:`meute.matching.grouping`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from meute.core.text import search_terms
from meute.matching.grouping import (
    BalanceRule,
    Candidate,
    CompetitorRule,
    GroupingProblem,
    LocalityRule,
    find_competitors,
    haversine_km,
    merge_conflicts,
    resolve_bounds,
    solve,
    violations,
)
from meute.matching.grouping.sponsors import SponsorCandidate, assign_sponsors
from meute.matching.stop import MaxRuntime
from meute.members.models import HEADCOUNT_ORDER, Leader, MembershipStatus, Network, NetworkRole, Role
from meute.naf.reference import naf_codes

HEADCOUNT_LOW = {band: int(band.split("-")[0].rstrip("+")) for band in HEADCOUNT_ORDER}
BALANCED_TAGS = ("femme_dirigeante", "repreneur", "jeune_dirigeant")
# Larger runs are refused before they are queued (memory grows with candidates², time with
# candidates × groups); see docs/architecture.md, "Background jobs".
MAX_CANDIDATES = 1000
MAX_CANDIDATE_GROUPS = 60_000
MAX_SECONDS = 120


@dataclass(frozen=True)
class FormationParams:
    """What the staff chose for a run (stored on the run as JSON)."""

    size_min: int = 10
    size_max: int = 12
    groups: int | None = None
    department: str = ""
    seconds: float = 5.0
    radius_km: float = 25.0
    competitor_km: float = 30.0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FormationParams:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def candidate_leaders(network: Network, department: str = "") -> list[Leader]:
    qs = Leader.objects.filter(memberships__network=network, memberships__status=MembershipStatus.CANDIDATE)
    if department:
        qs = qs.filter(company__department_id=department)
    return list(qs.select_related("user", "company__commune").order_by("id"))


def to_candidate(leader: Leader) -> Candidate:
    company = leader.company
    commune = company.commune if company else None
    located = commune is not None and commune.latitude is not None
    return Candidate(
        id=str(leader.pk),
        naf=company.naf_code if company else None,
        lat=commune.latitude if located else None,
        lon=commune.longitude if located else None,
        headcount=HEADCOUNT_LOW.get(company.headcount) if company else None,
        founded=company.founded_year if company else None,
        tags=frozenset(leader.tag_list),
        name=leader.full_name,
    )


def build_problem(leaders: list[Leader], params: FormationParams, locks: dict[str, int] | None = None
                  ) -> GroupingProblem:
    cands = [to_candidate(leader) for leader in leaders]
    index = {c.id: i for i, c in enumerate(cands)}
    conflicts = find_competitors(cands, CompetitorRule(max_km=params.competitor_km))
    return GroupingProblem(
        bounds=resolve_bounds(len(cands), (params.size_min, params.size_max), params.groups),
        candidates=tuple(cands),
        conflicts=merge_conflicts(conflicts),
        locks={index[k]: g for k, g in (locks or {}).items() if k in index},
        locality=LocalityRule(radius_km=params.radius_km),
        balance=BalanceRule(tags=BALANCED_TAGS),
    )


def sponsor_candidates(network: Network) -> tuple[list[SponsorCandidate], list[int]]:
    users = (NetworkRole.objects.filter(network=network, role=Role.SPONSOR)
             .select_related("user__leader__company__commune").order_by("user_id"))
    sponsors, ids = [], []
    for role in users:
        leader = getattr(role.user, "leader", None)
        commune = leader.company.commune if leader and leader.company else None
        sponsors.append(SponsorCandidate(
            id=str(role.user_id),
            lat=commune.latitude if commune else None, lon=commune.longitude if commune else None,
            expertise=frozenset(search_terms(leader.expertise if leader else "", limit=20)),
            naf=leader.company.naf_code if leader and leader.company else None,
        ))
        ids.append(role.user_id)
    return sponsors, ids


def run(network: Network, params: FormationParams, *, seed: int, locks: dict[str, int],
        on_progress: Any = None, wrap_stop: Any = None) -> dict[str, Any]:
    """Solve; returns the proposal (leader ids per group, sponsors, places) or an explanation.

    ``wrap_stop`` wraps the time limit (the background job adds "stop if cancelled")."""
    leaders = candidate_leaders(network, params.department)
    problem = build_problem(leaders, params, locks)
    started, last = time.perf_counter(), [0.0]

    def progress(_iteration: int, _best: float) -> None:
        now = time.perf_counter()
        if on_progress is not None and now - last[0] > 0.5:
            last[0] = now
            on_progress(min(99, int(100 * (now - started) / max(params.seconds, 0.1))))

    stop = MaxRuntime(params.seconds)
    result = solve(problem, seed=seed, stop=wrap_stop(stop) if wrap_stop else stop, progress=progress)
    if not result.feasible:
        names = [problem.label(i) for i in result.infeasibility.candidates]
        labels = {c.id: c.name for c in problem.candidates}
        return {"feasible": False, "message": result.infeasibility.message,
                "candidates": [labels.get(n, n) for n in names]}
    groups = [[int(problem.candidates[i].id) for i in g] for g in result.groups]
    places = [int(problem.candidates[m].id) if m is not None else None for m in result.meeting_places]
    sponsors = _sponsors(network, problem, result.groups, result.meeting_places)
    return {"feasible": True, "groups": groups, "places": places, "sponsors": sponsors,
            "objective": result.objective}


def _sponsors(network: Network, problem: GroupingProblem, groups: list[list[int]], places: list[int | None]
              ) -> list[list[int]]:
    sponsors, ids = sponsor_candidates(network)
    if not sponsors:
        return [[] for _ in groups]
    cands = problem.candidates
    plan = assign_sponsors([[cands[i] for i in g] for g in groups],
                           [cands[m] if m is not None else None for m in places], sponsors)
    return [[ids[s] for s in chosen] for chosen in plan.per_group]


@dataclass
class GroupReview:
    index: int
    members: list[dict[str, Any]]
    place: Leader | None
    sponsors: list[Any]
    competitors: list[str]


def review(network: Network, proposal: dict[str, Any], params: FormationParams, locks: dict[str, int]
           ) -> tuple[list[GroupReview], list[str]]:
    """Each proposed group with activities, distances to its meeting place, competitor check; and every violation."""
    from meute.accounts.models import User

    ids = [x for g in proposal.get("groups", []) for x in g]
    leaders = {leader.pk: leader for leader in Leader.objects.filter(pk__in=ids).select_related(
        "user", "company__commune")}
    ordered = [leaders[x] for x in ids if x in leaders]
    fixed = FormationParams(**{**params.__dict__, "groups": len(proposal["groups"])})
    problem = build_problem(ordered, fixed, locks)
    index = {leader.pk: i for i, leader in enumerate(ordered)}
    groups_idx = [[index[x] for x in g if x in index] for g in proposal["groups"]]
    found = _named_violations(problem, groups_idx) if violations(problem, groups_idx) else []
    sponsor_users = {u.pk: u for u in User.objects.filter(pk__in=[s for g in proposal.get("sponsors", []) for s in g])}
    naf = naf_codes()
    reviews = []
    for g, members in enumerate(proposal["groups"]):
        place = leaders.get((proposal.get("places") or [None] * (g + 1))[g] or -1)
        rows = []
        for x in members:
            leader = leaders.get(x)
            if leader is None:
                continue
            rows.append({"leader": leader, "activity": naf.get(leader.company.naf_code) if leader.company else None,
                         "km": _km(leader, place), "locked": str(x) in locks})
        where = set(members)
        clashes = [f"{problem.candidates[c.a].name} / {problem.candidates[c.b].name}: {c.reason}"
                   for c in problem.conflicts
                   if int(problem.candidates[c.a].id) in where and int(problem.candidates[c.b].id) in where]
        sponsors = [sponsor_users[s] for s in (proposal.get("sponsors") or [[]] * (g + 1))[g] if s in sponsor_users]
        reviews.append(GroupReview(g, rows, place, sponsors, clashes))
    return reviews, found


def _named_violations(problem: GroupingProblem, groups: list[list[int]]) -> list[str]:
    """The hard rules the edited grouping breaks, with people's names."""
    from django.utils.translation import gettext as _

    found = []
    for g, (members, (lo, hi)) in enumerate(zip(groups, problem.bounds, strict=True)):
        if not lo <= len(members) <= hi:
            found.append(_("Group %(g)s has %(n)s members (bounds %(lo)s–%(hi)s).")
                         % {"g": g + 1, "n": len(members), "lo": lo, "hi": hi})
    where = {i: g for g, members in enumerate(groups) for i in members}
    for c in problem.conflicts:
        if where.get(c.a, -1) == where.get(c.b, -2):
            found.append(_("%(a)s and %(b)s are competitors in group %(g)s (%(why)s).") % {
                "a": problem.candidates[c.a].name, "b": problem.candidates[c.b].name, "g": where[c.a] + 1,
                "why": c.reason})
    for i, g in problem.locks.items():
        if where.get(i) != g:
            found.append(_("%(a)s is locked to group %(g)s.") % {"a": problem.candidates[i].name, "g": g + 1})
    return found


def _km(leader: Leader, place: Leader | None) -> float | None:
    if place is None or leader.company is None or place.company is None:
        return None
    a, b = leader.company.commune, place.company.commune
    if a.latitude is None or b.latitude is None:
        return None
    return round(haversine_km(a.latitude, a.longitude, b.latitude, b.longitude), 1)


@dataclass(frozen=True)
class ZoneCount:
    zone: str
    waiting: int
    compatible: int
    can_form: bool


def compatible_count(leaders: list[Leader], competitor_km: float = 30.0) -> int:
    """How many of these candidates could sit in one group: a greedy set with no two competitors."""
    cands = [to_candidate(leader) for leader in leaders]
    clashes: dict[int, set[int]] = {i: set() for i in range(len(cands))}
    for c in find_competitors(cands, CompetitorRule(max_km=competitor_km)):
        clashes[c.a].add(c.b)
        clashes[c.b].add(c.a)
    chosen: set[int] = set()
    for i in sorted(clashes, key=lambda i: (len(clashes[i]), i)):
        if not clashes[i] & chosen:
            chosen.add(i)
    return len(chosen)


def pool_by_zone(network: Network, *, size_min: int = 10, around: Any = None, radius_km: float = 30.0
                 ) -> list[ZoneCount]:
    """Candidates waiting per département (or within ``radius_km`` of a commune), and how many are compatible."""
    leaders = candidate_leaders(network)
    zones: dict[str, list[Leader]] = {}
    if around is not None:
        key = f"{around.name} ± {radius_km:.0f} km"
        zones[key] = [leader for leader in leaders if (km := _km_to(leader, around)) is not None and km <= radius_km]
    else:
        for leader in leaders:
            department = leader.company.department_id if leader.company else "?"
            zones.setdefault(department, []).append(leader)
    rows = []
    for zone, members in sorted(zones.items()):
        compatible = compatible_count(members)
        rows.append(ZoneCount(zone, len(members), compatible, compatible >= size_min))
    return rows


def _km_to(leader: Leader, commune: Any) -> float | None:
    if leader.company is None or leader.company.commune.latitude is None or commune.latitude is None:
        return None
    here = leader.company.commune
    return haversine_km(here.latitude, here.longitude, commune.latitude, commune.longitude)
