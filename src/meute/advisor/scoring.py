"""Which network for me? Pure scoring of the territory's networks for one leader.

Every rule adds a :class:`Reason` carrying its points, so a network's score *is* the sum of
its reasons' points and the page can show exactly why a network ranks where it does.
Rules that make a network unsuitable (admission, territory) exclude it instead; excluded
networks are still returned, so that "nothing fits" can show the closest ones.
See docs/algorithms/advisor.md for the rules and weights.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from meute.advisor.profile import LeaderProfile
from meute.members.models import HEADCOUNT_ORDER
from meute.territory.reference import MissingCoordinates, UnknownCommune, commune, departments, distance_km

# Weights (points). Changing one changes docs/algorithms/advisor.md too.
GOAL_POINTS = 25  # per goal of the leader that the network serves
AUDIENCE_POINTS = 15  # the network is reserved to a profile the leader has
TRADE_POINTS = 20  # the network is reserved to the leader's trade
FREE_RADIUS_KM = 15  # no distance penalty within this radius of the network's main place
DISTANCE_POINTS_PER_KM = 0.5  # penalty per km beyond the free radius ...
DISTANCE_CAP = 40  # ... capped
TIME_PENALTY = 20  # the network asks more hours a month than the leader has
COST_PENALTY = 25  # the annual fee exceeds the leader's budget
FULL_PENALTY = 10  # the network is at its maximum size
NO_BUSINESS_PENALTY = 15  # the leader wants business, the network refuses deal-making
EVIDENCE_POINTS = 5  # a business network whose members published what they closed between them
TEXT_POINTS = 30  # times the similarity (0..1) of the leader's words with the network's description
MIN_FIT = 20  # below this score a network is not recommended
DEFAULT_HOURS = 4  # hours a month assumed when a network does not say
STRATEGY_SIZE = 3  # at most this many networks in a strategy
STRATEGY_POOL = 10  # best candidates considered for the strategy
SAME_FAMILY_FACTOR = 0.5  # a second network of the same family counts for half

FAMILY_GOALS: dict[str, frozenset[str]] = {
    "geographic": frozenset({"isolement", "business"}),
    "thematic": frozenset({"isolement", "apprendre"}),
    "trade": frozenset({"defendre", "apprendre", "business"}),
    "business": frozenset({"business"}),
    "peer": frozenset({"isolement", "apprendre"}),
    "social": frozenset({"rebondir"}),
    "union": frozenset({"defendre"}),
    "incubator": frozenset({"apprendre", "business"}),
    "patronage": frozenset({"isolement"}),
}
FEE_FACTOR = {"year": 1.0, "cycle": 0.5, "month": 12.0, "none": 0.0}  # a cycle lasts two years


@dataclass(frozen=True)
class NetworkInfo:
    """What the advisor knows of one network (built from the database by :mod:`meute.advisor.queries`)."""

    slug: str
    name: str
    family: str
    goals_served: frozenset[str] = frozenset()
    audience_tags: frozenset[str] = frozenset()
    max_age: int | None = None
    naf_prefixes: tuple[str, ...] = ()
    max_headcount: str = ""
    departments: frozenset[str] = frozenset()
    scope: str = "department"
    home_commune: str | None = None
    fee_per_year: float = 0.0
    hours_per_month: float | None = None
    max_size: int | None = None
    size: int | None = None
    allows_business: bool = True
    managed: bool = False
    admission: str = ""
    description: str = ""
    business_closed: float | None = None  # the yearly figure staff published for the advisor to quote
    business_year: int | None = None

    @property
    def goals(self) -> frozenset[str]:
        return self.goals_served or FAMILY_GOALS.get(self.family, frozenset())

    @property
    def hours(self) -> float:
        return DEFAULT_HOURS if self.hours_per_month is None else float(self.hours_per_month)


@dataclass(frozen=True)
class TextMatch:
    """How close the leader's words are to a network's description (see :mod:`meute.advisor.textmatch`)."""

    similarity: float
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    """One rule at work: ``kind`` is "fit" (points > 0), "watch" (points <= 0) or "exclude"."""

    code: str
    points: float
    text: str
    kind: str = "fit"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "points": round(self.points, 1), "text": self.text, "kind": self.kind}


@dataclass
class Ranked:
    network: NetworkInfo
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(r.points for r in self.reasons), 1)

    @property
    def excluded(self) -> bool:
        return any(r.kind == "exclude" for r in self.reasons)

    @property
    def fits(self) -> list[Reason]:
        return [r for r in self.reasons if r.kind == "fit"]

    @property
    def watch(self) -> list[Reason]:
        return [r for r in self.reasons if r.kind != "fit"]

    def to_dict(self) -> dict[str, Any]:
        n = self.network
        return {
            "name": n.name, "slug": n.slug, "family": n.family, "score": self.score, "excluded": self.excluded,
            "reasons": [r.text for r in self.reasons], "details": [r.to_dict() for r in self.reasons],
            "hours_per_month": n.hours, "fee_per_year": n.fee_per_year,
        }


@dataclass
class AdviceResult:
    """The advisor's answer: ranked networks, excluded ones, a strategy and warnings."""

    ranked: list[Ranked]
    excluded: list[Ranked]
    strategy: list[Ranked]
    warnings: list[str]
    nothing_fits: bool
    closest: list[Ranked]
    current: list[Ranked]

    @property
    def strategy_hours(self) -> float:
        return sum(r.network.hours for r in self.strategy)

    @property
    def strategy_cost(self) -> float:
        return sum(r.network.fee_per_year for r in self.strategy)

    def to_dict(self) -> dict[str, Any]:
        return {
            "networks": [r.to_dict() for r in self.ranked],
            "strategy": [r.network.name for r in self.strategy],
            "strategy_hours_per_month": self.strategy_hours,
            "strategy_fee_per_year": self.strategy_cost,
            "warnings": self.warnings,
            "nothing_fits": self.nothing_fits,
            "closest": [r.to_dict() for r in self.closest],
            "excluded": [r.to_dict() for r in self.excluded],
        }


