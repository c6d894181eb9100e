"""The weekly digest: each person's once per week, idempotent, only what they want weekly."""

import datetime

import pytest
from django.core import mail

from meute.notifications.digests import send_digests, week_of
from meute.notifications.models import Channel, Digest, Kind, Notification, Preference
from meute.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 30)


def test_a_digest_gathers_the_weeks_notifications_in_one_email(django_capture_on_commit_callbacks):
    """Three unread digest notifications make one e-mail listing the three."""
    person = UserFactory()
    for title in ("un", "deux", "trois"):
        notify([person], Kind.ANNOUNCEMENT, url="/x/", title=f"Titre {title}")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(today=MONDAY) == 1
    (message,) = mail.outbox
    assert all(f"Titre {t}" in message.body for t in ("un", "deux", "trois"))
    assert "/notifications/unsubscribe/" in message.body and "List-Unsubscribe" in message.extra_headers
    assert Digest.objects.get(user=person).count == 3


def test_running_the_digest_twice_in_a_week_sends_it_once(django_capture_on_commit_callbacks):
    """A second run the same week (another day) sends nothing more, even with new notifications."""
    person = UserFactory()
    notify([person], Kind.ANNOUNCEMENT, url="/x/", title="a")
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(today=MONDAY)
    notify([person], Kind.ANNOUNCEMENT, url="/x/", title="b")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(today=MONDAY + datetime.timedelta(days=3)) == 0
    assert len(mail.outbox) == 1 and Digest.objects.count() == 1


def test_what_came_after_this_weeks_digest_goes_in_next_weeks(django_capture_on_commit_callbacks):
    """A notification created after the digest is in the next week's, and the first is not repeated."""
    person = UserFactory()
    notify([person], Kind.ANNOUNCEMENT, url="/x/", title="first")
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(today=MONDAY)
    notify([person], Kind.ANNOUNCEMENT, url="/x/", title="second")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(today=MONDAY + datetime.timedelta(days=7)) == 1
    assert "second" in mail.outbox[1].body and "first" not in mail.outbox[1].body


def test_read_and_non_digest_notifications_are_not_in_the_digest(django_capture_on_commit_callbacks):
    """Read notifications and kinds the person wants in the app only make no digest."""
    person = UserFactory()
    Preference.objects.create(user=person, kind=Kind.TOPIC_ADDED, channel=Channel.IN_APP)
    notify([person], Kind.TOPIC_ADDED, url="/x/", title="in app")
    notify([person], Kind.ANNOUNCEMENT, url="/x/", title="read")
    Notification.objects.filter(title="read").update(read_at=datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(today=MONDAY) == 0
    assert mail.outbox == [] and not Digest.objects.exists()


def test_a_kind_switched_away_from_weekly_leaves_the_digest(django_capture_on_commit_callbacks):
    """A person who switched a kind to "in the app only" after it was created does not get it weekly."""
    person = UserFactory()
    notify([person], Kind.ANNOUNCEMENT, url="/x/", title="a")
    Preference.objects.create(user=person, kind=Kind.ANNOUNCEMENT, channel=Channel.IN_APP)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(today=MONDAY) == 0
    assert mail.outbox == []


def test_the_week_starts_on_monday():
    """Any day of an ISO week maps to its Monday."""
    assert week_of(datetime.date(2026, 12, 6)) == MONDAY and week_of(MONDAY) == MONDAY


def test_the_command_runs_the_digests(django_capture_on_commit_callbacks):
    """`meute send-digests` makes the digests and says how many."""
    from io import StringIO

    from django.core.management import call_command

    notify([UserFactory()], Kind.ANNOUNCEMENT, url="/x/", title="a")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=out)
    assert "1 digest" in out.getvalue() and len(mail.outbox) == 1
