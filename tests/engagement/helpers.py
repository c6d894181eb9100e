"""Builders of attendance histories for the engagement tests."""

import datetime

from django.utils import timezone

from meute.peergroups.models import Attendance, Meeting, MeetingReply


def held(group, days_ago: int, statuses: dict) -> Meeting:
    """A meeting ``days_ago`` days ago with attendance recorded as ``statuses`` (leader -> status)."""
    start = timezone.now() - datetime.timedelta(days=days_ago)
    meeting = Meeting.objects.create(group=group, starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    for leader, status in statuses.items():
        Attendance.objects.create(meeting=meeting, leader=leader, status=status)
    return meeting


def said_no(meeting: Meeting, leader) -> None:
    MeetingReply.objects.create(meeting=meeting, leader=leader, answer="not_coming",
                                answered_at=meeting.starts_at - datetime.timedelta(days=1))


def fresh_group(members: int = 3):
    """A peer group whose generated meeting series is removed, so each test writes its own history."""
    from tests.factories import peer_group

    group = peer_group(members)
    group.meetings.all().delete()
    leaders = [m.leader for m in group.members.select_related("leader__user").order_by("id")]
    return group, leaders
