"""The stored lights the cockpit reads stay equal to the lights computed from the rows, after every
kind of write and as time moves items in and out of the window."""

import datetime

import pytest
from django.utils import timezone

from meute.cockpit.figures import attendance_per_group
from meute.engagement import stored
from meute.engagement.lights import compute_lights
from meute.engagement.models import LightBook, StoredLight
from meute.engagement.queries import list_group_lights, my_lights, network_engagement
from meute.engagement.services import do_check_engagement
from meute.events.models import Registration
from meute.events.services import do_set_presence, do_update_event
from meute.members.access import touch_leaders
from meute.members.models import Membership, MembershipStatus
from meute.members.services import do_set_membership_status
from meute.peergroups.meetings import check_record_attendance
from meute.peergroups.models import Meeting
from tests.engagement.helpers import fresh_group, held, said_no
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory

pytestmark = pytest.mark.django_db
P, E, A = "present", "excused", "absent"


def _stored(network_id: int) -> dict:
    stored.fresh(network_id)
    return {r.leader_id: (r.expected, r.attended, r.excused, r.colour)
            for r in StoredLight.objects.filter(network_id=network_id) if r.expected or r.attended or r.excused}


def _live(network_id: int) -> dict:
    return {k: (*light.total, light.colour) for k, light in compute_lights(network_id).items() if any(light.total)}


def _later(monkeypatch, delta: datetime.timedelta) -> None:
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + delta)


def test_recording_attendance_changes_the_cockpit():
    """Attendance recorded through the service turns a member red in the cockpit's counts at once."""
    group, (a, b, c) = fresh_group()
    held(group, 40, {a: P, b: P, c: P})
    staff = NetworkRoleFactory(network=group.network).user
    assert network_engagement(staff, group.network).counts["red"] == 0
    meeting = held(group, 10, {})
    check_record_attendance(meeting, {a.pk: P, b.pk: A, c.pk: P}, acting_user=group.facilitator)
    check_record_attendance(held(group, 5, {}), {a.pk: P, b.pk: A, c.pk: P}, acting_user=group.facilitator)
    engagement = network_engagement(staff, group.network)
    assert engagement.counts["red"] == 1 and [r.leader.pk for r in engagement.at_risk] == [b.pk]
    assert _stored(group.network_id) == _live(group.network_id)


def test_the_attendance_per_group_figure_follows_recording():
    """The rate per group adds up the meetings' counters, kept by every attendance write."""
    group, (a, b, c) = fresh_group()
    meeting = held(group, 10, {a: P, b: P, c: P})
    assert attendance_per_group(group.network).rows == [(group.name, (100,))]
    check_record_attendance(meeting, {b.pk: A}, acting_user=group.facilitator)
    assert attendance_per_group(group.network).rows == [(group.name, (67,))]
    meeting.delete()
    assert attendance_per_group(group.network).rows == []


def test_an_i_cant_excuses_the_stored_light():
    """An « I can't » written after the light was stored excuses the absence in it."""
    group, (a, _b, _c) = fresh_group()
    meeting = held(group, 10, {a: A})
    held(group, 40, {a: P})
    assert _stored(group.network_id)[a.pk] == (2, 1, 0, "amber")
    said_no(meeting, a)
    assert _stored(group.network_id)[a.pk] == (1, 1, 1, "green") == _live(group.network_id)[a.pk]


def test_the_first_check_in_counts_every_confirmed_registration():
    """An event counts once its check-in is used: the first check-in changes every confirmed member's light."""
    member = MembershipFactory()
    other = MembershipFactory(network=member.network)
    event = EventFactory(network=member.network, starts_at=timezone.now() - datetime.timedelta(days=3))
    first = Registration.objects.create(event=event, user=member.leader.user, status="confirmed", seq=1)
    Registration.objects.create(event=event, user=other.leader.user, status="confirmed", seq=2)
    assert _stored(member.network_id) == {}
    do_set_presence(first, present=True, acting_user=None)
    assert _stored(member.network_id) == {member.leader_id: (1, 1, 0, "green"), other.leader_id: (1, 0, 0, "red")}
    do_update_event(event, acting_user=None, cancelled=True)
    assert _stored(member.network_id) == {} == _live(member.network_id)


def test_a_member_who_stops_being_active_leaves_the_counts():
    """A membership set to « left » drops the light; made active again in bulk, it comes back."""
    group, (a, b, _c) = fresh_group()
    held(group, 10, {a: A, b: P})
    staff = NetworkRoleFactory(network=group.network).user
    assert network_engagement(staff, group.network).counts["red"] == 1
    membership = Membership.objects.get(leader=a, network=group.network)
    do_set_membership_status(membership, MembershipStatus.LEFT, acting_user=staff)
    assert network_engagement(staff, group.network).counts["red"] == 0
    Membership.objects.filter(pk=membership.pk).update(status=MembershipStatus.ACTIVE)
    touch_leaders([a.pk])  # what every bulk membership write does
    assert network_engagement(staff, group.network).counts["red"] == 1
    assert _stored(group.network_id) == _live(group.network_id)


