"""Reads of the advisor: the territory's networks, advice, introductions (each checking who asks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from meute.advisor import permissions, textmatch
from meute.advisor.models import Introduction, IntroductionStatus, NetworkProfile
from meute.advisor.profile import LeaderProfile
from meute.advisor.scoring import FEE_FACTOR, AdviceResult, NetworkInfo, TextMatch, advise
from meute.core.permissions import is_site_admin, not_found
from meute.core.text import search_terms
from meute.members import permissions as member_permissions
from meute.members.models import Leader, Membership, MembershipStatus, Network


@dataclass(frozen=True)
class TerritoryFilters:
    """The directory of networks' search box and filters; every field is optional."""

    q: str = ""
    family: str = ""
    department: str = ""
    goal: str = ""
    free_only: bool = False


def list_territory_networks(user: Any, filters: TerritoryFilters | None = None) -> QuerySet[Network]:
    """Every network of the territory, run in meute or not, filtered (public descriptions)."""
    filters = filters or TerritoryFilters()
    qs = Network.objects.all()
    for term in search_terms(filters.q):
        qs = qs.filter(Q(name__icontains=term) | Q(goals__icontains=term) | Q(admission__icontains=term)
                       | Q(cadence__icontains=term))
    if filters.family:
        qs = qs.filter(family=filters.family)
    if filters.department:
        qs = qs.filter(departments__code=filters.department)
    if filters.goal:
        from meute.advisor.scoring import FAMILY_GOALS

        families = [f for f, goals in FAMILY_GOALS.items() if filters.goal in goals]
        qs = qs.filter(Q(advisor_profile__goals_served__contains=filters.goal)
                       | (Q(family__in=families) & (Q(advisor_profile__isnull=True)
                                                     | Q(advisor_profile__goals_served=""))))
    if filters.free_only:
        qs = qs.filter(Q(fee_amount=0) | Q(fee_period="none"))
    return (qs.distinct().select_related("advisor_profile", "home_commune").prefetch_related("departments")
            .annotate(active_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE),
                                         distinct=True))
            .order_by("name"))


def access_territory_network(user: Any, slug: str, *, manage: bool = False) -> Network:
    network = Network.objects.filter(slug=slug).select_related("advisor_profile", "home_commune").first()
    if network is None or (manage and not permissions.can_manage_territory_network(user, network)):
        raise not_found()
    return network


def network_profile(network: Network) -> NetworkProfile:
    """The advisor's facts on ``network`` (an unsaved empty one when none is stored)."""
    try:
        return network.advisor_profile
    except NetworkProfile.DoesNotExist:
        return NetworkProfile(network=network)


def _info(network: Network, size: int | None, evidence: tuple[float, int] | None = None) -> NetworkInfo:
    p = network_profile(network)
    fee = float(network.fee_amount or 0) * FEE_FACTOR.get(network.fee_period, 1.0)
    description = " ".join(x for x in (network.name, network.goals, network.admission, p.places) if x)
    return NetworkInfo(
        slug=network.slug, name=network.name, family=network.family,
        goals_served=frozenset(p.goals_served.split()), audience_tags=frozenset(p.audience_tags.split()),
        max_age=p.max_age, naf_prefixes=tuple(p.naf_prefixes.split()), max_headcount=p.max_headcount,
        departments=frozenset(d.code for d in network.departments.all()), scope=network.scope,
        home_commune=network.home_commune_id, fee_per_year=round(fee, 2),
        hours_per_month=network.hours_per_month, max_size=network.max_size,
        size=size if network.managed else p.declared_size, allows_business=network.allows_business,
        managed=network.managed, admission=network.admission, description=description,
        business_closed=evidence[0] if evidence else None, business_year=evidence[1] if evidence else None,
    )


def network_infos() -> list[NetworkInfo]:
    """What the advisor knows of every network; run-in-meute networks count their active members."""
    from meute.referrals.queries import advisor_evidence

    evidence = advisor_evidence()
    return [_info(n, n.active_count, evidence.get(n.pk)) for n in list_territory_networks(None)]


def text_matches(profile: LeaderProfile, infos: list[NetworkInfo]) -> dict[str, TextMatch]:
    """Similarity of the leader's own words with each network's description."""
    if not profile.text.strip():
        return {}
    return {
        n.slug: TextMatch(textmatch.similarity(profile.text, n.description),
                          tuple(textmatch.shared_words(profile.text, n.description)))
        for n in infos
    }


def advice_for(profile: LeaderProfile) -> AdviceResult:
    """Rank every network of the territory for ``profile`` (no protected data is read)."""
    infos = network_infos()
    return advise(profile, infos, text_matches(profile, infos))


def leader_answers(leader: Leader) -> dict[str, Any]:
    """Questionnaire answers drawn from a leader's profile (a starting point for the form)."""
    company = leader.company
    return {
        "naf": company.naf_code if company else "",
        "commune": company.commune_id if company else "",
        "headcount": company.headcount if company else "",
        "tags": leader.tag_list,
        "text": company.needs if company else "",
        "current_networks": list(leader.memberships.filter(status=MembershipStatus.ACTIVE)
                                 .values_list("network__slug", flat=True)),
    }


# ----------------------------------------------------------------------------- introductions

def _introductions() -> QuerySet[Introduction]:
    return Introduction.objects.select_related("requester__user", "requester__company", "target__user",
                                               "target__company")


def list_my_introductions(user: Any) -> QuerySet[Introduction]:
    """Introductions the user asked for or was asked for."""
    if not user.is_authenticated:
        return Introduction.objects.none()
    return _introductions().filter(Q(requester__user=user) | Q(target__user=user))


def access_introduction(user: Any, introduction_id: int) -> Introduction:
    introduction = _introductions().filter(pk=introduction_id).first()
    if introduction is None or not permissions.can_see_introduction(user, introduction):
        raise not_found()
    return introduction


def list_staff_introductions(user: Any) -> QuerySet[Introduction]:
    """Introductions involving members of the networks ``user`` runs (all of them for the administrator)."""
    if is_site_admin(user):
        return _introductions().all()
    staff = member_permissions.staff_network_ids(user)
    if not staff:
        return Introduction.objects.none()
    members = Membership.objects.filter(network_id__in=staff).exclude(
        status=MembershipStatus.LEFT).values("leader_id")
    return _introductions().filter(Q(requester_id__in=members) | Q(target_id__in=members))


def list_introductions_to_answer(user: Any) -> QuerySet[Introduction]:
    """Introductions asked of me that wait for my answer."""
    if not user.is_authenticated:
        return Introduction.objects.none()
    return _introductions().filter(target__user=user, status=IntroductionStatus.PENDING).order_by("created")
