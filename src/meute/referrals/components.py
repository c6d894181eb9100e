"""The referrals' components of the engagement light (:mod:`meute.engagement.components`).

Giving a referral, a referral one gave being won, and a one-to-one held are things a member
did: each counts as expected and done (it raises the rate; not giving is no absence). A
one-to-one scheduled in the window that was not confirmed by both counts as expected, not done.
One aggregate query per component for the whole network, active members only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from meute.engagement.components import Tally, Window, active_members, register
from meute.referrals.models import OneToOne, OneToOneStatus, Referral, Status


def _givers(rows, leader_ids: Iterable[int] | None) -> dict[int, Tally]:
    if leader_ids is not None:
        rows = rows.filter(giver_id__in=list(leader_ids))
    counts = rows.values("giver_id").annotate(n=Count("pk")).order_by()
    return {r["giver_id"]: Tally(r["n"], r["n"], 0) for r in counts}


@register("referrals_given", _("referrals given"))
def referrals_given(network_id: int, window: Window, leader_ids: Iterable[int] | None) -> dict[int, Tally]:
    rows = Referral.objects.filter(giver_id__in=active_members(network_id), created__gte=window.start,
                                   created__lte=window.end)
    return _givers(rows, leader_ids)


@register("referrals_won", _("referrals won"))
def referrals_won(network_id: int, window: Window, leader_ids: Iterable[int] | None) -> dict[int, Tally]:
    rows = Referral.objects.filter(giver_id__in=active_members(network_id), status=Status.WON,
                                   closed_at__gte=window.start, closed_at__lte=window.end)
    return _givers(rows, leader_ids)


@register("one_to_ones", _("one-to-ones"))
def one_to_ones(network_id: int, window: Window, leader_ids: Iterable[int] | None) -> dict[int, Tally]:
    members = active_members(network_id)
    rows = OneToOne.objects.filter(starts_at__gte=window.start, starts_at__lte=window.end).exclude(
        status=OneToOneStatus.CANCELLED).filter(Q(requester_id__in=members) | Q(other_id__in=members))
    ids = set(leader_ids) if leader_ids is not None else None
    expected: Counter[int] = Counter()
    held: Counter[int] = Counter()
    for requester, other, status in rows.values_list("requester_id", "other_id", "status").iterator(chunk_size=2000):
        for leader in (requester, other):
            if ids is None or leader in ids:
                expected[leader] += 1
                held[leader] += status == OneToOneStatus.HELD
    members_set = set(members.values_list("leader_id", flat=True)) if expected else set()
    return {k: Tally(v, held[k], 0) for k, v in expected.items() if k in members_set}
