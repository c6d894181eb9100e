"""Notification pages: the centre, the bell, preferences, unsubscribe links and announcements; outsiders see nothing."""

import pytest
from django.urls import reverse

from meute.members.models import Role
from meute.notifications.models import Announcement, Channel, Kind, Notification, Preference
from meute.notifications.services import notify
from meute.notifications.unsubscribe import unsubscribe_token
from meute.peergroups.models import GroupMemberStatus
from tests.factories import MembershipFactory, NetworkRoleFactory, UserFactory, peer_group

pytestmark = pytest.mark.django_db
SECRET = "Licenciement de Zébulon"


def _member_told(client):
    group = peer_group(members=2)
    member = group.members.first()
    meeting = group.meetings.first()
    notify([member.leader.user], Kind.TOPIC_ADDED, obj=meeting, url=f"/meetings/{meeting.pk}/", title=SECRET,
           body="Détails confidentiels")
    client.force_login(member.leader.user)
    return member, meeting, Notification.objects.get()


def test_the_centre_lists_the_notification_and_the_bell_counts_it(client):
    """A member sees their notification and the bell's unread count in the header."""
    _member_told(client)
    page = client.get(reverse("web:notifications")).content.decode()
    assert SECRET in page and 'class="bell-count"' in page and ">1</span>" in page


def test_the_bell_is_absent_for_visitors(client):
    """An anonymous visitor gets no bell (and no query about notifications)."""
    page = client.get(reverse("login")).content.decode()
    assert "bell" not in page


