"""One-to-one and event-mailing pages sent twice (a double click, a reload): one object, the second sending
lands where the first did."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meute.events.models import Mailing
from meute.events.services import do_register
from meute.referrals.models import OneToOne
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory
from tests.referrals.factories import pair

pytestmark = pytest.mark.django_db


def form_key(client, url):
    """The one-time key the page put in its form."""
    page = client.get(url).content.decode()
    return re.search(r'name="submission" value="([0-9a-f]+)"', page).group(1)


def staff_and_participants(people=2):
    """An event with ``people`` confirmed participants, and a member of its network's staff."""
    event = EventFactory()
    for _ in range(people):
        do_register(event, MembershipFactory(network=event.network).leader.user, offers="", needs="", wishes=[],
                    notify=False)
    return event, NetworkRoleFactory(network=event.network).user


def mailing_data(client, event):
    url = reverse("web:event_mailing", args=[event.pk])
    return url, {"audience": ["confirmed"], "subject": "Parking", "body": "Entrée par la rue.",
                 "submission": form_key(client, url)}


def test_the_one_to_one_page_sent_twice_schedules_one_and_lands_on_the_list_both_times(client):
    """Both sendings of the scheduling form land on the one-to-ones page, with a single one-to-one."""
    a, b = pair()
    client.force_login(a)
    url = reverse("web:one_to_ones")
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = {"other": b.leader.pk, "starts_at": when, "place": "Café", "submission": form_key(client, url)}
    first, second = client.post(url, data), client.post(url, data)
    assert (OneToOne.objects.count(), first.status_code, first["Location"], second["Location"]) == (1, 302, url, url)


def test_the_mailing_page_sent_twice_records_one_mailing_and_lands_on_the_event_both_times(client):
    """Both sendings of the mailing form land on the event's page, with a single mailing recorded."""
    event, staff = staff_and_participants()
    client.force_login(staff)
    url, data = mailing_data(client, event)
    first, second = client.post(url, data), client.post(url, data)
    assert (Mailing.objects.count(), first.status_code, first["Location"], second["Location"]) == (
        1, 302, f"/events/{event.pk}/", f"/events/{event.pk}/")


def test_the_mailing_page_sent_twice_e_mails_each_participant_once(client, django_capture_on_commit_callbacks):
    """A double click on « send »: each participant receives the message once."""
    event, staff = staff_and_participants()
    client.force_login(staff)
    url, data = mailing_data(client, event)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
        client.post(url, data)
    expected = sorted(event.registrations.values_list("user__email", flat=True))
    assert sorted(m.to[0] for m in mail.outbox) == expected
