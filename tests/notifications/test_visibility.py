"""A notification whose object the person can no longer see disappears: centre, bell, digest."""

import pytest
from django.core import mail

from meute.core.exceptions import NotFound
from meute.notifications.digests import send_digests
from meute.notifications.models import Kind, Notification
from meute.notifications.queries import access_notification, list_my_notifications, unread_count
from meute.notifications.services import notify
from meute.notifications.visibility import register_visibility
from meute.peergroups.models import GroupMemberStatus
from tests.factories import EventFactory, MembershipFactory, peer_group

pytestmark = pytest.mark.django_db


def _member_told_about_meeting():
    group = peer_group(members=2)
    member = group.members.first()
    meeting = group.meetings.order_by("starts_at").last()
    notify([member.leader.user], Kind.MINUTES_PUBLISHED, obj=meeting, url=f"/meetings/{meeting.pk}/",
           title="Confidential title", body="Confidential body")
    return member, meeting


def test_a_member_who_left_the_group_no_longer_sees_its_notifications():
    """After leaving the group, the meeting's notification is gone from the centre and the bell."""
    member, _meeting = _member_told_about_meeting()
    person = member.leader.user
    assert unread_count(person) == 1
    member.status = GroupMemberStatus.LEFT
    member.save()
    assert list_my_notifications(person) == []
    assert unread_count(person) == 0
    with pytest.raises(NotFound):
        access_notification(person, Notification.objects.get().pk)


def test_a_deleted_object_hides_its_notification():
    """When the event is deleted, its notification disappears."""
    event = EventFactory()
    person = MembershipFactory(network=event.network).leader.user
    notify([person], Kind.PLAN_PUBLISHED, obj=event, url="/x/", title="t")
    event.delete()
    assert list_my_notifications(person) == []


def test_a_model_with_no_visibility_check_is_never_shown():
    """A notification about a model nobody declared a check for stays hidden (nothing leaks)."""
    group = peer_group(members=1)
    person = group.members.first().leader.user
    notify([person], Kind.MEMBER_AT_RISK, obj=group.members.first(), url="/x/", title="t")
    assert list_my_notifications(person) == []
    register_visibility("peergroups.groupmember", lambda user, pk: True)
    try:
        assert len(list_my_notifications(person)) == 1
    finally:
        from meute.notifications import visibility

        visibility._CHECKS.pop("peergroups.groupmember")


def test_the_digest_leaves_out_what_the_person_can_no_longer_see(django_capture_on_commit_callbacks):
    """A notification about a group the person left is not in their digest, title and text included."""
    member, _meeting = _member_told_about_meeting()
    notify([member.leader.user], Kind.ANNOUNCEMENT, url="/x/", title="Visible news")
    member.status = GroupMemberStatus.LEFT
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 1
    (message,) = mail.outbox
    assert "Visible news" in message.body
    assert "Confidential" not in message.body and "Confidential" not in message.alternatives[0][0]


def test_the_bell_asks_a_fixed_number_of_queries_for_events_and_announcements(django_assert_max_num_queries):
    """Sixty unread notifications about events and announcements are checked in a few queries, not one each."""
    from meute.notifications.models import Announcement

    event = EventFactory()
    person = MembershipFactory(network=event.network).leader.user
    for _ in range(30):
        other = EventFactory(network=event.network)
        notify([person], Kind.PLAN_PUBLISHED, obj=other, url="/x/", title="plan")
        announcement = Announcement.objects.create(subject="s", body="b", token=f"t{other.pk}")
        notify([person], Kind.ANNOUNCEMENT, obj=announcement, url="/x/", title="annonce")
    person = type(person).objects.get(pk=person.pk)
    with django_assert_max_num_queries(8):
        assert unread_count(person) == 60


def test_an_announcement_is_visible_to_its_recipients_only():
    """The batch check and the single check agree: recipients see it, someone else does not."""
    from meute.notifications.models import Announcement
    from meute.notifications.queries import access_announcement, list_received_announcements
    from tests.factories import UserFactory

    reader, stranger = UserFactory(), UserFactory()
    announcement = Announcement.objects.create(subject="s", body="b", token="t")
    notify([reader], Kind.ANNOUNCEMENT, obj=announcement, url="/x/", title="s")
    assert list(list_received_announcements(reader)) == [announcement] == [access_announcement(reader, announcement.pk)]
    assert not list_received_announcements(stranger).exists()
    with pytest.raises(NotFound):
        access_announcement(stranger, announcement.pk)
