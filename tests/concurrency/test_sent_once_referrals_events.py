"""One-to-one and event-mailing forms sent four times at the same instant, on PostgreSQL: one object, one effect."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from meute.core.models import AuditEntry
from meute.core.submissions import new_key
from meute.events.mail import check_send_mailing
from meute.events.models import Mailing
from meute.events.services import do_register
from meute.notifications.models import Kind, Notification
from meute.referrals.models import OneToOne
from meute.referrals.onetoones import check_schedule
from tests.concurrency.helpers import race, sent_once
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory
from tests.referrals.factories import pair

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_a_one_to_one_form_sent_four_times_at_once_schedules_once():
    """Four sendings of one scheduling form at the same instant: one one-to-one, one audit entry, one notice."""
    a, b = pair()
    when, key = timezone.now() + datetime.timedelta(days=2), new_key()
    outcomes = race(*[sent_once(lambda: check_schedule(a, other_id=b.leader.pk, starts_at=when, place="Café",
                                                       submission=key)) for _ in range(4)])
    one = OneToOne.objects.get()
    assert (sorted(kind for kind, _ in outcomes), {obj.pk for _, obj in outcomes},
            AuditEntry.objects.filter(action="referrals.one_to_one.scheduled").count(),
            Notification.objects.filter(recipient=b, kind=Kind.ONE_TO_ONE).count()) == (
        ["created", "repeat", "repeat", "repeat"], {one.pk}, 1, 1)


def test_a_mailing_form_sent_four_times_at_once_e_mails_each_participant_once():
    """Four sendings of one mailing form at the same instant: one mailing, one audit entry, one e-mail each."""
    event = EventFactory()
    people = [MembershipFactory(network=event.network).leader.user for _ in range(3)]
    for person in people:
        do_register(event, person, offers="", needs="", wishes=[], notify=False)
    staff, key = NetworkRoleFactory(network=event.network).user, new_key()
    outcomes = race(*[sent_once(lambda: check_send_mailing(event, audience=["confirmed"], subject="Parking",
                                                           body="Entrée par la rue.", acting_user=staff,
                                                           submission=key)) for _ in range(4)])
    mailing = Mailing.objects.get()
    assert (sorted(kind for kind, _ in outcomes), {obj.pk for _, obj in outcomes},
            AuditEntry.objects.filter(action="events.mailing.requested").count(),
            sorted(m.to[0] for m in mail.outbox)) == (
        ["created", "repeat", "repeat", "repeat"], {mailing.pk}, 1, sorted(p.email for p in people))
