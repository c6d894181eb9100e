"""From candidates in the database to a grouping problem and back.

Django code here only builds :class:`~meute.matching.grouping.GroupingProblem` and stores
results; the optimisation lives in :mod:`meute.matching.grouping`.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from meute.core.text import search_terms
from meute.matching.grouping import (
    BalanceRule,
    Candidate,
    CompetitorRule,
    Conflict,
    GroupingProblem,
    LocalityRule,
    find_competitors,
    haversine_km,
    merge_conflicts,
    resolve_bounds,
    solve,
    violations,
)
from meute.matching.grouping.facilitators import FacilitatorCandidate, assign_facilitators
from meute.matching.grouping.sponsors import SponsorCandidate, assign_sponsors
from meute.matching.stop import MaxRuntime
from meute.members.models import (
    HEADCOUNT_ORDER,
    Leader,
    Membership,
    MembershipStatus,
    Network,
    NetworkRole,
    ProfileTag,
    Role,
)
from meute.naf.reference import naf_codes

HEADCOUNT_LOW = {band: int(band.split("-")[0].rstrip("+")) for band in HEADCOUNT_ORDER}
BALANCED_TAGS = ("femme_dirigeante", "repreneur", "jeune_dirigeant")
# Larger runs are refused before they are queued (memory grows with candidates², time with
# candidates × groups); see docs/architecture.md, "Background jobs".
MAX_CANDIDATES = 1000
MAX_CANDIDATE_GROUPS = 60_000
MAX_SECONDS = 120
DEFAULT_MAX_KM = 40.0
# Monthly slots a facilitator offers when staff set none: weekday (0 = Monday) and week of the month.
DEFAULT_SLOTS = ("tue-1", "thu-1", "tue-3", "thu-3")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
SPONSORS_MIN = 2
SPONSOR_CAPACITY = 2  # groups per sponsor at a time
FACILITATOR_CAPACITY = 2  # groups per facilitator at a time, unless their offer says otherwise


_SAME_CLASS = re.compile(r"^same NAF classe (\S+) and (\d+) km apart$")
_SAME_CLASS_SOMEWHERE = re.compile(r"^same NAF classe (\S+), location unknown$")


def conflict_reason(reason: str) -> str:
    """The matching library's reason for a conflict pair, in the staff's language (declared
    conflicts already carry their translated kind)."""
    from django.utils.translation import gettext as _

    parts = []
    for part in reason.split("; "):
        if found := _SAME_CLASS.match(part):
            parts.append(_("same NAF class %(c)s, %(km)s km apart") % {"c": found[1], "km": found[2]})
        elif found := _SAME_CLASS_SOMEWHERE.match(part):
            parts.append(_("same NAF class %(c)s, location unknown") % {"c": found[1]})
        else:
            parts.append(part)
    return "; ".join(parts)


def km_text(km: float) -> str:
    """A distance with one decimal, written the way the active language writes numbers (26,8 in French)."""
    from django.utils.formats import number_format

    return number_format(km, 1)


def slot_label(slot: str) -> str:
    """``"tue-1"`` → "1st Tuesday of the month" (translated); the raw text if malformed."""
    from django.utils.translation import gettext as _

    parsed = parse_slot(slot)
    if parsed is None:
        return slot
    days = (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"))
    nths = (_("1st"), _("2nd"), _("3rd"), _("4th"))
    return _("%(nth)s %(day)s of the month") % {"nth": nths[parsed[1] - 1], "day": days[parsed[0]]}


def parse_slot(slot: str) -> tuple[int, int] | None:
    """``"tue-1"`` → (1, 1): weekday (0 = Monday) and week of the month (1-4); None if malformed."""
    day, _, nth = (slot or "").partition("-")
    if day not in WEEKDAYS or nth not in ("1", "2", "3", "4"):
        return None
    return WEEKDAYS.index(day), int(nth)


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
    max_km: float = DEFAULT_MAX_KM
    around: str = ""  # INSEE code: the run's territory is the disc of around_km around it
    around_km: float = 0.0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FormationParams:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def candidate_leaders(network: Network, department: str = "", around: Any = None, around_km: float = 0.0
                      ) -> list[Leader]:
    """The programme's candidates inside the run's territory: a département, a disc of
    ``around_km`` around the commune ``around``, or by default the programme's départements."""
    qs = Leader.objects.filter(memberships__network=network, memberships__status=MembershipStatus.CANDIDATE)
    if department:
        qs = qs.filter(company__department_id=department)
    elif around is None:
        own = list(network.departments.values_list("code", flat=True)) if network.pk else []
        if own:
            qs = qs.filter(company__department_id__in=own)
    leaders = list(qs.select_related("user", "company__commune").order_by("id"))
    if around is not None:
        leaders = [x for x in leaders if (km := _km_to(x, around)) is not None and km <= around_km]
    return leaders


