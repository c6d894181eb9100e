"""Members at risk: two unexcused absences in a row at their group's meetings, or a red light."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, QuerySet
from django.db.models import Window as Over
from django.db.models.functions import RowNumber

from meute.engagement.components import excused_by_reply
from meute.engagement.lights import window
from meute.peergroups.models import Attendance, AttendanceStatus, GroupMember, GroupMemberStatus, Meeting


@dataclass(frozen=True)
class Missed:
    leader_id: int
    group_id: int
    last_meeting_id: int


def last_two_held(network_id: int, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """Per running group of the network, its last two meetings held in the window (attendance
    recorded: the meeting's counter, kept on every attendance write), as a query of their ids
    (a subquery, so no list of ids travels to the database and back)."""
    span = window(now)
    rank = Over(RowNumber(), partition_by=[F("group_id")], order_by=[F("starts_at").desc(), F("pk").desc()])
    return (Meeting.objects.filter(group__network_id=network_id, group__ended=False, starts_at__gte=span.start,
                                   starts_at__lte=span.end, attendance_recorded__gt=0)
            .annotate(rank=rank).filter(rank__lte=2).values("pk"))


def _missed_rows(network_id: int, now: datetime.datetime | None) -> QuerySet[Attendance]:
    """(leader, group) pairs absent without excuse at both of the group's last two meetings held,
    while an active member of the group (a group with one meeting held has no pair)."""
    active = GroupMember.objects.filter(group_id=OuterRef("meeting__group_id"), leader_id=OuterRef("leader_id"),
                                        status=GroupMemberStatus.ACTIVE)
    return (Attendance.objects.filter(meeting_id__in=last_two_held(network_id, now), status=AttendanceStatus.ABSENT)
            .filter(Exists(active)).exclude(excused_by_reply())
            .values("leader_id", "meeting__group_id").annotate(n=Count("pk")).filter(n=2))


def missed_twice_leaders(network_id: int, now: datetime.datetime | None = None) -> QuerySet[Attendance]:
    """The ids of the members who missed their group's last two meetings, as a subquery."""
    return _missed_rows(network_id, now).values("leader_id")


def missed_twice(network_id: int, now: datetime.datetime | None = None) -> list[Missed]:
    """Active group members marked absent, without an excuse, at both of their group's last two meetings."""
    rows = _missed_rows(network_id, now).annotate(last=Max("meeting__starts_at")).order_by("leader_id")
    pairs = [(r["leader_id"], r["meeting__group_id"], r["last"]) for r in rows]
    if not pairs:
        return []
    last = {(g, s): pk for pk, g, s in Meeting.objects.filter(
        pk__in=last_two_held(network_id, now)).values_list("pk", "group_id", "starts_at").order_by("pk")}
    return [Missed(leader_id, group_id, last[group_id, starts]) for leader_id, group_id, starts in pairs]
