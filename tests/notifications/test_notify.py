"""notify(): one notification per person, in their language, following their channel for the kind."""

import pytest
from django.core import mail
from django.test import override_settings

from meute.core.audit import entries_for
from meute.notifications.models import Channel, Kind, Notification, Preference
from meute.notifications.queries import list_my_notifications, my_preferences, unread_count
from meute.notifications.services import Text, When, check_set_preferences, do_mark_all_read, do_mark_read, notify
from tests.factories import EventFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
SITE = "https://reseau.example.org"


def _event_for(*people):
    event = EventFactory()
    for person in people:
        MembershipFactory(network=event.network, leader__user=person)
    return event


def test_each_person_is_told_once_even_if_named_twice():
    """Duplicates among the recipients (users and ids mixed) give one notification each."""
    a, b = UserFactory(), UserFactory()
    event = _event_for(a, b)
    created = notify([a, b.pk, a.pk, b], Kind.PLAN_PUBLISHED, obj=event, url="/x/", title="T")
    assert created == 2
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted([a.pk, b.pk])


def test_inactive_accounts_are_not_told():
    """An inactive account gets nothing."""
    gone = UserFactory(is_active=False)
    assert notify([gone], Kind.ANNOUNCEMENT, url="/x/", title="T") == 0
    assert not Notification.objects.exists()


def test_title_and_body_are_written_in_each_recipients_language():
    """A French and an English reader each get the text in their own language."""
    from django.utils.translation import gettext_lazy

    fr, en = UserFactory(language="fr"), UserFactory(language="en")
    event = _event_for(fr, en)
    notify([fr, en], Kind.PROMOTED, obj=event, url="/x/", title=Text(gettext_lazy("A seat is yours: %(t)s"), t="Z"),
           send_email=lambda _pk: None)
    titles = dict(Notification.objects.values_list("recipient_id", "title"))
    assert titles[en.pk] == "A seat is yours: Z"
    assert titles[fr.pk] != titles[en.pk] and titles[fr.pk].endswith("Z")


def test_dates_are_written_as_each_recipients_language_writes_them():
    """A moment in a title reads 14/03/2027 18:30 in French and 03/14/2027 6:30 p.m. in English (Paris time)."""
    import datetime

    from django.utils.translation import gettext_lazy

    fr, en = UserFactory(language="fr"), UserFactory(language="en")
    event = _event_for(fr, en)
    moment = datetime.datetime(2027, 3, 14, 17, 30, tzinfo=datetime.UTC)
    notify([fr, en], Kind.PROMOTED, obj=event, url="/x/", send_email=lambda _pk: None,
           title=Text(gettext_lazy("A seat is yours: %(t)s"), t=When(moment)),
           body=Text(gettext_lazy("A seat is yours: %(t)s"), t=When(moment, time=False)))
    texts = {pk: (title, body) for pk, title, body in Notification.objects.values_list("recipient_id", "title", "body")}
    assert texts[fr.pk][0].endswith("14/03/2027 18:30") and texts[fr.pk][1].endswith("14/03/2027")
    assert texts[en.pk] == ("A seat is yours: 03/14/2027 6:30 p.m.", "A seat is yours: 03/14/2027")


def test_an_unknown_kind_is_a_programming_error():
    """A kind that is not declared is refused."""
    with pytest.raises(ValueError):
        notify([UserFactory()], "nonsense", url="/x/", title="T")


def test_the_weekly_digest_is_the_default_and_sends_nothing_at_once(django_capture_on_commit_callbacks):
    """With no choice made, a topic notification waits for the digest: no e-mail now."""
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], Kind.TOPIC_ADDED, url="/x/", title="T")
    assert Notification.objects.get().channel == Channel.DIGEST
    assert mail.outbox == []


def test_in_app_only_sends_no_email(django_capture_on_commit_callbacks):
    """A person who chose "in the app only" gets the notification and no e-mail, even for an at-once kind."""
    person = UserFactory()
    Preference.objects.create(user=person, kind=Kind.INTRODUCTION_ASKED, channel=Channel.IN_APP)
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], Kind.INTRODUCTION_ASKED, url="/x/", title="T")
    assert Notification.objects.get().channel == Channel.IN_APP
    assert mail.outbox == []


@override_settings(SITE_URL=SITE)
def test_email_at_once_is_french_html_and_text_with_unsubscribe(django_capture_on_commit_callbacks):
    """"E-mail at once": one French HTML + text e-mail, absolute links, two unsubscribe links and the header."""
    person = UserFactory(language="fr")
    Preference.objects.create(user=person, kind=Kind.TOPIC_ADDED, channel=Channel.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], Kind.TOPIC_ADDED, url="/meetings/1/", title="Sujet ajouté", body="Détails")
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    notification = Notification.objects.get()
    assert message.subject == "Sujet ajouté" and "Bonjour" in message.body
    assert f"{SITE}/notifications/{notification.pk}/" in message.body and f'href="{SITE}/notifications/' in html
    assert message.body.count(f"{SITE}/notifications/unsubscribe/") == 2
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notification.emailed_at is not None


