"""Announcements: a segment the sender manages, each person once, in the background, logged."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from meute.core.audit import entries_for
from meute.events.models import Registration, RegistrationStatus
from meute.members.models import MembershipStatus, Role
from meute.notifications.announcements import MemberList, Segment, check_send_announcement
from meute.notifications.exceptions import AnnouncementError
from meute.notifications.models import Announcement, AnnouncementStatus, Channel, Kind, Notification, Preference
from meute.peergroups.models import GroupMember
from tests.factories import (
    EventFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    peer_group,
)
from tests.notifications.helpers import bulk_members

pytestmark = pytest.mark.django_db


def _send(segment, sender, *, token="t1", subject="Assemblée générale", body="Le 12 à 18 h."):
    return check_send_announcement(segment, subject=subject, body=body, token=token, acting_user=sender)


def _delivered(announcement):
    return Notification.objects.filter(kind=Kind.ANNOUNCEMENT, object_id=announcement.pk,
                                       content_type=ContentType.objects.get_for_model(Announcement))


def test_a_segment_of_5000_members_gets_one_notification_each(django_capture_on_commit_callbacks):
    """5,000 members, reached through their network, a group and an event at once: 5,000 notifications."""
    network = NetworkFactory(runs_peer_groups=True)
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    users = bulk_members(network, 5000)
    group = peer_group(members=0, network=network)
    GroupMember.objects.bulk_create([GroupMember(group=group, leader=u.leader) for u in users[:300]])
    event = EventFactory(network=network, capacity=None)
    Registration.objects.bulk_create([Registration(event=event, user=u, status=RegistrationStatus.CONFIRMED, seq=i)
                                      for i, u in enumerate(users[200:900])])
    Preference.objects.bulk_create([Preference(user=u, kind=Kind.ANNOUNCEMENT, channel=Channel.EMAIL)
                                    for u in users[:7]])
    with django_capture_on_commit_callbacks(execute=True):
        announcement = _send(Segment(networks=(network.pk,), groups=(group.pk,), events=(event.pk,)), staff)
    announcement.refresh_from_db()
    delivered = _delivered(announcement)
    assert announcement.status == AnnouncementStatus.DONE
    assert announcement.expected == announcement.recipients == delivered.count() == 5000
    assert delivered.values("recipient_id").distinct().count() == 5000
    assert len(mail.outbox) == 7  # only those who chose "e-mail at once"; the others wait for the digest
    assert entries_for(announcement).filter(action="notifications.announcement.sent").get().data["recipients"] == 5000


def test_someone_in_several_parts_of_the_segment_is_told_once(django_capture_on_commit_callbacks):
    """A member of the network who is also in the group and at the event gets one notification."""
    group = peer_group(members=2)
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    person = group.members.first().leader.user
    event = EventFactory(network=group.network)
    Registration.objects.create(event=event, user=person, status=RegistrationStatus.CONFIRMED, seq=1)
    with django_capture_on_commit_callbacks(execute=True):
        announcement = _send(Segment(networks=(group.network_id,), groups=(group.pk,), events=(event.pk,),
                                     members=MemberList(network=group.network_id)), staff)
    assert _delivered(announcement).filter(recipient=person).count() == 1
    assert _delivered(announcement).count() == 2  # the two group members; the sender is left out


def test_the_request_and_the_sending_are_logged_with_the_count(django_capture_on_commit_callbacks):
    """One audit entry when asked (with the segment) and one when sent (with the count), in the network's log."""
    group = peer_group(members=3)
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    with django_capture_on_commit_callbacks(execute=True):
        announcement = _send(Segment(groups=(group.pk,)), staff)
    requested = entries_for(announcement).get(action="notifications.announcement.requested")
    sent = entries_for(announcement).get(action="notifications.announcement.sent")
    assert requested.actor == staff and requested.data["recipients"] == 3
    assert requested.data["segment"]["groups"] == [group.pk]
    assert sent.data["recipients"] == 3 and list(sent.networks.all()) == [group.network]


def test_a_filtered_member_list_reaches_only_the_matching_members(django_capture_on_commit_callbacks):
    """The back office's filter (here: candidates) chooses who receives it."""
    network = NetworkFactory()
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    candidate = MembershipFactory(network=network, status=MembershipStatus.CANDIDATE).leader.user
    MembershipFactory(network=network, status=MembershipStatus.ACTIVE)
    with django_capture_on_commit_callbacks(execute=True):
        announcement = _send(Segment(members=MemberList(network=network.pk, status=MembershipStatus.CANDIDATE)), staff)
    assert list(_delivered(announcement).values_list("recipient_id", flat=True)) == [candidate.pk]


