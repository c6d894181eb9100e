import datetime

import pytest
from django.utils import timezone

from meute.engagement import components
from meute.engagement.components import Tally
from meute.engagement.lights import AMBER_LIGHT, GREEN_LIGHT, GREY, RED, colour_for, compute_lights
from meute.events.models import Registration
from tests.engagement.helpers import fresh_group, held, said_no
from tests.factories import EventFactory, MembershipFactory

pytestmark = pytest.mark.django_db
P, E, A = "present", "excused", "absent"


@pytest.mark.parametrize(("expected", "attended", "colour"), [
    (0, 0, GREY), (4, 4, GREEN_LIGHT), (4, 3, GREEN_LIGHT), (100, 74, AMBER_LIGHT), (4, 2, AMBER_LIGHT),
    (100, 49, RED), (3, 0, RED),
])
def test_thresholds(expected, attended, colour):
    """Green from 75 %, amber from 50 %, red below, grey when nothing was expected."""
    assert colour_for(Tally(expected, attended)) == colour


def test_only_meetings_held_in_the_window_count():
    """A meeting without attendance recorded, or older than six months, is not held against anyone."""
    group, (a, b, c) = fresh_group()
    held(group, 10, {a: P, b: A, c: P})
    held(group, 40, {a: P, b: A, c: A})
    held(group, 70, {})  # attendance never recorded: not counted
    held(group, 300, {a: A, b: A, c: A})  # outside the window
    lights = compute_lights(group.network_id)
    assert lights[a.pk].total == Tally(2, 2, 0) and lights[a.pk].colour == GREEN_LIGHT
    assert lights[b.pk].total == Tally(2, 0, 0) and lights[b.pk].colour == RED
    assert lights[c.pk].rate == 50 and lights[c.pk].colour == AMBER_LIGHT


def test_excused_absences_are_set_apart():
    """An absence recorded as excused, or announced by « I can't » beforehand, is neither expected nor missed."""
    group, (a, b, _c) = fresh_group()
    first = held(group, 10, {a: E, b: A})
    held(group, 40, {a: P, b: P})
    said_no(first, b)
    lights = compute_lights(group.network_id)
    assert lights[a.pk].total == Tally(1, 1, 1)
    assert lights[b.pk].total == Tally(1, 1, 1)
    assert lights[b.pk].colour == GREEN_LIGHT


def test_an_i_cant_for_another_meeting_excuses_nothing():
    """A « I can't » excuses only the meeting it was given for (and someone who came anyway was present)."""
    group, (a, _b, _c) = fresh_group()
    held(group, 10, {a: A})
    other = held(group, 40, {a: P})
    said_no(other, a)
    assert compute_lights(group.network_id)[a.pk].total == Tally(2, 1, 0)


def test_events_count_when_their_check_in_was_used():
    """Confirmed registrations to past events with a check-in count; an event nobody was checked in at does not."""
    member = MembershipFactory()
    other = MembershipFactory(network=member.network)
    now = timezone.now()
    used = EventFactory(network=member.network, starts_at=now - datetime.timedelta(days=5))
    unused = EventFactory(network=member.network, starts_at=now - datetime.timedelta(days=6))
    missed = EventFactory(network=member.network, starts_at=now - datetime.timedelta(days=7))
    Registration.objects.create(event=used, user=member.leader.user, status="confirmed", seq=1, checked_in_at=now)
    Registration.objects.create(event=unused, user=member.leader.user, status="confirmed", seq=1)
    Registration.objects.create(event=missed, user=member.leader.user, status="confirmed", seq=1)
    Registration.objects.create(event=missed, user=other.leader.user, status="confirmed", seq=2, checked_in_at=now)
    Registration.objects.create(event=used, user=other.leader.user, status="waiting", seq=2)
    lights = compute_lights(member.network_id)
    assert lights[member.leader_id].components["events"] == Tally(2, 1, 0)
    assert lights[other.leader_id].components["events"] == Tally(1, 1, 0)


def test_a_member_with_nothing_offered_has_no_light():
    """A member of a network with no meeting held and no event is left out (grey)."""
    member = MembershipFactory()
    assert member.leader_id not in compute_lights(member.network_id)


def test_a_registered_component_adds_to_the_light(monkeypatch):
    """A component added to the registry (referrals, answers…) counts in every light."""
    group, (a, _b, _c) = fresh_group()
    held(group, 10, {a: P})
    monkeypatch.setitem(components.REGISTRY, "referrals", components.Component(
        "referrals", "referrals", lambda network_id, window, ids: {a.pk: Tally(3, 0, 0)}))
    light = compute_lights(group.network_id)[a.pk]
    assert light.total == Tally(4, 1, 0) and light.colour == RED
    assert [label for label, _t in light.parts()][1:] == ["referrals"]


def test_other_networks_meetings_do_not_count():
    """A network's light reads only that network's meetings."""
    group, (a, _b, _c) = fresh_group()
    held(group, 10, {a: A})
    elsewhere = MembershipFactory(leader=a)
    assert a.pk not in compute_lights(elsewhere.network_id)
