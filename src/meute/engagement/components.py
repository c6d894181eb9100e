"""The components of the engagement light, and the registry other apps add to.

A component answers, for one network and a window of time, "what was expected of each member
and what did they do": a function ``(network_id, window, leader_ids) -> {leader_id: Tally}``
that aggregates in SQL (one query for the whole network, never one per member), for the
network's active members only. ``leader_ids`` (``None`` for all of them) narrows the answer.
Register one with :func:`register`::

    @register("referrals", _("referrals given"))
    def referrals(network_id, window, leader_ids): ...

The light adds up every registered component (:mod:`meute.engagement.lights`).

The staff cockpit reads the lights stored per member (:mod:`meute.engagement.stored`), so a
component also says when its tallies change with time alone (an item enters or leaves the
window): :func:`next_change_of` registers ``(network_id, window, leader_ids) -> {leader_id:
datetime}``, the first moment after ``window.end`` at which the member's tally changes without
any write. Writes that change a component's tallies mark the member's stored light to
recompute (:func:`meute.engagement.stored.touch`, for the two components here through model
signals, see :mod:`meute.engagement.apps`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from meute.events.models import Registration, RegistrationStatus
from meute.members.models import Membership, MembershipStatus
from meute.peergroups.models import Attendance, AttendanceStatus, MeetingReply, ReplyAnswer


@dataclass(frozen=True)
class Window:
    start: datetime.datetime
    end: datetime.datetime


class Tally(NamedTuple):
    """``expected``: what was offered and not excused; ``attended`` of it; ``excused`` apart.
    A named tuple: a network's lights build tens of thousands of them."""

    expected: int = 0
    attended: int = 0
    excused: int = 0


ComponentFn = Callable[[int, Window, Iterable[int] | None], dict[int, Tally]]
ChangeFn = Callable[[int, Window, Iterable[int] | None], dict[int, datetime.datetime]]


@dataclass(frozen=True)
class Component:
    name: str
    label: str
    compute: ComponentFn
    next_change: ChangeFn | None = None  # None: the tallies change only on writes


REGISTRY: dict[str, Component] = {}
AFTER = datetime.timedelta(microseconds=1)  # an item at ``t`` is in the window until ``t + span`` included


def register(name: str, label: str) -> Callable[[ComponentFn], ComponentFn]:
    def decorate(fn: ComponentFn) -> ComponentFn:
        REGISTRY[name] = Component(name, label, fn)
        return fn
    return decorate


def next_change_of(name: str) -> Callable[[ChangeFn], ChangeFn]:
    """Register when a component's tallies next change with time alone (see the module's docstring)."""
    def decorate(fn: ChangeFn) -> ChangeFn:
        component = REGISTRY[name]
        REGISTRY[name] = Component(component.name, component.label, component.compute, fn)
        return fn
    return decorate


def _earliest(*parts: dict[int, datetime.datetime]) -> dict[int, datetime.datetime]:
    result: dict[int, datetime.datetime] = {}
    for part in parts:
        for leader_id, moment in part.items():
            if moment is not None and (leader_id not in result or moment < result[leader_id]):
                result[leader_id] = moment
    return result


def active_members(network_id: int) -> QuerySet:
    """The network's active members' leader ids, as a subquery (a semi-join on memberships alone)."""
    return Membership.objects.filter(network_id=network_id, status=MembershipStatus.ACTIVE).values("leader_id")


def excused_by_reply() -> Exists:
    """An "I can't" given before the meeting (answers close when it starts)."""
    return Exists(MeetingReply.objects.filter(meeting_id=OuterRef("meeting_id"), leader_id=OuterRef("leader_id"),
                                              answer=ReplyAnswer.NOT_COMING))


