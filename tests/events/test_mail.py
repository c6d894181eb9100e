"""E-mails to participants: HTML and text, absolute links, the iCal invitation, each logged."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meute.core.models import AuditEntry
from meute.events.exceptions import EventError
from meute.events.mail import check_send_mailing
from meute.events.models import RotationPlan
from meute.events.reminders import send_reminders
from meute.events.rotations import run_plan
from meute.events.services import check_cancel, check_register, do_set_presence
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory, speed_meeting

pytestmark = pytest.mark.django_db
SITE = "https://reseau.example.org"


def member(event):
    return MembershipFactory(network=event.network).leader.user


def ics_of(message):
    files = [a for a in message.attachments if a[2] == "text/calendar"]
    return Calendar.from_ical(files[0][1]) if files else None


@override_settings(SITE_URL=SITE)
def test_confirmation_has_html_text_an_absolute_link_and_the_invitation(django_capture_on_commit_callbacks):
    """The confirmation is French HTML + text with the event's absolute link and an .ics of the event."""
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        check_register(event, member(event))
    message = mail.outbox[-1]
    html = message.alternatives[0][0]
    link = f"{SITE}/events/{event.pk}/"
    assert "confirmée" in message.subject and link in message.body and f'href="{link}"' in html
    assert str(ics_of(message).walk("VEVENT")[0]["SUMMARY"]) == event.title
    assert AuditEntry.objects.filter(action="events.mail.sent", data__kind="confirmed").count() == 1


def test_waiting_list_answer_has_no_invitation(django_capture_on_commit_callbacks):
    """Someone put on the waiting list is told so, without a calendar invitation."""
    event = EventFactory(capacity=1)
    check_register(event, member(event))
    with django_capture_on_commit_callbacks(execute=True):
        check_register(event, member(event))
    message = mail.outbox[-1]
    assert "attente" in message.subject and ics_of(message) is None


@override_settings(SITE_URL=SITE)
def test_promotion_carries_the_invitation(django_capture_on_commit_callbacks):
    """The person promoted from the waiting list gets the invitation and the absolute link."""
    event = EventFactory(capacity=1)
    first, second = member(event), member(event)
    check_register(event, first)
    check_register(event, second)
    with django_capture_on_commit_callbacks(execute=True):
        check_cancel(event.registrations.get(user=first), acting_user=first)
    message = mail.outbox[-1]
    assert message.to == [second.email] and ics_of(message) is not None and SITE in message.body


def test_reminder_is_html_and_text_with_the_invitation(django_capture_on_commit_callbacks):
    """The reminder of an event starting tomorrow has both versions and the .ics."""
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(hours=20))
    check_register(event, member(event))
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()
    message = mail.outbox[-1]
    assert "Rappel" in message.subject and message.alternatives and ics_of(message) is not None


def test_schedule_emails_give_each_participant_their_tables(client, django_capture_on_commit_callbacks):
    """"E-mail each participant their schedule" sends one message per person, with a table per round."""
    event = speed_meeting(8, table_size=4, rounds=2)
    run_plan(RotationPlan.objects.create(event=event, seed=1, seconds=1).pk)
    client.force_login(NetworkRoleFactory(network=event.network).user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:event_send_schedules", args=[event.pk]))
    assert len(mail.outbox) == 8 and all(m.body.count("table ") >= 2 for m in mail.outbox)
    assert AuditEntry.objects.filter(action="events.mail.sent", data__kind="schedule").count() == 8


def test_staff_message_reaches_the_chosen_audiences_once_each(client, django_capture_on_commit_callbacks):
    """A message to the waiting list and the people checked in reaches exactly them, each message logged."""
    event = EventFactory(capacity=2)
    people = [member(event) for _ in range(3)]
    for user in people:
        check_register(event, user)
    do_set_presence(event.registrations.get(user=people[0]), present=True, acting_user=None)
    client.force_login(NetworkRoleFactory(network=event.network).user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:event_mailing", args=[event.pk]),
                    {"audience": ["waiting", "present"], "subject": "Parking", "body": "Entrée par la rue."})
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people[0].email, people[2].email])
    assert all("Entrée par la rue." in m.body and m.subject.startswith("Parking") for m in mail.outbox)
    assert AuditEntry.objects.filter(action="events.mail.sent", data__kind="message").count() == 2
    assert AuditEntry.objects.get(action="events.mailing.requested").data["recipients"] == 2


def test_staff_message_to_nobody_is_refused():
    """A message to an empty waiting list is refused with a message, nothing queued."""
    event = EventFactory()
    staff = NetworkRoleFactory(network=event.network).user
    with pytest.raises(EventError, match="Nobody matches"):
        check_send_mailing(event, audience=["waiting"], subject="x", body="y", acting_user=staff)
    assert not AuditEntry.objects.filter(action="events.mailing.requested").exists()


def test_staff_of_another_network_cannot_write_to_participants(client):
    """The mailing page is 404 for staff of another network."""
    event = EventFactory()
    client.force_login(NetworkRoleFactory().user)
    assert client.get(reverse("web:event_mailing", args=[event.pk])).status_code == 404


def test_a_registration_without_notice_sends_nothing(django_capture_on_commit_callbacks):
    """Registrations made by the demo loader (notify=False) queue no e-mail."""
    from meute.events.services import do_register

    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        do_register(event, member(event), offers="", needs="", wishes=[], notify=False)
    assert mail.outbox == []