def _euros(value: float) -> str:
    return f"{value:,.0f} €".replace(",", " ")


def _admission_rules(profile: LeaderProfile, n: NetworkInfo) -> list[Reason]:
    from meute.advisor.models import AGE_BRACKET_FLOOR  # choices only, no query

    out = []
    if n.audience_tags:
        shared = sorted(set(profile.tags) & n.audience_tags)
        if shared:
            text = _("Made for your profile (%(t)s)") % {"t": ", ".join(shared)}
            out.append(Reason("audience", AUDIENCE_POINTS, text))
        else:
            out.append(Reason("audience", 0, _("Reserved to: %(t)s") % {"t": ", ".join(sorted(n.audience_tags))},
                              "exclude"))
    if n.max_age and profile.age_bracket and AGE_BRACKET_FLOOR.get(profile.age_bracket, 0) >= n.max_age:
        out.append(Reason("age", 0, _("Reserved to leaders under %(a)s") % {"a": n.max_age}, "exclude"))
    if n.naf_prefixes:
        if profile.naf and any(profile.naf.startswith(p) for p in n.naf_prefixes):
            out.append(Reason("trade", TRADE_POINTS, _("The network of your trade")))
        else:
            out.append(Reason("trade", 0, _("Reserved to other trades (NAF %(p)s)") % {"p": ", ".join(n.naf_prefixes)},
                              "exclude"))
    if (n.max_headcount in HEADCOUNT_ORDER and profile.headcount
            and HEADCOUNT_ORDER.index(profile.headcount) > HEADCOUNT_ORDER.index(n.max_headcount)):
        out.append(Reason("headcount", 0, _("For smaller companies (up to %(b)s employees)")
                          % {"b": n.max_headcount}, "exclude"))
    return out


def _territory_rules(profile: LeaderProfile, n: NetworkInfo) -> list[Reason]:
    out = []
    here = commune(profile.commune)
    if n.departments and n.scope != "national":
        regions = {departments()[d].region for d in n.departments if d in departments()}
        outside = here.department not in n.departments
        if n.scope == "region":
            outside = here.region not in regions
        if outside:
            out.append(Reason("area", 0, _("Outside its territory (%(d)s)") % {"d": ", ".join(sorted(n.departments))},
                              "exclude"))
    if n.home_commune:
        try:
            km = distance_km(here, n.home_commune)
        except (UnknownCommune, MissingCoordinates):
            return out
        if km > FREE_RADIUS_KM and n.scope != "national":
            penalty = min(DISTANCE_CAP, (km - FREE_RADIUS_KM) * DISTANCE_POINTS_PER_KM)
            out.append(Reason("distance", -round(penalty, 1), _("Meets %(km)s km away") % {"km": round(km)}, "watch"))
        else:
            out.append(Reason("distance", 0, _("Meets near you (%(km)s km)") % {"km": round(km)}, "watch"))
    return out


def _commitment_rules(profile: LeaderProfile, n: NetworkInfo, size: int | None) -> list[Reason]:
    out = []
    if n.hours > profile.hours_per_month:
        out.append(Reason("time", -TIME_PENALTY, _("Asks about %(h)s h a month, more than your %(m)s h")
                          % {"h": f"{n.hours:g}", "m": f"{profile.hours_per_month:g}"}, "watch"))
    else:
        out.append(Reason("time", 0, _("About %(h)s h a month") % {"h": f"{n.hours:g}"}, "watch"))
    if n.fee_per_year > profile.budget_eur:
        out.append(Reason("cost", -COST_PENALTY, _("Costs %(f)s a year, over your budget of %(b)s")
                          % {"f": _euros(n.fee_per_year), "b": _euros(profile.budget_eur)}, "watch"))
    elif n.fee_per_year:
        out.append(Reason("cost", 0, _("Costs %(f)s a year") % {"f": _euros(n.fee_per_year)}, "watch"))
    else:
        out.append(Reason("cost", 0, _("Free"), "watch"))
    if n.max_size and size is not None and size >= n.max_size:
        out.append(Reason("full", -FULL_PENALTY, _("Full (%(n)s members at most): ask for the waiting list")
                          % {"n": n.max_size}, "watch"))
    if "business" in profile.goals and not n.allows_business:
        out.append(Reason("no_business", -NO_BUSINESS_PENALTY, _("Refuses all deal-making between members"), "watch"))
    if n.admission:
        out.append(Reason("admission", 0, _("Admission: %(a)s") % {"a": n.admission}, "watch"))
    return out


