"""A network's figures for its staff, each aggregated in SQL (a handful of queries whatever the
network's size). Every function here trusts its ``network``: read them through
:func:`meute.cockpit.queries.access_cockpit`, which checks who asks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from meute.engagement.lights import window
from meute.events.models import Event, Registration, RegistrationStatus
from meute.members.models import FeeStatus, MembershipStatus, Network
from meute.peergroups.models import GroupMember, GroupMemberStatus, Meeting
from meute.territory.models import Department

MONTHS = 12
EVENTS_SHOWN = 12
GROUPS_SHOWN = 20


@dataclass(frozen=True)
class Figure:
    """A chart's numbers: one row per label, one value per series (the table and the CSV say the same)."""

    key: str
    title: str
    label: str  # header of the label column
    series: tuple[str, ...]
    rows: list[tuple[str, tuple[float, ...]]] = field(default_factory=list)
    unit: str = ""
    kind: str = "bars"  # "bars" (horizontal) or "columns" (a time series)
    note: str = ""
    limit: int | None = None  # the chart and its table show the first rows; the CSV has them all

    @property
    def shown(self) -> list[tuple[str, tuple[float, ...]]]:
        return self.rows if self.limit is None else self.rows[:self.limit]

    def csv_rows(self) -> list[dict[str, str]]:
        return [{self.label: label, **{s: _number(v) for s, v in zip(self.series, values, strict=True)}}
                for label, values in self.rows]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


@dataclass(frozen=True)
class MembershipCounts:
    """The network's memberships counted once per render: by (status, fee status), and by month of
    joining over the last 12 months. The figures on memberships and the lights' grey count add these up."""

    rows: dict[tuple[str, str], int]
    by_month: dict[tuple[int, int], int]
    months: list[datetime.date]

    def total(self, status: str | None = None, fee_status: str | None = None) -> int:
        return sum(n for (s, f), n in self.rows.items()
                   if (status is None or s == status) and (fee_status is None or f == fee_status))

    def joined(self, month: datetime.date) -> int:
        return self.by_month.get((month.year, month.month), 0)


def membership_counts(network: Network) -> MembershipCounts:
    """Two aggregates, each read from an index alone (``Membership.Meta.indexes``), kept on the
    ``network`` object for the request. The months are grouped in Python from the days of joining
    (a few hundred rows): no date arithmetic on each of the network's rows."""
    cached = getattr(network, "_membership_counts", None)
    if cached is None:
        months = _month_starts(timezone.localdate(), MONTHS)
        rows = network.memberships.values_list("status", "fee_status").annotate(n=Count("*")).order_by()
        days = (network.memberships.filter(joined_on__gte=months[0]).values_list("joined_on")
                .annotate(n=Count("*")).order_by())
        by_month: dict[tuple[int, int], int] = {}
        for day, n in days:
            by_month[day.year, day.month] = by_month.get((day.year, day.month), 0) + n
        cached = MembershipCounts({(s, f): n for s, f, n in rows}, by_month, months)
        network._membership_counts = cached
    return cached


def members_by_status(network: Network) -> Figure:
    counted = membership_counts(network)
    counts = {value: counted.total(status=value) for value in MembershipStatus.values}
    rows = [(str(label), (counts.get(value, 0),)) for value, label in MembershipStatus.choices]
    return Figure("members-status", _("Members by status"), _("Status"), (_("members"),), rows)


def _month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    starts = []
    year, month = today.year, today.month
    for _i in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def members_by_month(network: Network) -> Figure:
    counted = membership_counts(network)
    rows = [(date_format(m, "M Y"), (counted.joined(m),)) for m in counted.months]
    return Figure("members-month", _("Members by month of joining"), _("Month"), (_("joined"),), rows,
                  kind="columns", note=_("Over the last 12 months."))


def attendance_per_group(network: Network) -> Figure:
    """From the meetings' attendance counters (kept on every attendance write), not the rows."""
    span = window()
    rows = (Meeting.objects.filter(group__network=network, group__ended=False, starts_at__gte=span.start,
                                   starts_at__lte=span.end, attendance_recorded__gt=0)
            .values_list("group_id", "group__name")  # two groups may share a name
            .annotate(n=Sum("attendance_recorded"), present=Sum("attendance_present"))
            .order_by("group__name", "group_id"))
    rates = sorted(((name, (round(100 * present / n),)) for _id, name, n, present in rows), key=lambda r: r[1][0])
    note = _("Meetings with attendance recorded over the last six months.")
    if len(rates) > GROUPS_SHOWN:
        note += " " + _("The %(shown)s lowest of %(total)s groups; the CSV has them all.") % {
            "shown": GROUPS_SHOWN, "total": len(rates)}
    return Figure("attendance-groups", _("Attendance rate per group"), _("Group"), (_("attendance (%)"),),
                  rates, unit="%", note=note, limit=GROUPS_SHOWN)


