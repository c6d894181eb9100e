"""The peer-group part of a person's calendar feed: their group's meetings and plenaries."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone
from icalendar import Event as VEvent

from meute.events.ical import PARIS
from meute.peergroups.models import GroupMemberStatus, Meeting, Plenary


def _groups_filter(user) -> Q:
    return (Q(members__leader__user=user, members__status=GroupMemberStatus.ACTIVE) | Q(facilitator=user)
            | Q(sponsors=user))


def vevents(user, domain: str) -> Iterator[VEvent]:
    from meute.peergroups.models import PeerGroup

    since = timezone.now() - timezone.timedelta(days=31)
    groups = PeerGroup.objects.filter(_groups_filter(user), ended=False).distinct()
    for meeting in Meeting.objects.filter(group__in=groups, ends_at__gte=since).select_related("group"):
        yield _item(f"meeting-{meeting.pk}@{domain}", meeting.group.name, meeting.starts_at, meeting.ends_at,
                    " — ".join(x for x in (meeting.place, meeting.visio_url) if x))
    for plenary in Plenary.objects.filter(groups__in=groups, ends_at__gte=since).distinct():
        yield _item(f"plenary-{plenary.pk}@{domain}", plenary.title, plenary.starts_at, plenary.ends_at,
                    plenary.place)


def _item(uid: str, summary: str, starts, ends, location: str) -> VEvent:
    item = VEvent()
    item.add("uid", uid)
    item.add("summary", summary)
    item.add("dtstart", starts.astimezone(PARIS))
    item.add("dtend", ends.astimezone(PARIS))
    item.add("dtstamp", timezone.now())
    if location:
        item.add("location", location)
    return item
