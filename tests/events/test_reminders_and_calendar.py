import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meute.accounts.services import calendar_token_for
from meute.events.reminders import send_reminders
from meute.events.services import check_register
from tests.factories import EventFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def registered(event):
    user = MembershipFactory(network=event.network).leader.user
    check_register(event, user)
    return user


def test_reminder_is_sent_once(django_capture_on_commit_callbacks):
    """A participant of an event starting tomorrow gets one reminder, not two."""
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(hours=20))
    user = registered(event)
    with django_capture_on_commit_callbacks(execute=True):
        first, second = send_reminders(), send_reminders()
    assert (first, second, [m.to for m in mail.outbox]) == (1, 0, [[user.email]])


def test_no_reminder_for_events_far_away():
    """Events more than two days away get no reminder yet."""
    registered(EventFactory(starts_at=timezone.now() + datetime.timedelta(days=10)))
    assert send_reminders() == 0


def test_calendar_feed_lists_the_persons_events_in_paris_time(client):
    """The private feed parses and holds the person's event at its Paris time."""
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(days=3))
    user = registered(event)
    other = EventFactory()
    response = client.get(reverse("web:calendar_feed", args=[calendar_token_for(user)]))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [event.title] and other.title not in response.content.decode()
    assert str(events[0]["dtstart"].dt.tzinfo) == "Europe/Paris"


def test_calendar_feed_describes_the_paris_time_zone_it_names(client):
    """Times given with TZID=Europe/Paris come with its VTIMEZONE, as RFC 5545 asks (Outlook needs it)."""
    user = registered(EventFactory(starts_at=timezone.now() + datetime.timedelta(days=3)))
    response = client.get(reverse("web:calendar_feed", args=[calendar_token_for(user)]))
    zones = Calendar.from_ical(response.content).walk("VTIMEZONE")
    assert [str(zone["tzid"]) for zone in zones] == ["Europe/Paris"]


def test_unknown_calendar_token_is_404(client):
    """A wrong feed address reveals nothing."""
    assert client.get(reverse("web:calendar_feed", args=["nope"])).status_code == 404
