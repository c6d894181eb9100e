"""Monthly meetings of a peer group: the series, topics and votes, agenda, attendance, minutes."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meute.core.audit import diff, log_action, snapshot
from meute.core.bounds import check_bounds
from meute.core.submissions import create_once
from meute.members.models import Leader
from meute.notifications.services import Text, When
from meute.peergroups import permissions
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.models import (
    ActionItem,
    Attendance,
    AttendanceStatus,
    GroupMemberStatus,
    Meeting,
    PeerGroup,
    Topic,
    TopicVote,
)

TUESDAY = 1


def nth_weekday(year: int, month: int, weekday: int, nth: int = 1) -> datetime.date:
    """The ``nth`` ``weekday`` (0 = Monday) of a month."""
    first = datetime.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + datetime.timedelta(days=offset + 7 * (nth - 1))


def monthly_dates(start: datetime.date, end: datetime.date, *, weekday: int = TUESDAY, nth: int = 1
                  ) -> list[datetime.date]:
    dates, year, month = [], start.year, start.month
    while True:
        day = nth_weekday(year, month, weekday, nth)
        if day > end:
            return dates
        if day >= start:
            dates.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


@transaction.atomic
def do_create_monthly_meetings(group: PeerGroup, *, acting_user: Any, weekday: int = TUESDAY, nth: int = 1,
                               start: datetime.time = datetime.time(8, 30), end: datetime.time = datetime.time(11, 30)
                               ) -> list[Meeting]:
    """The cycle's series, e.g. the first Tuesday of each month, 8:30–11:30 (none in August)."""
    meetings = [
        Meeting(group=group, starts_at=_at(day, start), ends_at=_at(day, end), place=group.meeting_place,
                visio_url=group.visio_url)
        for day in monthly_dates(group.cycle_start, group.cycle_end, weekday=weekday, nth=nth) if day.month != 8
    ]
    Meeting.objects.bulk_create(meetings)
    log_action("peergroups.meetings.created", actor=acting_user, obj=group, data={"count": len(meetings)})
    return meetings


def _lead(meeting: Meeting, user: Any) -> None:
    if not permissions.can_lead_meetings(user, meeting.group):
        raise PeerGroupError(_("Only the group's facilitator or the programme's staff may do this."))


MEETING_AUDIT_FIELDS = ("starts_at", "ends_at", "place", "visio_url", "speaker")


def check_update_meeting(meeting: Meeting, *, acting_user: Any, starts_at: datetime.datetime,
                         ends_at: datetime.datetime, place: str, visio_url: str, speaker: str) -> Meeting:
    _lead(meeting, acting_user)
    check_bounds(Meeting, {"starts_at": starts_at, "ends_at": ends_at, "place": place, "visio_url": visio_url,
                           "speaker": speaker}, PeerGroupError)
    if ends_at <= starts_at:
        raise PeerGroupError(_("The meeting must end after it starts."), field="ends_at")
    if starts_at < timezone.now() and starts_at != meeting.starts_at:
        raise PeerGroupError(_("A meeting cannot be moved into the past."), field="starts_at")
    with transaction.atomic():
        before = snapshot(meeting, MEETING_AUDIT_FIELDS)
        meeting.starts_at, meeting.ends_at, meeting.place = starts_at, ends_at, place
        meeting.visio_url, meeting.speaker = visio_url, speaker
        meeting.save()
        log_action("peergroups.meeting.updated", actor=acting_user, obj=meeting,
                   changes=diff(before, snapshot(meeting, MEETING_AUDIT_FIELDS)))
    return meeting