def test_an_empty_segment_is_refused_and_nothing_is_sent():
    """A segment with nobody in it gets a clear message; no announcement, no notification."""
    network = NetworkFactory()
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    with pytest.raises(AnnouncementError, match="Nobody is in this segment"):
        _send(Segment(networks=(network.pk,)), staff)
    with pytest.raises(AnnouncementError, match="Choose who receives"):
        _send(Segment(), staff)
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_a_network_the_sender_does_not_manage_is_refused():
    """Staff of one network cannot write to another network's members; nothing is queued."""
    mine, theirs = NetworkFactory(), NetworkFactory()
    staff = NetworkRoleFactory(network=mine, role=Role.STAFF).user
    MembershipFactory(network=mine)
    MembershipFactory(network=theirs)
    for segment in (Segment(networks=(mine.pk, theirs.pk)), Segment(members=MemberList(network=theirs.pk)),
                    Segment(events=(EventFactory(network=theirs).pk,))):
        with pytest.raises(AnnouncementError, match="do not manage"):
            _send(segment, staff)
    assert not Announcement.objects.exists()


def test_a_facilitator_writes_to_their_group_but_not_to_the_network():
    """A facilitator may announce to the groups they facilitate only."""
    group = peer_group(members=2)
    other = peer_group(members=2, network=group.network, name="Autre")
    facilitator = group.facilitator
    assert _send(Segment(groups=(group.pk,)), facilitator).expected == 2
    with pytest.raises(AnnouncementError):
        _send(Segment(groups=(other.pk,)), facilitator, token="t2")
    with pytest.raises(AnnouncementError):
        _send(Segment(networks=(group.network_id,)), facilitator, token="t3")


def test_a_plain_member_cannot_announce():
    """A member with no staff or facilitator role is refused."""
    member = MembershipFactory().leader.user
    with pytest.raises(AnnouncementError, match="Only staff and facilitators"):
        _send(Segment(networks=(member.leader.memberships.get().network_id,)), member)


def test_the_same_form_sent_twice_sends_once(django_capture_on_commit_callbacks):
    """A second submission with the same form token is refused: one announcement, one notification each."""
    group = peer_group(members=2)
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    with django_capture_on_commit_callbacks(execute=True):
        _send(Segment(groups=(group.pk,)), staff, token="same")
    with pytest.raises(AnnouncementError, match="already sent"):
        _send(Segment(groups=(group.pk,)), staff, token="same")
    assert Announcement.objects.count() == 1 and Notification.objects.count() == 2


def test_delivering_twice_adds_nobody_twice(django_capture_on_commit_callbacks):
    """Running the delivery again (a retried job) leaves one notification per person."""
    from meute.notifications.announcements import run_announcement

    group = peer_group(members=3)
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    with django_capture_on_commit_callbacks(execute=True):
        announcement = _send(Segment(groups=(group.pk,)), staff)
    Announcement.objects.filter(pk=announcement.pk).update(status=AnnouncementStatus.PENDING)
    run_announcement(announcement.pk)
    assert _delivered(announcement).count() == 3


def test_bad_subject_or_body_is_refused():
    """An empty subject, a subject over 150 characters and an empty message are field errors."""
    group = peer_group(members=1)
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    for subject, body, field in (("", "x", "subject"), ("x" * 151, "x", "subject"), ("x", "  ", "body")):
        with pytest.raises(AnnouncementError) as err:
            _send(Segment(groups=(group.pk,)), staff, subject=subject, body=body)
        assert err.value.field == field
    assert not Announcement.objects.exists()


def test_a_sender_who_lost_the_role_before_delivery_sends_nothing(django_capture_on_commit_callbacks):
    """Rights are checked again when the job runs: a revoked staff member's announcement fails with a reason."""
    from meute.members.models import NetworkRole
    from meute.notifications.announcements import run_announcement

    group = peer_group(members=2)
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    announcement = _send(Segment(groups=(group.pk,)), staff)  # not delivered: the on-commit hook is not run
    NetworkRole.objects.filter(user=staff).delete()
    run_announcement(announcement.pk)  # the job reads the sender afresh
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.FAILED and announcement.message
    assert not _delivered(announcement).exists()