def run_leaders(network: Network, params: FormationParams) -> list[Leader]:
    """The candidates of a run with these parameters."""
    around = None
    if params.around:
        from meute.territory.models import Commune

        around = Commune.objects.filter(pk=params.around).first()
    return candidate_leaders(network, params.department, around, params.around_km)


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


def build_problem(leaders: list[Leader], params: FormationParams, locks: dict[str, int] | None = None,
                  declared: dict[frozenset[int], str] | None = None) -> GroupingProblem:
    """The grouping problem of these leaders; ``declared``: confirmed conflicts (hard, with their reason)."""
    cands = [to_candidate(leader) for leader in leaders]
    index = {c.id: i for i, c in enumerate(cands)}
    conflicts = find_competitors(cands, CompetitorRule(max_km=params.competitor_km))
    pos = {leader.pk: i for i, leader in enumerate(leaders)}
    pairs = [Conflict(pos[a], pos[b], why) for key, why in (declared or {}).items()
             if len(key) == 2 and all(x in pos for x in key) for a, b in [sorted(key)]]
    return GroupingProblem(
        bounds=resolve_bounds(len(cands), (params.size_min, params.size_max), params.groups),
        candidates=tuple(cands),
        conflicts=merge_conflicts(conflicts, pairs),
        locks={index[k]: g for k, g in (locks or {}).items() if k in index},
        locality=LocalityRule(radius_km=params.radius_km, max_km=params.max_km or None),
        balance=BalanceRule(tags=BALANCED_TAGS),
    )


def _commitments(network: Network, field_name: str) -> dict[int, list[str]]:
    """Slots of the groups (of this programme, cycle running) each user already leads or sponsors."""
    from meute.peergroups.models import PeerGroup

    out: dict[int, list[str]] = {}
    groups = PeerGroup.objects.filter(network=network, ended=False)
    if field_name == "sponsors":
        for group_slot, user_id in groups.values_list("meeting_slot", "sponsors"):
            if user_id is not None:
                out.setdefault(user_id, []).append(group_slot or DEFAULT_SLOTS[0])
    else:
        for group_slot, user_id in groups.values_list("meeting_slot", "facilitator_id"):
            if user_id is not None:
                out.setdefault(user_id, []).append(group_slot or DEFAULT_SLOTS[0])
    return out


def sponsor_candidates(network: Network) -> tuple[list[SponsorCandidate], list[int]]:
    """The programme's sponsors, with the places and slots their running groups leave free."""
    users = (NetworkRole.objects.filter(network=network, role=Role.SPONSOR)
             .select_related("user__leader__company__commune").order_by("user_id"))
    taken = _commitments(network, "sponsors")
    sponsors, ids = [], []
    for role in users:
        leader = getattr(role.user, "leader", None)
        commune = leader.company.commune if leader and leader.company else None
        busy = taken.get(role.user_id, [])
        sponsors.append(SponsorCandidate(
            id=str(role.user_id),
            lat=commune.latitude if commune else None, lon=commune.longitude if commune else None,
            expertise=frozenset(search_terms(leader.expertise if leader else "", limit=20)),
            naf=leader.company.naf_code if leader and leader.company else None,
            capacity=max(0, SPONSOR_CAPACITY - len(busy)), busy=frozenset(busy),
        ))
        ids.append(role.user_id)
    return sponsors, ids