def check_propose_topic(meeting: Meeting, *, acting_user: Any, title: str, details: str = "",
                        submission: str | None = None) -> Topic:
    """A member proposes a topic; the same form sent again raises ``Resubmitted`` with the first one."""
    if not permissions.can_propose_topics(acting_user, meeting.group):
        raise PeerGroupError(_("Only the group's members may propose topics."))
    if meeting.ends_at < timezone.now():
        raise PeerGroupError(_("This meeting is over: propose the topic for the next one."))
    if not title.strip():
        raise PeerGroupError(_("Give the topic a title."), field="title")
    check_bounds(Topic, {"details": details}, PeerGroupError)
    return do_propose_topic(meeting, acting_user=acting_user, title=title.strip()[:200], details=details,
                            submission=submission)


def do_propose_topic(meeting: Meeting, *, acting_user: Any, title: str, details: str = "",
                     submission: str | None = None) -> Topic:
    def create(key: str | None) -> Topic:
        topic = Topic.objects.create(meeting=meeting, proposed_by=acting_user, title=title, details=details,
                                     submission=key)
        log_action("peergroups.topic.proposed", actor=acting_user, obj=topic)
        _notify_group(meeting, acting_user, "topic_added",
                      Text(gettext_lazy("New topic on the agenda: %(t)s"), t=topic.title),
                      Text(gettext_lazy("%(p)s proposed “%(t)s” for the meeting of %(d)s."),
                           p=acting_user.get_full_name() or acting_user.email, t=topic.title, d=_day(meeting)))
        return topic

    # a first topic is looked for among this person's proposals for this meeting only
    return create_once(Topic.objects.filter(meeting=meeting, proposed_by=acting_user), submission, create)


def _day(meeting: Meeting) -> When:
    return When(meeting.starts_at, time=False)


def _notify_group(meeting: Meeting, acting_user: Any, kind: str, title: Any, body: Any) -> None:
    """Tell the group's active members and its facilitator (not the person who acted) about a meeting."""
    from meute.notifications.services import notify

    group = meeting.group
    people = list(group.members.filter(status=GroupMemberStatus.ACTIVE).values_list("leader__user_id", flat=True))
    if group.facilitator_id:
        people.append(group.facilitator_id)
    notify([pk for pk in people if pk != acting_user.pk], kind, obj=meeting,
           url=reverse("web:meeting", args=[meeting.pk]), title=title, body=body, actor=acting_user)


def check_vote(topic: Topic, *, acting_user: Any) -> TopicVote:
    if not permissions.can_propose_topics(acting_user, topic.meeting.group):
        raise PeerGroupError(_("Only the group's members may vote."))
    try:
        with transaction.atomic():
            vote = TopicVote.objects.create(topic=topic, user=acting_user)
            log_action("peergroups.topic.voted", actor=acting_user, obj=topic)
    except IntegrityError:
        raise PeerGroupError(_("You already voted for this topic.")) from None
    return vote


def check_order_agenda(meeting: Meeting, order: list[int], *, acting_user: Any, urgent: int | None = None
                       ) -> list[Topic]:
    """The facilitator orders the agenda; an urgent topic goes first."""
    _lead(meeting, acting_user)
    topics = {t.pk: t for t in meeting.topics.all()}
    if set(order) - set(topics) or (urgent is not None and urgent not in topics):
        raise PeerGroupError(_("These topics are not on this meeting's agenda."))
    before = {"order": sorted(topics, key=lambda pk: (topics[pk].position, pk)),
              "urgent": next((pk for pk, t in topics.items() if t.urgent), None)}
    with transaction.atomic():
        for position, topic_id in enumerate(order, start=1):
            topics[topic_id].position = position
        for topic in topics.values():
            topic.urgent = topic.pk == urgent if urgent is not None else topic.urgent
            topic.save(update_fields=["position", "urgent"])
        log_action("peergroups.agenda.ordered", actor=acting_user, obj=meeting, data={"order": order,
                                                                                     "urgent": urgent},
                   changes=diff(before, {"order": sorted(topics, key=lambda pk: (topics[pk].position, pk)),
                                         "urgent": next((pk for pk, t in topics.items() if t.urgent), None)}))
    return list(topics.values())


