import datetime

import pytest
from django.core import mail
from django.utils import timezone

from meute.core.audit import entries_for
from meute.events.exceptions import EventError, RegistrationError
from meute.events.models import RegistrationStatus
from meute.events.services import check_cancel, check_create_event, check_register, check_update_event
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def member_of(event):
    return MembershipFactory(network=event.network).leader.user


def test_registration_confirms_while_seats_remain():
    """A member registering for an event with free seats is confirmed, and it is audited."""
    event = EventFactory(capacity=2)
    registration = check_register(event, member_of(event))
    assert registration.status == RegistrationStatus.CONFIRMED and entries_for(registration).exists()


def test_full_event_puts_people_on_the_waiting_list_in_order():
    """Past capacity, registrations wait in the order they arrived."""
    event = EventFactory(capacity=1)
    first, second, third = (check_register(event, member_of(event)) for _ in range(3))
    assert [r.status for r in (first, second, third)] == ["confirmed", "waiting", "waiting"]
    assert second.seq < third.seq


def test_cancelling_promotes_the_first_waiting_and_notifies_them(django_capture_on_commit_callbacks):
    """A cancelled seat goes to the first person waiting, who gets an e-mail."""
    event = EventFactory(capacity=1)
    seated = check_register(event, member_of(event))
    waiting = check_register(event, member_of(event))
    check_register(event, member_of(event))
    with django_capture_on_commit_callbacks(execute=True):
        check_cancel(seated, acting_user=seated.user)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED and mail.outbox[0].to == [waiting.user.email]


def test_double_registration_is_refused():
    """Registering twice is refused and leaves one registration."""
    event = EventFactory()
    user = member_of(event)
    check_register(event, user)
    with pytest.raises(RegistrationError, match="already registered"):
        check_register(event, user)
    assert event.registrations.count() == 1


def test_past_event_refuses_registration():
    """An event that has started takes no registration."""
    event = EventFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(RegistrationError, match="started"):
        check_register(event, member_of(event))
    assert event.registrations.count() == 0


def test_members_only_event_refuses_outsiders():
    """Someone outside the network cannot register to a members-only event."""
    event = EventFactory(audience="members")
    with pytest.raises(RegistrationError):
        check_register(event, UserFactory())


def test_public_event_accepts_anyone_logged_in():
    """Anyone with an account can register to a public event."""
    event = EventFactory(audience="public")
    assert check_register(event, UserFactory()).status == RegistrationStatus.CONFIRMED


def test_cancelled_registration_can_register_again_at_the_end():
    """After cancelling, registering again queues at the end of the list."""
    event = EventFactory(capacity=1)
    user = member_of(event)
    first = check_register(event, user)
    other = check_register(event, member_of(event))
    check_cancel(first, acting_user=user)
    again = check_register(event, user)
    assert (again.pk, again.status, again.seq > other.seq) == (first.pk, "waiting", True)


def test_staff_of_another_network_cannot_create_events():
    """Creating an event needs the staff role in its network."""
    event = EventFactory()
    with pytest.raises(EventError):
        check_create_event(event.network, acting_user=NetworkRoleFactory().user, kind="workshop", title="x",
                           starts_at=event.starts_at, ends_at=event.ends_at)


def test_event_in_the_past_cannot_be_created():
    """An event starting in the past is refused."""
    staff = NetworkRoleFactory()
    start = timezone.now() - datetime.timedelta(days=1)
    with pytest.raises(EventError, match="past"):
        check_create_event(staff.network, acting_user=staff.user, kind="workshop", title="x", starts_at=start,
                           ends_at=start + datetime.timedelta(hours=2))


def test_capacity_below_confirmed_count_is_refused():
    """Capacity cannot drop below the number already confirmed."""
    event = EventFactory(capacity=5)
    staff = NetworkRoleFactory(network=event.network).user
    for _ in range(3):
        check_register(event, member_of(event))
    with pytest.raises(EventError):
        check_update_event(event, acting_user=staff, capacity=2)


def test_room_screen_advances_one_round_at_a_time_up_to_the_last():
    """Staff move the room screen forward round by round, never past the plan, and it is audited."""
    from meute.events.services import check_next_round

    event = EventFactory(kind="speed_meeting")
    staff = NetworkRoleFactory(network=event.network).user
    for _ in range(3):
        check_next_round(event, rounds_planned=2, acting_user=staff)
    assert event.current_round == 2 and entries_for(event).filter(action="events.room.round_started").count() == 3


def test_a_participant_cannot_advance_the_room_screen():
    """Only staff run the room screen."""
    from meute.events.services import check_next_round

    event = EventFactory(kind="speed_meeting")
    with pytest.raises(EventError):
        check_next_round(event, rounds_planned=8, acting_user=member_of(event))


def _speed_meeting(staff, *, hours, rounds, minutes, kind="speed_meeting"):
    start = timezone.now() + datetime.timedelta(days=3)
    return check_create_event(staff.network, acting_user=staff.user, kind=kind, title="Rencontres", starts_at=start,
                              ends_at=start + datetime.timedelta(hours=hours), rounds=rounds, round_minutes=minutes)


def test_speed_meeting_rounds_longer_than_the_event_are_refused():
    """30 rounds of 120 minutes do not fit a two-hour speed meeting: refused on the rounds field."""
    with pytest.raises(EventError) as error:
        _speed_meeting(NetworkRoleFactory(), hours=2, rounds=30, minutes=120)
    assert error.value.field == "rounds"


def test_speed_meeting_rounds_that_fill_the_event_exactly_are_taken():
    """12 rounds of 10 minutes fill a two-hour speed meeting: accepted."""
    assert _speed_meeting(NetworkRoleFactory(), hours=2, rounds=12, minutes=10).pk


def test_a_workshop_is_not_held_to_speed_meeting_rounds():
    """The rounds only bind a speed meeting; a workshop's unused defaults change nothing."""
    assert _speed_meeting(NetworkRoleFactory(), hours=1, rounds=30, minutes=120, kind="workshop").pk


def test_lengthening_the_rounds_of_a_speed_meeting_past_its_end_is_refused():
    """An edit that makes the rounds outlast the event is refused, the event unchanged."""
    staff = NetworkRoleFactory()
    event = _speed_meeting(staff, hours=2, rounds=8, minutes=10)
    with pytest.raises(EventError):
        check_update_event(event, acting_user=staff.user, round_minutes=20)
    event.refresh_from_db()
    assert event.round_minutes == 10