@register("meetings", _("group meetings"))
def group_meetings(network_id: int, window: Window, leader_ids: Iterable[int] | None) -> dict[int, Tally]:
    """Meetings of the member's groups held in the window (attendance recorded): present counts,
    excused (recorded so, or announced by an "I can't") is set apart. Two plain aggregates (the
    answers are few), so the planner never has to cost a correlated subquery per attendance row."""
    held = {"meeting__group__network_id": network_id, "meeting__starts_at__gte": window.start,
            "meeting__starts_at__lte": window.end, "leader_id__in": active_members(network_id)}
    rows = Attendance.objects.filter(**held)
    answered = MeetingReply.objects.filter(answer=ReplyAnswer.NOT_COMING, **held)
    if leader_ids is not None:
        ids = list(leader_ids)
        rows, answered = rows.filter(leader_id__in=ids), answered.filter(leader_id__in=ids)
    absent = Attendance.objects.filter(meeting_id=OuterRef("meeting_id"), leader_id=OuterRef("leader_id"),
                                       status=AttendanceStatus.ABSENT)
    announced = dict(answered.filter(Exists(absent)).values_list("leader_id").annotate(n=Count("pk")).order_by())
    rows = (rows.values("leader_id")
            .annotate(total=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
                      excused=Count("pk", filter=Q(status=AttendanceStatus.EXCUSED))).order_by())
    result = {}
    for r in rows:
        excused = r["excused"] + announced.get(r["leader_id"], 0)
        result[r["leader_id"]] = Tally(r["total"] - excused, r["present"], excused)
    return result


@register("events", _("events registered for"))
def events(network_id: int, window: Window, leader_ids: Iterable[int] | None) -> dict[int, Tally]:
    """Active members' confirmed registrations to the network's events that ended in the window and whose
    check-in was used (someone was checked in): checked in counts."""
    checked = Registration.objects.filter(event_id=OuterRef("event_id"), checked_in_at__isnull=False)
    rows = Registration.objects.filter(event__network_id=network_id, status=RegistrationStatus.CONFIRMED,
                                       event__cancelled=False, event__ends_at__gte=window.start,
                                       event__ends_at__lte=window.end,
                                       user__leader__id__in=active_members(network_id))
    if leader_ids is not None:
        rows = rows.filter(user__leader__id__in=list(leader_ids))
    rows = (rows.filter(Exists(checked)).values("user__leader__id")
            .annotate(total=Count("pk"), present=Count("pk", filter=Q(checked_in_at__isnull=False))).order_by())
    return {r["user__leader__id"]: Tally(r["total"], r["present"], 0) for r in rows}


@next_change_of("meetings")
def group_meetings_change(network_id: int, window: Window, leader_ids: Iterable[int] | None
                          ) -> dict[int, datetime.datetime]:
    """The oldest held meeting in the window leaves it; a meeting with attendance recorded ahead of its
    start (the services refuse it, imports may not) enters it when it starts."""
    rows = Attendance.objects.filter(meeting__group__network_id=network_id, meeting__starts_at__gte=window.start,
                                     leader_id__in=active_members(network_id))
    if leader_ids is not None:
        rows = rows.filter(leader_id__in=list(leader_ids))
    span = window.end - window.start
    oldest = rows.filter(meeting__starts_at__lte=window.end).values_list("leader_id").annotate(
        at=Min("meeting__starts_at")).order_by()
    coming = rows.filter(meeting__starts_at__gt=window.end).values_list("leader_id").annotate(
        at=Min("meeting__starts_at")).order_by()
    return _earliest({k: at + span + AFTER for k, at in oldest}, dict(coming))


@next_change_of("events")
def events_change(network_id: int, window: Window, leader_ids: Iterable[int] | None) -> dict[int, datetime.datetime]:
    """The oldest counted event leaves the window; a coming event whose check-in is already used enters it
    when it ends."""
    checked = Registration.objects.filter(event_id=OuterRef("event_id"), checked_in_at__isnull=False)
    rows = Registration.objects.filter(event__network_id=network_id, status=RegistrationStatus.CONFIRMED,
                                       event__cancelled=False, event__ends_at__gte=window.start,
                                       user__leader__id__in=active_members(network_id)).filter(Exists(checked))
    if leader_ids is not None:
        rows = rows.filter(user__leader__id__in=list(leader_ids))
    span = window.end - window.start
    oldest = rows.filter(event__ends_at__lte=window.end).values_list("user__leader__id").annotate(
        at=Min("event__ends_at")).order_by()
    coming = rows.filter(event__ends_at__gt=window.end).values_list("user__leader__id").annotate(
        at=Min("event__ends_at")).order_by()
    return _earliest({k: at + span + AFTER for k, at in oldest}, dict(coming))