def check_record_attendance(meeting: Meeting, statuses: dict[int, str], *, acting_user: Any) -> None:
    _lead(meeting, acting_user)
    members = set(meeting.group.members.filter(status=GroupMemberStatus.ACTIVE).values_list("leader_id", flat=True))
    if set(statuses) - members:
        raise PeerGroupError(_("Attendance can only be recorded for the group's members."))
    if any(s not in AttendanceStatus.values for s in statuses.values()):
        raise PeerGroupError(_("Unknown attendance status."))
    if meeting.starts_at > timezone.now():
        raise PeerGroupError(_("The meeting of %(d)s has not started yet: attendance is recorded once it has.")
                             % {"d": date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")})
    before = dict(Attendance.objects.filter(meeting=meeting).values_list("leader_id", "status"))
    with transaction.atomic():
        for leader_id, status in statuses.items():
            Attendance.objects.update_or_create(meeting=meeting, leader_id=leader_id, defaults={"status": status})
        log_action("peergroups.attendance.recorded", actor=acting_user, obj=meeting,
                   data={str(k): v for k, v in statuses.items()},
                   changes={f"attendance of {k}": [before.get(k), v] for k, v in statuses.items()})


def check_write_minutes(meeting: Meeting, *, acting_user: Any, minutes: str,
                        actions: list[tuple[str, int | None, datetime.date | None]]) -> Meeting:
    """Minutes and action items, written after the meeting has started."""
    _lead(meeting, acting_user)
    if meeting.starts_at > timezone.now():
        raise PeerGroupError(_("Minutes are written once the meeting has taken place."))
    check_bounds(Meeting, {"minutes": minutes}, PeerGroupError)
    members = set(meeting.group.members.values_list("leader_id", flat=True))
    if any(owner is not None and owner not in members for _text, owner, _due in actions):
        raise PeerGroupError(_("An action item must be given to a member of the group."))
    with transaction.atomic():
        previous_minutes = meeting.minutes
        meeting.minutes, meeting.minutes_updated = minutes, timezone.now()
        meeting.save(update_fields=["minutes", "minutes_updated"])
        for text, owner, due in actions:
            if text.strip():
                ActionItem.objects.create(meeting=meeting, text=text.strip()[:300], owner_id=owner, due_on=due)
        log_action("peergroups.minutes.written", actor=acting_user, obj=meeting, data={"actions": len(actions)},
                   changes={"minutes": [previous_minutes, minutes]})
        if minutes.strip() and not previous_minutes.strip():  # published: the first time they have content
            _notify_group(meeting, acting_user, "minutes_published",
                          Text(gettext_lazy("Minutes published: meeting of %(d)s"), d=_day(meeting)),
                          Text(gettext_lazy("The minutes of the meeting of %(d)s of %(g)s are online."),
                               d=_day(meeting), g=meeting.group.name))
    return meeting


def count_attendance(meeting_id: int) -> None:
    """Write the meeting's attendance counters from its rows (in the writing transaction)."""
    counts = Attendance.objects.filter(meeting_id=meeting_id).aggregate(
        n=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)))
    Meeting.objects.filter(pk=meeting_id).update(attendance_recorded=counts["n"], attendance_present=counts["present"])


def attendance_written(sender: Any, instance: Attendance, **kwargs: Any) -> None:
    """Receiver of every attendance row's save and delete (services, imports, cascades)."""
    count_attendance(instance.meeting_id)


def attendance_rate(leader: Leader) -> dict[str, int | None]:
    """Meetings attended over meetings recorded for the leader (for staff on the profile)."""
    rows = list(Attendance.objects.filter(leader=leader).values_list("status", flat=True))
    present = sum(1 for s in rows if s == AttendanceStatus.PRESENT)
    return {"present": present, "recorded": len(rows), "rate": round(100 * present / len(rows)) if rows else None}