def test_opening_a_notification_marks_it_read_and_follows_it(client):
    """Following a notification marks it read and redirects to its page."""
    _member, meeting, notification = _member_told(client)
    response = client.get(reverse("web:notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_one_and_all_as_read(client):
    """The buttons mark one, then every notification read."""
    member, _meeting, notification = _member_told(client)
    notify([member.leader.user], Kind.ANNOUNCEMENT, url="/", title="autre")
    client.post(reverse("web:notification_read", args=[notification.pk]))
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    client.post(reverse("web:notifications_read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found(client):
    """Another person's notification answers 404 to open or mark, and stays unread."""
    _member, _meeting, notification = _member_told(client)
    client.force_login(UserFactory())
    assert client.get(reverse("web:notification_open", args=[notification.pk])).status_code == 404
    assert client.post(reverse("web:notification_read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_notification_about_what_i_can_no_longer_see_vanishes_without_a_trace(client):
    """After leaving the group: not in the centre, not counted, its link 404s; its title never shows."""
    member, _meeting, notification = _member_told(client)
    member.status = GroupMemberStatus.LEFT
    member.save()
    page = client.get(reverse("web:notifications")).content.decode()
    assert SECRET not in page and "confidentiels" not in page and 'class="bell-count"' not in page
    response = client.get(reverse("web:notification_open", args=[notification.pk]))
    assert response.status_code == 404 and SECRET not in response.content.decode()


def test_the_open_link_never_redirects_elsewhere(client):
    """A notification whose url points to another site leads back to the centre."""
    person = UserFactory()
    notify([person], Kind.ANNOUNCEMENT, url="https://evil.example.com/", title="t")
    client.force_login(person)
    response = client.get(reverse("web:notification_open", args=[Notification.objects.get().pk]))
    assert response["Location"] == reverse("web:notifications")


def test_preferences_page_saves_the_choices(client):
    """The preferences form stores the channel per kind."""
    person = UserFactory()
    client.force_login(person)
    data = dict.fromkeys(Kind.values, Channel.DIGEST) | {Kind.ANNOUNCEMENT: Channel.EMAIL}
    assert client.post(reverse("web:notification_preferences"), data).status_code == 302
    assert Preference.objects.get(user=person, kind=Kind.ANNOUNCEMENT).channel == Channel.EMAIL


def test_preferences_page_refuses_a_bad_channel_with_a_message(client):
    """A channel that is not offered is a French field error; nothing is stored."""
    person = UserFactory()
    client.force_login(person)
    data = dict.fromkeys(Kind.values, "pigeon")
    response = client.post(reverse("web:notification_preferences"), data)
    assert response.status_code == 200 and "errors" in response.content.decode()
    assert not Preference.objects.exists()


def test_unsubscribe_asks_then_applies_once(client):
    """GET asks (changes nothing), POST applies; a second POST of the same link gets a clear 400 page."""
    person = UserFactory()
    url = reverse("web:notifications_unsubscribe", args=[unsubscribe_token(person.pk, Kind.ANNOUNCEMENT)])
    assert client.get(url).status_code == 200 and not Preference.objects.exists()
    assert client.post(url).status_code == 200
    assert Preference.objects.get(user=person, kind=Kind.ANNOUNCEMENT).channel == Channel.IN_APP
    again = client.post(url)
    assert again.status_code == 400 and "déjà été utilisé" in again.content.decode()


def test_a_tampered_unsubscribe_link_gets_a_clear_page(client):
    """A tampered link gets a French 400 page and changes nothing."""
    person = UserFactory()
    token = unsubscribe_token(person.pk)
    response = client.post(reverse("web:notifications_unsubscribe", args=[token[:-3] + "xyz"]))
    assert response.status_code == 400 and "pas valide" in response.content.decode()
    assert not Preference.objects.exists()


def test_a_member_cannot_open_the_announcement_pages(client):
    """Without a staff or facilitator role, the announcement pages answer 404."""
    client.force_login(MembershipFactory().leader.user)
    assert client.get(reverse("web:announcement_new")).status_code == 404
    assert client.get(reverse("web:announcements")).status_code == 404


def test_staff_send_an_announcement_from_the_form(client, django_capture_on_commit_callbacks):
    """The form sends to the chosen group; the members see it, an outsider gets 404 on it."""
    group = peer_group(members=2)
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    client.force_login(staff)
    form = client.get(reverse("web:announcement_new")).context["form"]
    data = {"subject": "Plénière", "body": "Le 12 juin.", "groups": [group.pk], "token": form["token"].initial}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:announcement_new"), data)
    announcement = Announcement.objects.get()
    assert response.status_code == 302 and announcement.recipients == 2
    again = client.post(reverse("web:announcement_new"), data)
    assert "déjà été envoyée" in again.content.decode() and Announcement.objects.count() == 1
    member = group.members.first().leader.user
    client.force_login(member)
    assert "Le 12 juin." in client.get(reverse("web:announcement", args=[announcement.pk])).content.decode()
    client.force_login(MembershipFactory(network=group.network).leader.user)
    assert client.get(reverse("web:announcement", args=[announcement.pk])).status_code == 404


def test_an_empty_segment_gets_a_clear_message_on_the_form(client):
    """Sending to nobody re-shows the form with a French message; nothing is created."""
    group = peer_group(members=0)
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    client.force_login(staff)
    form = client.get(reverse("web:announcement_new")).context["form"]
    response = client.post(reverse("web:announcement_new"), {"subject": "x", "body": "y", "groups": [group.pk],
                                                               "token": form["token"].initial})
    assert response.status_code == 200 and "Personne" in response.content.decode()
    assert not Announcement.objects.exists()


def test_a_foreign_group_is_not_offered_and_refused(client):
    """A group of another network cannot be chosen: the form refuses it, nothing is sent."""
    group = peer_group(members=2)
    other = NetworkRoleFactory(role=Role.STAFF).user
    client.force_login(other)
    form = client.get(reverse("web:announcement_new")).context["form"]
    response = client.post(reverse("web:announcement_new"), {"subject": "x", "body": "y", "groups": [group.pk],
                                                               "token": form["token"].initial})
    assert response.status_code in (200, 404) and not Announcement.objects.exists()


def test_a_facilitator_is_offered_only_their_groups(client):
    """A facilitator's form lists the groups they facilitate, and no network or event."""
    group = peer_group(members=2)
    other = peer_group(members=2, network=group.network, name="Autre groupe")
    client.force_login(group.facilitator)
    form = client.get(reverse("web:announcement_new")).context["form"]
    assert other.facilitator_id != group.facilitator_id
    assert [pk for pk, _label in form.fields["groups"].choices] == [group.pk]
    assert "networks" not in form.fields and list(form.fields["events"].choices) == []
