"""The referrals' components of the engagement light (:mod:`meute.engagement.components`).

Giving a referral, a referral one gave being won, and a one-to-one held are things a member
did: each counts as expected and done (it raises the rate; not giving is no absence). A
one-to-one scheduled in the window that was not confirmed by both counts as expected, not done.
One aggregate query per component for the whole network, active members only.

The staff cockpit reads stored lights (:mod:`meute.engagement.stored`): every write of a referral
or a one-to-one marks its members' lights to recompute (:func:`referral_changed`,
:func:`one_to_one_changed`, wired in :mod:`meute.referrals.apps`), and each component says when
time alone changes its tallies (the oldest item leaves the window; a one-to-one enters it when it
starts).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Min, Q
from django.utils.translation import gettext_lazy as _

from meute.engagement.components import AFTER, Tally, Window, active_members, next_change_of, register
from meute.engagement.receivers import touch_everywhere
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


def _oldest(rows, leader_field: str, moment_field: str, span: datetime.timedelta) -> dict[int, datetime.datetime]:
    oldest = rows.values_list(leader_field).annotate(at=Min(moment_field)).order_by()
    return {leader: at + span + AFTER for leader, at in oldest if at is not None}


def _given_in(network_id: int, window: Window, leader_ids: Iterable[int] | None):
    rows = Referral.objects.filter(giver_id__in=active_members(network_id))
    return rows.filter(giver_id__in=list(leader_ids)) if leader_ids is not None else rows


@next_change_of("referrals_given")
def referrals_given_change(network_id: int, window: Window, leader_ids: Iterable[int] | None
                           ) -> dict[int, datetime.datetime]:
    """The oldest referral given in the window leaves it."""
    rows = _given_in(network_id, window, leader_ids).filter(created__gte=window.start, created__lte=window.end)
    return _oldest(rows, "giver_id", "created", window.end - window.start)


@next_change_of("referrals_won")
def referrals_won_change(network_id: int, window: Window, leader_ids: Iterable[int] | None
                         ) -> dict[int, datetime.datetime]:
    """The oldest referral won in the window leaves it."""
    rows = _given_in(network_id, window, leader_ids).filter(status=Status.WON, closed_at__gte=window.start,
                                                            closed_at__lte=window.end)
    return _oldest(rows, "giver_id", "closed_at", window.end - window.start)


@next_change_of("one_to_ones")
def one_to_ones_change(network_id: int, window: Window, leader_ids: Iterable[int] | None
                       ) -> dict[int, datetime.datetime]:
    """The oldest one-to-one of the window leaves it; the next one scheduled enters it when it starts."""
    members = active_members(network_id)
    ids = set(leader_ids) if leader_ids is not None else None
    span = window.end - window.start
    rows = OneToOne.objects.filter(starts_at__gte=window.start).exclude(status=OneToOneStatus.CANCELLED).filter(
        Q(requester_id__in=members) | Q(other_id__in=members))
    result: dict[int, datetime.datetime] = {}
    for requester, other, starts_at in rows.values_list("requester_id", "other_id", "starts_at").iterator(
            chunk_size=2000):
        moment = starts_at + span + AFTER if starts_at <= window.end else starts_at
        for leader in (requester, other):
            if (ids is None or leader in ids) and (leader not in result or moment < result[leader]):
                result[leader] = moment
    return result


def referral_changed(sender: Any, instance: Referral, **kwargs: Any) -> None:
    """A referral given, moved or deleted: its giver's lights (given and won count for the giver)."""
    touch_everywhere([instance.giver_id], create="created" in kwargs)


def one_to_one_changed(sender: Any, instance: OneToOne, **kwargs: Any) -> None:
    touch_everywhere([instance.requester_id, instance.other_id], create="created" in kwargs)
