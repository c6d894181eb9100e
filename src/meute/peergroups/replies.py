"""Members answer a meeting before it starts: "I'll come" or "I can't".

An answer can change until the meeting starts; after that it is refused (attendance takes
over). Two answers at once (a double click, two tabs) are serialised on the meeting's row, so
the stored answer is the last one and every change leaves one audit entry with its old value.
An "I can't" counts as an excused absence in the engagement light (:mod:`meute.engagement`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.core.permissions import not_found
from meute.peergroups import permissions
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.models import GroupMemberStatus, Meeting, MeetingReply, ReplyAnswer


def _member_leader_id(user: Any, meeting: Meeting) -> int:
    leader_id = meeting.group.members.filter(leader__user=user, status=GroupMemberStatus.ACTIVE).values_list(
        "leader_id", flat=True).first()
    if leader_id is None:
        raise PeerGroupError(_("Only the group's members answer for its meetings."))
    return leader_id


def check_reply(meeting: Meeting, *, acting_user: Any, answer: str) -> MeetingReply:
    """Record the member's answer for ``meeting``; refused once the meeting has started."""
    if answer not in ReplyAnswer.values:
        raise PeerGroupError(_("Answer « I'll come » or « I can't »."), field="answer")
    leader_id = _member_leader_id(acting_user, meeting)
    return do_reply(meeting.pk, leader_id, answer=answer, acting_user=acting_user)


@transaction.atomic
def do_reply(meeting_id: int, leader_id: int, *, answer: str, acting_user: Any) -> MeetingReply:
    meeting = Meeting.objects.select_for_update().select_related("group__network").get(pk=meeting_id)
    now = timezone.now()
    if meeting.starts_at <= now:
        raise PeerGroupError(_("The meeting of %(d)s has started: answers are closed.")
                             % {"d": date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")})
    reply = MeetingReply.objects.filter(meeting=meeting, leader_id=leader_id).first()
    old = reply.answer if reply else None
    if reply is None:
        reply = MeetingReply.objects.create(meeting=meeting, leader_id=leader_id, answer=answer, answered_at=now)
    elif old != answer:
        reply.answer, reply.answered_at = answer, now
        reply.save(update_fields=["answer", "answered_at"])
    if old != answer:
        log_action("peergroups.meeting.replied", actor=acting_user, obj=meeting,
                   changes={"answer": [old, answer]}, data={"leader": leader_id})
    return reply


def my_reply(user: Any, meeting: Meeting) -> str | None:
    """The person's own answer for ``meeting``, if any."""
    if not user.is_authenticated:
        return None
    return MeetingReply.objects.filter(meeting=meeting, leader__user=user).values_list("answer", flat=True).first()


def my_replies(user: Any, meetings: list[Meeting]) -> dict[int, str]:
    """The person's own answers for ``meetings``, by meeting id (one query; no key: no answer yet)."""
    if not user.is_authenticated or not meetings:
        return {}
    return dict(MeetingReply.objects.filter(meeting_id__in=[m.pk for m in meetings], leader__user=user)
                .values_list("meeting_id", "answer"))


def list_replies(user: Any, meeting: Meeting) -> QuerySet[MeetingReply]:
    """Everyone's answers for a meeting: its facilitator and the programme's staff only."""
    if not permissions.can_lead_meetings(user, meeting.group):
        raise not_found()
    return meeting.replies.select_related("leader__user").order_by("leader__sort_name")
