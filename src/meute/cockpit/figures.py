"""A network's figures for its staff, each aggregated in SQL (a handful of queries whatever the
network's size). Every function here trusts its ``network``: read them through
:func:`meute.cockpit.queries.access_cockpit`, which checks who asks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
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


def members_by_status(network: Network) -> Figure:
    counts = dict(network.memberships.values_list("status").annotate(n=Count("pk")).order_by())
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
    months = _month_starts(timezone.localdate(), MONTHS)
    joined = (network.memberships.filter(joined_on__gte=months[0]).annotate(month=TruncMonth("joined_on"))
              .values_list("month").annotate(n=Count("pk")).order_by())
    counts = {(m.year, m.month): n for m, n in joined}
    rows = [(date_format(m, "M Y"), (counts.get((m.year, m.month), 0),)) for m in months]
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
    counts = dict(network.memberships.filter(status=MembershipStatus.ACTIVE).values_list("fee_status")
                  .annotate(n=Count("pk")).order_by())
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


def candidates_per_zone(network: Network) -> Figure:
    zone = "leader__company__department_id"
    rows = list(network.memberships.filter(status=MembershipStatus.CANDIDATE).values_list(zone)
                .annotate(n=Count("pk")).order_by("-n", zone))
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