def attendance_per_event(network: Network) -> Figure:
    checked = Registration.objects.filter(event_id=OuterRef("pk"), checked_in_at__isnull=False)
    confirmed = Q(registrations__status=RegistrationStatus.CONFIRMED)
    events = (Event.objects.filter(network=network, cancelled=False, ends_at__lte=timezone.now())
              .filter(Exists(checked))
              .annotate(n=Count("registrations", filter=confirmed),
                        came=Count("registrations", filter=confirmed & Q(registrations__checked_in_at__isnull=False)))
              .order_by("-starts_at")[:EVENTS_SHOWN])
    rows = [(f"{e.title} ({date_format(timezone.localtime(e.starts_at), 'j M')})",
             (round(100 * e.came / e.n) if e.n else 0,)) for e in events]
    return Figure("attendance-events", _("Attendance rate per event"), _("Event"), (_("attendance (%)"),),
                  rows, unit="%", note=_("The last events whose check-in was used."))


def fees(network: Network) -> Figure:
    counted = membership_counts(network)
    counts = {value: counted.total(status=MembershipStatus.ACTIVE, fee_status=value) for value in FeeStatus.values}
    rows = [(str(label), (counts.get(value, 0),)) for value, label in FeeStatus.choices]
    if network.runs_peer_groups:
        groups = dict(GroupMember.objects.filter(group__network=network, group__ended=False,
                                                 status=GroupMemberStatus.ACTIVE)
                      .values_list("fee_status").annotate(n=Count("pk")).order_by())
        rows += [(_("peer groups: %(s)s") % {"s": label}, (groups.get(value, 0),))
                 for value, label in FeeStatus.choices]
    due = number_format(counts.get(FeeStatus.DUE, 0) * Decimal(network.fee_amount), 2, force_grouping=True)
    return Figure("fees", _("Fees paid and due"), _("Fee"), (_("members"),), rows,
                  note=_("Active members; %(amount)s € still due at the network's fee.") % {"amount": due})


def event_fill(network: Network) -> Figure:
    events = (Event.objects.filter(network=network, cancelled=False, starts_at__gte=timezone.now())
              .annotate(confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
                        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)))
              .order_by("starts_at")[:EVENTS_SHOWN])
    rows = [(f"{e.title} ({date_format(timezone.localtime(e.starts_at), 'j M')})",
             (e.confirmed, e.capacity or 0, e.waiting)) for e in events]
    return Figure("event-fill", _("Upcoming events: seats taken and waiting lists"), _("Event"),
                  (_("confirmed"), _("capacity"), _("waiting list")), rows,
                  note=_("A capacity of 0 means the event has no limit."))


def candidates_by_department(network: Network) -> list[tuple[str | None, int]]:
    """Candidates waiting per département of their company, most first; kept on ``network`` for the request."""
    cached = getattr(network, "_candidates_by_department", None)
    if cached is None:
        zone = "leader__department_id"  # the company's, copied on the leader
        cached = list(network.memberships.filter(status=MembershipStatus.CANDIDATE).values_list(zone)
                      .annotate(n=Count("pk")).order_by("-n", zone))
        network._candidates_by_department = cached
    return cached


def candidates_per_zone(network: Network) -> Figure:
    rows = candidates_by_department(network)
    names = dict(Department.objects.filter(code__in=[code for code, _n in rows]).values_list("code", "name"))
    return Figure("candidates-zone", _("Candidates waiting per département"), _("Département"),
                  (_("candidates"),), [(f"{code} {names.get(code, '')}".strip(), (n,)) for code, n in rows])


def all_figures(network: Network) -> list[Figure]:
    figures = [members_by_status(network), members_by_month(network), fees(network),
               attendance_per_event(network), event_fill(network)]
    if network.runs_peer_groups:
        figures[3:3] = [attendance_per_group(network)]
        figures.append(candidates_per_zone(network))
    return figures


FIGURES = {"members-status": members_by_status, "members-month": members_by_month,
           "attendance-groups": attendance_per_group, "attendance-events": attendance_per_event,
           "fees": fees, "event-fill": event_fill, "candidates-zone": candidates_per_zone}
