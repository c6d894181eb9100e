"""The events part of a person's private calendar feed (RFC 5545, times in Europe/Paris)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from meute.events.models import Event, RegistrationStatus

PARIS = ZoneInfo("Europe/Paris")


def events_for_feed(user) -> Iterable[Event]:
    """Events the person is confirmed for (past month and future)."""
    since = timezone.now() - timezone.timedelta(days=31)
    return (
        Event.objects.filter(registrations__user=user, registrations__status=RegistrationStatus.CONFIRMED,
                             ends_at__gte=since, cancelled=False)
        .select_related("network", "commune")
        .order_by("starts_at")
    )


def vevent(event: Event, *, domain: str) -> VEvent:
    item = VEvent()
    item.add("uid", f"event-{event.pk}@{domain}")
    item.add("summary", event.title)
    item.add("dtstart", event.starts_at.astimezone(PARIS))
    item.add("dtend", event.ends_at.astimezone(PARIS))
    item.add("dtstamp", timezone.now())
    location = ", ".join(x for x in (event.place, event.commune.name if event.commune else "") if x)
    if event.visio_url:
        location = f"{location} — {event.visio_url}" if location else event.visio_url
    if location:
        item.add("location", location)
    item.add("description", f"{event.network.name}\n\n{event.description}".strip())
    return item


def calendar(items: Iterable[VEvent], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//meute//calendar//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    starts = []
    for item in items:
        cal.add_component(item)
        for key in ("dtstart", "dtend"):
            if key in item:
                moment = item.decoded(key)  # a date and time, or a whole day's date
                starts.append(moment.date() if isinstance(moment, datetime.datetime) else moment)
    if starts:  # each TZID named needs its VTIMEZONE (RFC 5545 3.6.5), over the calendar's own years
        cal.add_missing_timezones(first_date=min(starts) - datetime.timedelta(days=366),
                                  last_date=max(starts) + datetime.timedelta(days=366))
    return cal.to_ical()