def run(network: Network, params: FormationParams, *, seed: int, locks: dict[str, int],
        on_progress: Any = None, wrap_stop: Any = None) -> dict[str, Any]:
    """Solve; returns the proposal (leader ids per group, sponsors, places) or an explanation.

    ``wrap_stop`` wraps the time limit (the background job adds "stop if cancelled")."""
    from meute.peergroups.conflicts import confirmed_pairs

    leaders = run_leaders(network, params)
    problem = build_problem(leaders, params, locks, confirmed_pairs(network))
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
        from meute.peergroups.explain import infeasibility_message

        return {"feasible": False, "message": infeasibility_message(problem, result),
                "candidates": [labels.get(n, n) for n in names]}
    groups = [[int(problem.candidates[i].id) for i in g] for g in result.groups]
    places = [int(problem.candidates[m].id) if m is not None else None for m in result.meeting_places]
    facilitators, slots = _facilitators(network, problem, result.meeting_places)
    sponsors = _sponsors(network, problem, result.groups, result.meeting_places, slots)
    left_out = [{"leader": int(problem.candidates[x.index].id), "reason": x.reason, "nearest_km": x.nearest_km,
                 "kind": x.kind, "within": x.within, "max_km": params.max_km, "size_min": params.size_min}
                for x in result.left_out]
    venues = _venues(network, leaders, groups, params)
    return {"feasible": True, "groups": groups, "places": places, "sponsors": sponsors, "venues": venues,
            "facilitators": facilitators, "slots": slots, "left_out": left_out, "objective": result.objective}


def _venues(network: Network, leaders: list[Leader], groups: list[list[int]], params: FormationParams
            ) -> list[int | None]:
    """For each group, the programme's venue nearest to its members with all within the hard distance."""
    from meute.peergroups.life import nearest_venue

    venues = list(network.venues.select_related("commune").exclude(commune__latitude=None))
    if not venues:
        return [None] * len(groups)
    by_id = {x.pk: x for x in leaders}
    limit = params.max_km or float("inf")
    chosen = [nearest_venue(venues, [by_id[i] for i in g if i in by_id], limit) for g in groups]
    return [v.pk if v else None for v in chosen]


def left_out_reason(entry: dict[str, Any]) -> str:
    """Why a candidate was left out of a run, in the staff's language."""
    from django.utils.translation import gettext as _

    values = {"n": entry.get("within", 0), "km": f"{entry.get('max_km') or 0:g}", "m": entry.get("size_min", 10)}
    if entry.get("kind") == "surplus":
        return _("the candidates within %(km)s km of them are too many for one group and too few for two; "
                 "the ones farthest from the others wait for the next run") % values
    if entry.get("kind") == "conflict":
        return _("a competitor or declared conflict of a member of the only group within %(km)s km of them; "
                 "they wait for the next run") % values
    if entry.get("kind") == "unseated":
        return _("could not be seated within %(km)s km in the time given: run again with more time") % values
    return _("only %(n)s other candidate(s) within %(km)s km who can be seated; a group needs %(m)s") % values


def facilitator_candidates(network: Network) -> tuple[list[FacilitatorCandidate], list[int]]:
    """The programme's facilitators with their capacity and offered slots (defaults when unset)."""
    from meute.peergroups.models import FacilitatorOffer

    offers = {o.user_id: o for o in FacilitatorOffer.objects.filter(network=network)}
    taken = _commitments(network, "facilitator")
    roles = (NetworkRole.objects.filter(network=network, role=Role.FACILITATOR)
             .select_related("user__leader__company__commune").order_by("user_id"))
    out, ids = [], []
    for role in roles:
        leader = getattr(role.user, "leader", None)
        commune = leader.company.commune if leader and leader.company else None
        offer = offers.get(role.user_id)
        busy = taken.get(role.user_id, [])
        slots = tuple(s for s in (offer.slot_list if offer and offer.slot_list else DEFAULT_SLOTS) if s not in busy)
        capacity = max(0, (offer.capacity if offer else FACILITATOR_CAPACITY) - len(busy))
        out.append(FacilitatorCandidate(str(role.user_id), slots,
                                        commune.latitude if commune else None, commune.longitude if commune else None,
                                        capacity))
        ids.append(role.user_id)
    return out, ids


