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
