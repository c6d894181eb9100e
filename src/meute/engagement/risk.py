"""Members at risk: two unexcused absences in a row at their group's meetings, or a red light."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef

from meute.engagement.components import excused_by_reply
from meute.engagement.lights import window
from meute.peergroups.models import Attendance, AttendanceStatus, GroupMember, GroupMemberStatus, Meeting


@dataclass(frozen=True)
class Missed:
    leader_id: int
    group_id: int
    last_meeting_id: int


def last_two_held(network_id: int, now: datetime.datetime | None = None) -> dict[int, list[int]]:
    """Per running group of the network, its last two meetings held (attendance recorded: the meeting's
    counter, kept on every attendance write) in the window."""
    span = window(now)
    held = (Meeting.objects.filter(group__network_id=network_id, group__ended=False, starts_at__gte=span.start,
                                   starts_at__lte=span.end, attendance_recorded__gt=0)
            .order_by("group_id", "-starts_at").values_list("group_id", "pk"))
    last: dict[int, list[int]] = {}
    for group_id, meeting_id in held:
        if len(last.setdefault(group_id, [])) < 2:
            last[group_id].append(meeting_id)
    return {g: ids for g, ids in last.items() if len(ids) == 2}


def missed_twice(network_id: int, now: datetime.datetime | None = None) -> list[Missed]:
    """Active group members marked absent, without an excuse, at both of their group's last two meetings."""
    last = last_two_held(network_id, now)
    meeting_ids = [m for ids in last.values() for m in ids]
    if not meeting_ids:
        return []
    active = GroupMember.objects.filter(group_id=OuterRef("meeting__group_id"), leader_id=OuterRef("leader_id"),
                                        status=GroupMemberStatus.ACTIVE)
    rows = (Attendance.objects.filter(meeting_id__in=meeting_ids, status=AttendanceStatus.ABSENT)
            .filter(Exists(active)).exclude(excused_by_reply())
            .values("leader_id", "meeting__group_id").annotate(n=Count("pk"))
            .filter(n=2).order_by("leader_id"))
    return [Missed(r["leader_id"], r["meeting__group_id"], last[r["meeting__group_id"]][0]) for r in rows]