def _facilitators(network: Network, problem: GroupingProblem, places: list[int | None]
                  ) -> tuple[list[int | None], list[str | None]]:
    facs, ids = facilitator_candidates(network)
    cands = problem.candidates
    coords = [(cands[m].lat, cands[m].lon) if m is not None and cands[m].located else None for m in places]
    if not facs:
        return [None] * len(places), [DEFAULT_SLOTS[g % len(DEFAULT_SLOTS)] for g in range(len(places))]
    plan = assign_facilitators(coords, facs)
    slots = [s or DEFAULT_SLOTS[g % len(DEFAULT_SLOTS)] for g, s in enumerate(plan.slots)]  # no facilitator yet
    return [ids[k] if k is not None else None for k in plan.per_group], slots


def _sponsors(network: Network, problem: GroupingProblem, groups: list[list[int]], places: list[int | None],
              slots: list[str | None]) -> list[list[int]]:
    sponsors, ids = sponsor_candidates(network)
    if not sponsors:
        return [[] for _ in groups]
    cands = problem.candidates
    plan = assign_sponsors([[cands[i] for i in g] for g in groups],
                           [cands[m] if m is not None else None for m in places], sponsors, slots=slots)
    return [[ids[s] for s in chosen] for chosen in plan.per_group]


@dataclass
class GroupReview:
    index: int
    members: list[dict[str, Any]]
    place: Leader | None
    sponsors: list[Any]
    competitors: list[str]
    facilitator: Any = None
    slot: str = ""
    max_km: float | None = None
    median_km: float | None = None
    warnings: list[str] = field(default_factory=list)
    venue: Any = None

    @property
    def slot_label(self) -> str:
        return slot_label(self.slot) if self.slot else ""