def test_a_meeting_leaving_the_window_changes_the_light_without_any_write(monkeypatch):
    """The oldest meeting leaves the window at its time plus six months: the stored light expires then."""
    group, (a, _b, _c) = fresh_group()
    old = held(group, 182, {a: A})
    held(group, 10, {a: P})
    assert _stored(group.network_id)[a.pk] == (2, 1, 0, "amber")
    row = StoredLight.objects.get(network=group.network, leader=a)
    assert old.starts_at + datetime.timedelta(days=183) < row.valid_until < old.starts_at + datetime.timedelta(days=184)
    _later(monkeypatch, datetime.timedelta(days=2))
    assert _stored(group.network_id)[a.pk] == (1, 1, 0, "green") == _live(group.network_id)[a.pk]


def test_a_coming_event_with_its_check_in_used_counts_once_it_ends(monkeypatch):
    """Checked in during the event, a member's light changes when the event ends, with no write then."""
    member = MembershipFactory()
    other = MembershipFactory(network=member.network)
    event = EventFactory(network=member.network, starts_at=timezone.now() - datetime.timedelta(hours=1))
    event.ends_at = timezone.now() + datetime.timedelta(hours=2)
    event.save()
    Registration.objects.create(event=event, user=member.leader.user, status="confirmed", seq=1,
                                checked_in_at=timezone.now())
    Registration.objects.create(event=event, user=other.leader.user, status="confirmed", seq=2)
    assert _stored(member.network_id) == {}
    _later(monkeypatch, datetime.timedelta(hours=3))
    assert _stored(member.network_id) == {member.leader_id: (1, 1, 0, "green"), other.leader_id: (1, 0, 0, "red")}


def test_deleting_a_meeting_takes_its_attendance_out():
    """A meeting deleted with its attendance (a cascade) is no longer held against anyone."""
    group, (a, _b, _c) = fresh_group()
    meeting = held(group, 10, {a: A})
    held(group, 40, {a: P})
    assert _stored(group.network_id)[a.pk][:2] == (2, 1)
    Meeting.objects.filter(pk=meeting.pk).delete()
    assert _stored(group.network_id)[a.pk] == (1, 1, 0, "green")


def test_the_daily_check_rebuilds_every_network():
    """``meute engagement-check`` rebuilds the stored lights, even rows changed behind the signals' back."""
    group, (a, _b, _c) = fresh_group()
    held(group, 10, {a: A})
    assert _stored(group.network_id)[a.pk][3] == "red"
    StoredLight.objects.filter(leader=a).update(colour="green")  # a write no signal saw
    do_check_engagement()
    assert LightBook.objects.get(network=group.network).built_at is not None
    assert _stored(group.network_id) == _live(group.network_id)


def test_the_member_and_facilitator_homes_read_true_stored_lights():
    """After a write, the member's own light and the group's lights are the computed ones, not the stored ones."""
    group, (a, b, c) = fresh_group()
    held(group, 40, {a: P, b: P})
    stored.rebuild(group.network_id)
    check_record_attendance(held(group, 10, {}), {a.pk: A, b.pk: P}, acting_user=group.facilitator)
    assert [(light.total, light.colour) for _n, light in my_lights(a.user)] == [((2, 1, 0), "amber")]
    assert {x.pk: light.rate for x, light in list_group_lights(group.facilitator, group)} == {
        a.pk: 50, b.pk: 100, c.pk: None}


def test_a_members_first_read_builds_the_network_once():
    """A network never built is built by the first read of a member's light (every member's row stored)."""
    group, (a, b, _c) = fresh_group()
    held(group, 40, {a: P, b: A})
    assert [light.colour for _n, light in my_lights(a.user)] == ["green"]
    assert LightBook.objects.get(network_id=group.network_id).built_at is not None
    assert set(StoredLight.objects.filter(network_id=group.network_id).values_list("leader_id", flat=True)) >= {
        a.pk, b.pk}


def test_reading_an_expired_light_stores_it_again():
    """After a write, the member's read recomputes their row and stores it: it is true until a later change."""
    group, (a, b, _c) = fresh_group()
    held(group, 40, {a: P, b: P})
    stored.rebuild(group.network_id)
    check_record_attendance(held(group, 10, {}), {a.pk: A, b.pk: P}, acting_user=group.facilitator)
    my_lights(a.user)
    row = StoredLight.objects.get(network_id=group.network_id, leader_id=a.pk)
    assert (row.expected, row.attended, row.valid_until > timezone.now()) == (2, 1, True)


def test_true_stored_lights_are_read_in_two_queries_whatever_the_networks(django_assert_num_queries):
    """When every network is built and no row has expired, a member's lights in several networks cost
    two queries: the networks' books and the rows."""
    group, (a, _b, _c) = fresh_group()
    other = MembershipFactory(leader=a, status=MembershipStatus.ACTIVE)
    held(group, 40, {a: P})
    stored.rebuild(group.network_id)
    stored.rebuild(other.network_id)
    pairs = [(group.network_id, a.pk), (other.network_id, a.pk)]
    with django_assert_num_queries(2):
        lights = stored.lights_of(pairs)
    assert {n: light.colour for (n, _x), light in lights.items()} == {group.network_id: "green",
                                                                       other.network_id: "grey"}
