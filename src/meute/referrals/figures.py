"""What the network brings: referrals given, received and won, business closed and one-to-ones held,
over a period, aggregated in SQL. Sums only: no function here returns one referral's amount.

Dates: a referral counts as given on the day it was given, as won (with its amount) on the day
it was closed; a one-to-one on its date, once both members said it was held. A referral counts
for every network of its giver and receiver when it was given (``ReferralNetwork``), so a
referral between two networks counts for both, and a member who left keeps their history.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from meute.members.models import Membership
from meute.referrals.models import OneToOne, OneToOneStatus, Referral, Status


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        return (datetime.datetime.combine(self.start, datetime.time.min, tz),
                datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tz))

    @classmethod
    def last_year(cls) -> Period:
        today = timezone.localdate()
        return cls(today.replace(day=1) - datetime.timedelta(days=334), today)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


@dataclass(frozen=True)
class Totals:
    given: int = 0
    received: int = 0
    won: int = 0
    amount: Decimal = Decimal("0.00")
    one_to_ones: int = 0


def _in(period: Period, field: str) -> Q:
    start, end = period.bounds
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def member_totals(leader_id: int, period: Period) -> Totals:
    """A member's own figures: given, received, won (received and won), the business they closed."""
    given = Referral.objects.filter(_in(period, "created"), giver_id=leader_id).count()
    received = Referral.objects.filter(_in(period, "created"), receiver_id=leader_id).count()
    won = Referral.objects.filter(_in(period, "closed_at"), status=Status.WON).aggregate(
        won=Count("pk", filter=Q(receiver_id=leader_id)),
        given_won=Count("pk", filter=Q(giver_id=leader_id)),
        amount=Sum("amount", filter=Q(receiver_id=leader_id)))
    return Totals(given, received, won["won"], won["amount"] or Decimal("0.00"),
                  _one_to_ones(period).filter(Q(requester_id=leader_id) | Q(other_id=leader_id)).count())


def given_won(leader_id: int, period: Period) -> int:
    """How many referrals the member gave were won in the period."""
    return Referral.objects.filter(_in(period, "closed_at"), status=Status.WON, giver_id=leader_id).count()


def _one_to_ones(period: Period) -> QuerySet[OneToOne]:
    return OneToOne.objects.filter(_in(period, "starts_at"), status=OneToOneStatus.HELD)


def _network_referrals(network_id: int, leader_ids: Iterable[int] | None = None) -> QuerySet[Referral]:
    rows = Referral.objects.filter(counted_in__network_id=network_id)
    if leader_ids is not None:
        ids = list(leader_ids)
        rows = rows.filter(Q(giver_id__in=ids) | Q(receiver_id__in=ids))
    return rows


def network_totals(network_id: int, period: Period, leader_ids: Iterable[int] | None = None) -> Totals:
    """A network's figures (or those of some of its members, a group's): sums only."""
    ids = list(leader_ids) if leader_ids is not None else None
    rows = _network_referrals(network_id, ids)
    given = rows.filter(_in(period, "created")).count()
    won = rows.filter(_in(period, "closed_at"), status=Status.WON).aggregate(n=Count("pk"), s=Sum("amount"))
    people = ids if ids is not None else Membership.objects.filter(network_id=network_id).values("leader_id")
    held = _one_to_ones(period).filter(Q(requester_id__in=people) | Q(other_id__in=people)).count()
    return Totals(given, given, won["n"], won["s"] or Decimal("0.00"), held)


def network_year(network_id: int, year: int) -> Totals:
    """The business generated between members in ``year``: referrals won, and their sum."""
    return network_totals(network_id, Period.year(year))


def months(period: Period) -> list[datetime.date]:
    first = period.start.replace(day=1)
    out = []
    while first <= period.end:
        out.append(first)
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return out


def monthly(rows: QuerySet[Referral], period: Period) -> list[tuple[datetime.date, int, int, Decimal]]:
    """Per month of the period: referrals given, referrals won and the business they closed."""
    given = {timezone.localtime(r["m"]).date() if isinstance(r["m"], datetime.datetime) else r["m"]: r["n"]
             for r in rows.filter(_in(period, "created")).annotate(m=TruncMonth("created"))
             .values("m").annotate(n=Count("pk")).order_by()}
    won = {timezone.localtime(r["m"]).date() if isinstance(r["m"], datetime.datetime) else r["m"]: (r["n"], r["s"])
           for r in rows.filter(_in(period, "closed_at"), status=Status.WON).annotate(m=TruncMonth("closed_at"))
           .values("m").annotate(n=Count("pk"), s=Sum("amount")).order_by()}
    return [(m, given.get(m, 0), won.get(m, (0, 0))[0], won.get(m, (0, None))[1] or Decimal("0.00"))
            for m in months(period)]


def network_monthly(network_id: int, period: Period, leader_ids: Iterable[int] | None = None) -> list:
    return monthly(_network_referrals(network_id, leader_ids).distinct(), period)


def member_monthly(leader_id: int, period: Period) -> list:
    """A member's months: referrals they gave, and the referrals they received that were won (their business)."""
    given = monthly(Referral.objects.filter(giver_id=leader_id), period)
    received = monthly(Referral.objects.filter(receiver_id=leader_id), period)
    return [(m, g, w, s) for (m, g, _w, _s), (_m, _g, w, s) in zip(given, received, strict=True)]


def top_members(network_id: int, period: Period, leader_ids: Iterable[int] | None = None,
                limit: int = 10) -> list[tuple[int, int, int]]:
    """The members who gave the most referrals in the period, with how many of them were won
    (counts only, never amounts): ``(leader_id, given, won)``."""
    rows = _network_referrals(network_id, leader_ids).filter(_in(period, "created"))
    if leader_ids is not None:
        rows = rows.filter(giver_id__in=list(leader_ids))
    return [(r["giver_id"], r["n"], r["w"]) for r in rows.values("giver_id").annotate(
        n=Count("pk"), w=Count("pk", filter=Q(status=Status.WON))).order_by("-n", "giver_id")[:limit]]