def test_an_email_task_run_twice_sends_once(django_capture_on_commit_callbacks):
    """Delivering the same notification twice (a duplicate task) sends one e-mail."""
    from meute.notifications.mail import deliver_notification

    person = UserFactory()
    Preference.objects.create(user=person, kind=Kind.TOPIC_ADDED, channel=Channel.EMAIL)
    notify([person], Kind.TOPIC_ADDED, url="/x/", title="T")
    pk = Notification.objects.get().pk
    assert deliver_notification(pk) is True
    assert deliver_notification(pk) is False
    assert len(mail.outbox) == 1


def test_preferences_are_saved_per_kind_and_audited():
    """A person's choice is stored per kind and the change is in the audit log with old and new values."""
    person = UserFactory()
    check_set_preferences(person, {Kind.ANNOUNCEMENT: Channel.EMAIL}, acting_user=person)
    assert my_preferences(person)[Kind.ANNOUNCEMENT] == Channel.EMAIL
    assert my_preferences(person)[Kind.TOPIC_ADDED] == Channel.DIGEST
    entry = entries_for(person).get(action="notifications.preferences.updated")
    assert entry.changes == {"announcement": ["digest", "email"]}


def test_nobody_sets_someone_elses_preferences():
    """Choosing for another person is refused and changes nothing."""
    from meute.notifications.exceptions import NotificationError

    person, other = UserFactory(), UserFactory()
    with pytest.raises(NotificationError):
        check_set_preferences(person, {Kind.ANNOUNCEMENT: Channel.EMAIL}, acting_user=other)
    assert not Preference.objects.exists()


def test_an_unknown_channel_is_refused():
    """A channel that does not exist is a field error, nothing stored."""
    from meute.notifications.exceptions import NotificationError

    person = UserFactory()
    with pytest.raises(NotificationError):
        check_set_preferences(person, {Kind.ANNOUNCEMENT: "pigeon"}, acting_user=person)
    assert not Preference.objects.exists()


def test_mark_read_one_and_all():
    """Reading one lowers the unread count by one; "all" clears it; unread come first in the centre."""
    person = UserFactory()
    for title in ("a", "b", "c"):
        notify([person], Kind.ANNOUNCEMENT, url="/x/", title=title)
    first = Notification.objects.get(title="a")
    do_mark_read(first, acting_user=person)
    assert unread_count(person) == 2
    assert [n.title for n in list_my_notifications(person)][-1] == "a"
    assert do_mark_all_read(acting_user=person) == 2
    assert unread_count(person) == 0


def test_nobody_marks_someone_elses_notification():
    """Marking another person's notification read is refused."""
    from meute.notifications.exceptions import NotificationError

    person, other = UserFactory(), UserFactory()
    notify([person], Kind.ANNOUNCEMENT, url="/x/", title="t")
    with pytest.raises(NotificationError):
        do_mark_read(Notification.objects.get(), acting_user=other)
    assert Notification.objects.get().read_at is None


def test_erasure_removes_the_persons_notifications_and_their_name_from_others():
    """Anonymising a person deletes their notifications and choices and scrubs their name from what others got."""
    from meute.members.privacy import do_anonymise, personal_data

    person = UserFactory(first_name="Zébulon", last_name="Quatremare")
    other = UserFactory()
    notify([person], Kind.ANNOUNCEMENT, url="/x/", title="pour moi")
    Preference.objects.create(user=person, kind=Kind.ANNOUNCEMENT, channel=Channel.EMAIL)
    notify([other], Kind.TOPIC_ADDED, url="/x/", title="Sujet", body="Zébulon Quatremare a proposé un sujet",
           actor=person)
    assert personal_data(person)["notifications"]["received"][0]["title"] == "pour moi"
    do_anonymise(person, acting_user=UserFactory(is_superuser=True))
    assert not Notification.objects.filter(recipient=person).exists() and not Preference.objects.exists()
    assert "Quatremare" not in Notification.objects.get(recipient=other).body


def test_an_english_readers_email_declares_english(django_capture_on_commit_callbacks):
    """The HTML part of an e-mail to an English reader says lang="en" (screen readers pronounce by it)."""
    person = UserFactory(language="en")
    Preference.objects.create(user=person, kind=Kind.TOPIC_ADDED, channel=Channel.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], Kind.TOPIC_ADDED, url="/meetings/1/", title="Topic added")
    (message,) = mail.outbox
    assert '<html lang="en">' in message.alternatives[0][0]