def review(network: Network, proposal: dict[str, Any], params: FormationParams, locks: dict[str, int],
           *, published: bool = False) -> tuple[list[GroupReview], list[str]]:
    """Each proposed group with activities, distances to its meeting place, competitor check,
    and the soft rules it misses (``GroupReview.warnings``); and every hard-rule violation
    (before publishing, also the people who are no longer waiting candidates)."""
    from meute.accounts.models import User

    ids = [x for g in proposal.get("groups", []) for x in g]
    leaders = {leader.pk: leader for leader in Leader.objects.filter(pk__in=ids).select_related(
        "user", "company__commune")}
    ordered = [leaders[x] for x in ids if x in leaders]
    fixed = FormationParams(**{**params.__dict__, "groups": len(proposal["groups"]), "max_km": 0.0})
    from meute.peergroups.conflicts import confirmed_pairs

    problem = build_problem(ordered, fixed, locks, confirmed_pairs(network))
    index = {leader.pk: i for i, leader in enumerate(ordered)}
    groups_idx = [[index[x] for x in g if x in index] for g in proposal["groups"]]
    found = _named_violations(problem, groups_idx) if violations(problem, groups_idx) else []
    from django.utils.translation import gettext as _

    if not published:
        found += [_("%(a)s is no longer a waiting candidate (placed in a group meanwhile, or gone): "
                    "run the formation again.") % {"a": name} for name in no_longer_waiting(network, ids)]
    n_groups = len(proposal["groups"])
    fac_ids = list(proposal.get("facilitators") or [None] * n_groups)
    slots = list(proposal.get("slots") or [""] * n_groups)
    sponsor_lists = list(proposal.get("sponsors") or [[]] * n_groups)
    users = {u.pk: u for u in User.objects.filter(
        pk__in=[s for g in sponsor_lists for s in g] + [f for f in fac_ids if f])}
    share = _tag_shares(ordered)
    naf = naf_codes()
    venue_ids = list(proposal.get("venues") or [None] * n_groups)
    venues = {v.pk: v for v in network.venues.select_related("commune").filter(pk__in=[v for v in venue_ids if v])}
    clashes_of = _clashes_by_group(problem, groups_idx)
    slot_groups: dict[tuple[int, str], list[int]] = {}  # (facilitator, slot) -> groups
    for h, f in enumerate(fac_ids):
        if f is not None and h < len(slots):
            slot_groups.setdefault((f, slots[h]), []).append(h)
    reviews = []
    people = _programme_people(network)
    if published:
        running: list[list[str]] = [[] for _g in proposal["groups"]]
    else:
        from meute.peergroups.clashes import clashes_with_running

        running = clashes_with_running(network, fac_ids, [s or "" for s in slots], sponsor_lists, users)
    for g, members in enumerate(proposal["groups"]):
        place = leaders.get((proposal.get("places") or [None] * (g + 1))[g] or -1)
        venue = venues.get(venue_ids[g]) if g < len(venue_ids) else None
        rows = []
        for x in members:
            leader = leaders.get(x)
            if leader is None:
                continue
            km = _km_to(leader, venue.commune) if venue else _km(leader, place)
            rows.append({"leader": leader, "activity": naf.get(leader.company.naf_code) if leader.company else None,
                         "km": round(km, 1) if km is not None else None, "locked": str(x) in locks})
        clashes = clashes_of.get(g, [])
        sponsors = [users[s] for s in sponsor_lists[g] if s in users]
        kms = sorted(r["km"] for r in rows if r["km"] is not None)
        item = GroupReview(g, rows, place, sponsors, clashes, users.get(fac_ids[g]) if g < len(fac_ids) else None,
                           slots[g] or "" if g < len(slots) else "", kms[-1] if kms else None,
                           round(statistics.median(kms), 1) if kms else None)
        item.venue = venue
        found += _distance_breaches(item, params)
        item.warnings = _soft_misses(item, params, share, fac_ids, slot_groups, people) + running[g]
        reviews.append(item)
    return reviews, found


def no_longer_waiting(network: Network, leader_ids: list[int], *, lock: bool = False) -> list[str]:
    """The names of the proposal's people who are no longer candidates of the programme (another
    run was published meanwhile, or they left); ``lock``: their memberships stay locked until commit."""
    memberships = Membership.objects.filter(network=network, leader_id__in=leader_ids)
    if lock:
        memberships = memberships.select_for_update(of=("self",)).order_by("pk")
    waiting = {m.leader_id for m in memberships if m.status == MembershipStatus.CANDIDATE}
    gone = [x for x in dict.fromkeys(leader_ids) if x not in waiting]
    people = {x.pk: x.full_name for x in Leader.objects.filter(pk__in=gone).select_related("user")}
    return sorted(people.get(x) or str(x) for x in gone)


def _programme_people(network: Network) -> dict[str, list[str]]:
    """The names of the programme's facilitators and sponsors, for the shortfall sentences."""
    out: dict[str, list[str]] = {"facilitators": [], "sponsors": []}
    roles = NetworkRole.objects.filter(network=network, role__in=[Role.FACILITATOR, Role.SPONSOR]).select_related(
        "user").order_by("user__last_name", "user_id")
    for role in roles:
        key = "facilitators" if role.role == Role.FACILITATOR else "sponsors"
        out[key].append(role.user.get_full_name() or role.user.email)
    return out


def _clashes_by_group(problem: GroupingProblem, groups: list[list[int]]) -> dict[int, list[str]]:
    """The conflict pairs sitting together, per group (one pass over the conflicts)."""
    where = {i: g for g, members in enumerate(groups) for i in members}
    out: dict[int, list[str]] = {}
    for c in problem.conflicts:
        g = where.get(c.a)
        if g is not None and where.get(c.b) == g:
            out.setdefault(g, []).append(f"{problem.candidates[c.a].name} / {problem.candidates[c.b].name}:"
                                      f" {conflict_reason(c.reason)}")
    return out


