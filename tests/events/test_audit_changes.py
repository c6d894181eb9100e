"""Events' services leave audit entries with the old and new values, in the event's network."""

import pytest

from meute.core.audit import entries_for
from meute.events.services import check_cancel, check_next_round, check_register, check_set_presence, check_update_event
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory

pytestmark = pytest.mark.django_db


def staff_of(event):
    return NetworkRoleFactory(network=event.network).user


def test_event_update_logs_old_and_new_values():
    """Changing an event's title and capacity logs both values before and after, in its network."""
    event = EventFactory(title="Atelier RH", capacity=20)
    check_update_event(event, acting_user=staff_of(event), title="Atelier paie", capacity=30)
    entry = entries_for(event).get(action="events.event.updated")
    assert entry.changes == {"title": ["Atelier RH", "Atelier paie"], "capacity": [20, 30]}
    assert list(entry.networks.all()) == [event.network]


def test_cancel_and_promotion_log_each_status_change():
    """A cancellation logs confirmed → cancelled and the promotion waiting → confirmed."""
    event = EventFactory(capacity=1)
    seated = check_register(event, MembershipFactory(network=event.network).leader.user)
    waiting = check_register(event, MembershipFactory(network=event.network).leader.user)
    check_cancel(seated, acting_user=seated.user)
    assert entries_for(seated).get(action="events.registration.cancelled").changes == {
        "status": ["confirmed", "cancelled"]}
    promoted = entries_for(waiting).get(action="events.registration.promoted")
    assert promoted.changes == {"status": ["waiting", "confirmed"]}
    assert list(promoted.networks.all()) == [event.network]


def test_check_in_logs_presence_before_and_after():
    """Checking a participant in logs the absent flag and arrival time before and after."""
    event = EventFactory()
    registration = check_register(event, MembershipFactory(network=event.network).leader.user)
    check_set_presence(registration, present=True, acting_user=staff_of(event))
    entry = entries_for(registration).get(action="events.registration.presence")
    assert entry.changes["checked_in_at"][0] is None and entry.changes["checked_in_at"][1]
    assert "absent" not in entry.changes  # it was already False


def test_next_round_logs_the_round_before_and_after():
    """The room screen's next round logs the round number it moved from and to."""
    event = EventFactory(kind="speed_meeting")
    check_next_round(event, rounds_planned=3, acting_user=staff_of(event))
    assert entries_for(event).get(action="events.room.round_started").changes == {"current_round": [0, 1]}