def score_network(profile: LeaderProfile, n: NetworkInfo, text: TextMatch | None = None) -> Ranked:
    """All the rules for one network; the score is the sum of the reasons' points."""
    from meute.advisor.models import Goal

    labels = dict(Goal.choices)
    reasons = [Reason("goal", GOAL_POINTS, _("Serves your goal: %(g)s") % {"g": labels[g]})
               for g in profile.goals if g in n.goals]
    reasons += _admission_rules(profile, n)
    if text is not None and text.similarity > 0.05:
        words = _(" (%(w)s)") % {"w": ", ".join(text.words[:5])} if text.words else ""
        reasons.append(Reason("text", round(TEXT_POINTS * text.similarity, 1),
                              _("Its description matches your words at %(p)s %%%(w)s")
                              % {"p": round(100 * text.similarity), "w": words}))
    reasons += _territory_rules(profile, n)
    reasons += _commitment_rules(profile, n, n.size)
    if "business" in profile.goals and n.business_closed:
        reasons.append(Reason("evidence", EVIDENCE_POINTS,
                              _("Its members closed %(a)s of business between them in %(y)s")
                              % {"a": _euros(n.business_closed), "y": n.business_year}))
    return Ranked(n, reasons)


def choose_strategy(candidates: Sequence[Ranked], *, hours: float, budget: float) -> list[Ranked]:
    """The best combination of at most STRATEGY_SIZE networks within the hours and the budget.

    Value = sum of scores, a second network of the same family counting SAME_FAMILY_FACTOR;
    ties go to fewer hours, then the lower fee. Exhaustive over the STRATEGY_POOL best.
    """
    pool = [r for r in candidates if r.score >= MIN_FIT and r.network.hours <= hours
            and r.network.fee_per_year <= budget][:STRATEGY_POOL]
    best: tuple[float, float, float] = (0.0, 0.0, 0.0)
    chosen: tuple[Ranked, ...] = ()
    for size in range(1, STRATEGY_SIZE + 1):
        for combo in itertools.combinations(pool, size):
            h = sum(r.network.hours for r in combo)
            cost = sum(r.network.fee_per_year for r in combo)
            if h > hours or cost > budget:
                continue
            seen: set[str] = set()
            value = 0.0
            for r in sorted(combo, key=lambda r: -r.score):
                value += r.score * (SAME_FAMILY_FACTOR if r.network.family in seen else 1.0)
                seen.add(r.network.family)
            key = (round(value, 3), -h, -cost)
            if key > best:
                best, chosen = key, combo
    return sorted(chosen, key=lambda r: -r.score)


def advise(
    profile: LeaderProfile, networks: Iterable[NetworkInfo], text: Mapping[str, TextMatch] | None = None
) -> AdviceResult:
    """Rank ``networks`` for ``profile`` and propose a strategy; never returns an empty answer."""
    text = text or {}
    current_slugs = set(profile.current_networks)
    ranked, excluded, current = [], [], []
    for n in networks:
        r = score_network(profile, n, text.get(n.slug))
        if n.slug in current_slugs:
            current.append(r)
        elif r.excluded:
            excluded.append(r)
        else:
            ranked.append(r)
    order = lambda r: (-r.score, r.network.name)  # noqa: E731
    ranked.sort(key=order)
    excluded.sort(key=order)
    warnings = []
    used = sum(r.network.hours for r in current)
    if current and used > profile.hours_per_month:
        warnings.append(_("You already belong to %(n)s networks asking about %(h)s h a month, more than the %(m)s h "
                          "you can give: attend fewer rather than join another.")
                        % {"n": len(current), "h": f"{used:g}", "m": f"{profile.hours_per_month:g}"})
    spent = sum(r.network.fee_per_year for r in current)
    strategy = choose_strategy(ranked, hours=profile.hours_per_month - used, budget=profile.budget_eur - spent)
    nothing = not any(r.score >= MIN_FIT for r in ranked)
    closest: list[Ranked] = []
    if nothing:
        closest = sorted(ranked + excluded, key=lambda r: (-sum(p.points for p in r.reasons if p.kind == "fit"),
                                                           -r.score, r.network.name))[:3]
        warnings.append(_("Nothing fits all your answers; here are the closest networks and what stands in the way."))
    elif not strategy and not warnings:
        warnings.append(_("No combination fits both your time and your budget: see the ranking and what to watch."))
    return AdviceResult(ranked, excluded, strategy, warnings, nothing, closest, current)