def _tag_shares(leaders: list[Leader]) -> dict[str, float]:
    n = max(1, len(leaders))
    return {t: sum(t in x.tag_list for x in leaders) / n for t in BALANCED_TAGS}


def _distance_breaches(item: GroupReview, params: FormationParams) -> list[str]:
    from django.utils.translation import gettext as _

    if not params.max_km:
        return []
    return [_("Group %(g)s: %(a)s lives %(km)s km from the meeting place, beyond the maximum of %(max)s km.")
            % {"g": item.index + 1, "a": r["leader"].full_name, "km": km_text(r["km"]), "max": f"{params.max_km:g}"}
            for r in item.members if r["km"] is not None and r["km"] > params.max_km]


def _soft_misses(item: GroupReview, params: FormationParams, share: dict[str, float],
                 fac_ids: list[int | None], slot_groups: dict[tuple[int, str | None], list[int]],
                 people: dict[str, list[str]]) -> list[str]:
    """The soft rules this group misses, as sentences staff can act on."""
    from django.utils.translation import gettext as _

    out = []
    far = [r for r in item.members if r["km"] is not None and r["km"] > params.radius_km]
    if far:
        out.append(_("%(n)s member(s) beyond the preferred %(r)s km (farthest %(km)s km): %(who)s.") % {
            "n": len(far), "r": f"{params.radius_km:g}", "km": km_text(max(r["km"] for r in far)),
            "who": ", ".join(r["leader"].full_name for r in far[:5])})
    if len(item.sponsors) < SPONSORS_MIN:
        if not people["sponsors"]:
            out.append(_("No sponsor: the programme has no sponsor yet."))
        else:
            out.append(_("%(n)s sponsor(s), fewer than %(m)s: none of the programme's sponsors (%(who)s) is free in "
                         "this slot, within capacity and without a competitor in the group.")
                       % {"n": len(item.sponsors), "m": SPONSORS_MIN, "who": ", ".join(people["sponsors"][:8])})
    size = len(item.members)
    for tag, p in share.items():
        count = sum(tag in r["leader"].tag_list for r in item.members)
        if abs(count - p * size) >= 2:
            out.append(_("Balance of “%(t)s”: %(c)s in this group, %(e)s expected for an even spread.")
                       % {"t": dict(ProfileTag.choices).get(tag, tag), "c": count, "e": f"{p * size:.1f}"})
    me = fac_ids[item.index] if item.index < len(fac_ids) else None
    if me is None and not people["facilitators"]:
        out.append(_("No facilitator: the programme has no facilitator yet."))
    elif me is None:
        out.append(_("No facilitator: every facilitator of the programme (%(who)s) is at capacity or has no free "
                     "slot.") % {"who": ", ".join(people["facilitators"][:8])})
    else:
        twins = [h + 1 for h in slot_groups.get((me, item.slot), []) if h != item.index]
        if twins:
            out.append(_("The facilitator also leads group(s) %(g)s in the same slot (%(s)s).")
                       % {"g": ", ".join(map(str, twins)), "s": item.slot_label})
    return out


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
        if where.get(c.a, -1) == where.get(c.b, -2) and not c.reason.startswith("same NAF"):
            found.append(_("%(a)s and %(b)s have a declared conflict in group %(g)s (%(why)s).") % {
                "a": problem.candidates[c.a].name, "b": problem.candidates[c.b].name, "g": where[c.a] + 1,
                "why": conflict_reason(c.reason)})
        elif where.get(c.a, -1) == where.get(c.b, -2):
            found.append(_("%(a)s and %(b)s are competitors in group %(g)s (%(why)s).") % {
                "a": problem.candidates[c.a].name, "b": problem.candidates[c.b].name, "g": where[c.a] + 1,
                "why": conflict_reason(c.reason)})
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
