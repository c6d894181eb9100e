"""Reads of referrals and one-to-ones, each filtered by who asks (see :mod:`meute.referrals.permissions`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from meute.core.exceptions import NotFound
from meute.members.models import Leader, Membership, MembershipStatus
from meute.members.queries import list_directory
from meute.referrals.models import OneToOne, PublishedFigure, Referral
from meute.referrals.permissions import can_see_amount, can_see_one_to_one, can_see_referral, leader_of

RECEIVERS_MAX = 500  # people offered in the "to whom" list; others are reached from their profile or a suggestion


def access_referral(user: Any, referral_id: int) -> Referral:
    """The referral, if ``user`` gave or received it; otherwise :class:`NotFound` (its existence is not revealed)."""
    referral = (Referral.objects.select_related("giver__user", "giver__company", "receiver__user",
                                                "receiver__company", "meeting__group")
                .filter(pk=referral_id).first())
    if referral is None or not can_see_referral(user, referral):
        raise NotFound("")
    return referral


def visible_referral_ids(user: Any, ids: set[int]) -> set[int]:
    """Which of these referrals ``user`` may see (:func:`access_referral`'s rule, for many at once)."""
    leader = leader_of(user)
    if leader is None:
        return set()
    return set(Referral.objects.filter(Q(giver=leader) | Q(receiver=leader), pk__in=ids).values_list("pk", flat=True))


def shown_amount(user: Any, referral: Referral) -> Any:
    """The amount won as ``user`` may see it: the receiver's, the giver's if shared, else None."""
    return referral.amount if can_see_amount(user, referral) else None


def list_given(user: Any) -> QuerySet[Referral]:
    leader = leader_of(user)
    if leader is None:
        return Referral.objects.none()
    return Referral.objects.filter(giver=leader).select_related("receiver__user", "receiver__company")


def list_received(user: Any) -> QuerySet[Referral]:
    leader = leader_of(user)
    if leader is None:
        return Referral.objects.none()
    return Referral.objects.filter(receiver=leader).select_related("giver__user", "giver__company")


@dataclass(frozen=True)
class MeetingReferral:
    """A referral as the meeting's minutes show it: who gave it to whom, how warm; no prospect, no amount."""

    giver: str
    receiver: str
    warmth: str
    lead: bool


def list_meeting_referrals(meeting: Any) -> list[MeetingReferral]:
    """The referrals given at a meeting, for its page and minutes. ``meeting`` must come from
    ``peergroups.queries.access_meeting`` (the group's confidentiality rule)."""
    rows = Referral.objects.filter(meeting=meeting).select_related("giver__user", "receiver__user").order_by("created")
    return [MeetingReferral(r.giver.full_name, r.receiver.full_name, r.get_warmth_display(), not r.prospect_agreed)
            for r in rows]


def list_receivers(user: Any, *, limit: int = RECEIVERS_MAX) -> QuerySet[Leader]:
    """Members ``user`` may give a referral to from the form's list: listed members (the directory's
    rule) of the networks they share with them, by name."""
    leader = leader_of(user)
    if leader is None:
        return Leader.objects.none()
    mine = Membership.objects.filter(leader=leader, status=MembershipStatus.ACTIVE).values("network_id")
    shared = Membership.objects.filter(network_id__in=mine, status=MembershipStatus.ACTIVE).values("leader_id")
    return list_directory(user).filter(pk__in=shared).exclude(pk=leader.pk)[:limit]


def access_one_to_one(user: Any, one_to_one_id: int) -> OneToOne:
    one = OneToOne.objects.select_related("requester__user", "other__user").filter(pk=one_to_one_id).first()
    if one is None or not can_see_one_to_one(user, one):
        raise NotFound("")
    return one


def list_one_to_ones(user: Any) -> QuerySet[OneToOne]:
    leader = leader_of(user)
    if leader is None:
        return OneToOne.objects.none()
    return (OneToOne.objects.filter(Q(requester=leader) | Q(other=leader))
            .select_related("requester__user", "other__user"))


def visible_one_to_one_ids(user: Any, ids: set[int]) -> set[int]:
    """Which of these one-to-ones ``user`` may see (:func:`access_one_to_one`'s rule, for many at once)."""
    return set(list_one_to_ones(user).filter(pk__in=ids).values_list("pk", flat=True))


def published_evidence(network_id: int) -> PublishedFigure | None:
    """The latest yearly figure the network's staff published and allowed the advisor to quote."""
    return (PublishedFigure.objects.filter(network_id=network_id, advisor_consent=True, referrals_won__gt=0)
            .order_by("-year").first())


def list_published_figures(network: Any) -> QuerySet[PublishedFigure]:
    """The yearly figures the network's staff published (public on the network's page), latest first."""
    return PublishedFigure.objects.filter(network=network).order_by("-year")[:3]


def advisor_evidence() -> dict[int, tuple[float, int]]:
    """For each network that allowed it, the latest published yearly figure: ``{network id: (amount, year)}``."""
    out: dict[int, tuple[float, int]] = {}
    for network_id, amount, year in (PublishedFigure.objects.filter(advisor_consent=True, referrals_won__gt=0)
                                     .order_by("network_id", "-year").values_list("network_id", "amount", "year")):
        out.setdefault(network_id, (float(amount), year))
    return out


def personal_referrals(user: Any) -> tuple[list[dict], list[dict]]:
    """The person's referrals (given and received, amounts as they may see them) and one-to-ones,
    for the personal data download."""
    rows = []
    for referral in [*list_given(user), *list_received(user)]:
        rows.append({"side": "given" if referral.giver_id == getattr(leader_of(user), "pk", None) else "received",
                     "created": referral.created.isoformat(), "status": referral.status,
                     "prospect": referral.prospect_name, "prospect_company": referral.prospect_company,
                     "need": referral.need, "amount": str(shown_amount(user, referral) or "") or None})
    meetings = [{"starts_at": o.starts_at.isoformat(), "place": o.place, "visio": o.visio, "status": o.status}
                for o in list_one_to_ones(user)]
    return rows, meetings
