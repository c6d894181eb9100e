"""Announcements and digests under concurrent clicks and runs, on PostgreSQL: each goes out once."""

import pytest
from django.core import mail
from django.db import connection

from meute.core.exceptions import MeuteError
from meute.members.models import Role
from meute.notifications.announcements import Segment, check_send_announcement
from meute.notifications.digests import send_digests
from meute.notifications.models import Announcement, Digest, Kind, Notification
from meute.notifications.services import notify
from tests.concurrency.helpers import race
from tests.factories import NetworkRoleFactory, UserFactory, peer_group

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_a_double_click_on_send_sends_one_announcement():
    """Two submissions of the same form at once: one announcement, one notification per member, one refusal."""
    group = peer_group(members=4)
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user

    def send():
        return check_send_announcement(Segment(groups=(group.pk,)), subject="AG", body="Le 12.", token="same-form",
                                       acting_user=staff)

    outcomes = race(send, send, send)
    errors = [o for o in outcomes if isinstance(o, MeuteError)]
    assert len(errors) == 2 and all("already sent" in e.message for e in errors)
    assert Announcement.objects.count() == 1
    assert Notification.objects.filter(kind=Kind.ANNOUNCEMENT).count() == 4
    assert Notification.objects.values("recipient_id").distinct().count() == 4


def test_two_digest_runs_at_once_send_each_digest_once():
    """Two `send-digests` at the same moment: one digest and one e-mail per person."""
    people = [UserFactory() for _ in range(5)]
    for person in people:
        notify([person], Kind.ANNOUNCEMENT, url="/x/", title="nouvelle")
    race(send_digests, send_digests)
    assert Digest.objects.count() == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
