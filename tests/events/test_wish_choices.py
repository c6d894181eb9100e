"""Whom a participant may ask to meet at a speed meeting: only people they may see elsewhere, by name."""

import pytest

from meute.events.queries import list_wish_choices
from meute.events.services import do_register
from meute.members.models import Role
from tests.factories import (
    LeaderFactory,
    MembershipFactory,
    NetworkRoleFactory,
    UserFactory,
    speed_meeting,
)

pytestmark = pytest.mark.django_db


def registered(event, **leader):
    """A confirmed participant, member of the event's network."""
    member = MembershipFactory(network=event.network, leader=LeaderFactory(**leader)).leader
    do_register(event, member.user, offers="", needs="", wishes=[])
    return member


def offered(user, event):
    return {user_id for user_id, _name in list_wish_choices(user, event)}


def test_a_listed_participant_is_offered_to_another_member():
    """A participant who agreed to be listed can be chosen by another member."""
    event = speed_meeting(0)
    listed, viewer = registered(event), registered(event)
    assert listed.user_id in offered(viewer.user, event)


def test_a_participant_who_did_not_consent_is_not_offered_to_a_member():
    """Without their consent to be listed, a participant is not shown to other members."""
    event = speed_meeting(0)
    hidden, viewer = registered(event, directory_consent_at=None), registered(event)
    assert hidden.user_id not in offered(viewer.user, event)


def test_a_participant_who_chose_not_to_be_listed_is_not_offered_to_a_member():
    """A participant who unticked « listed » is not shown to other members."""
    event = speed_meeting(0)
    hidden, viewer = registered(event, listed=False), registered(event)
    assert hidden.user_id not in offered(viewer.user, event)


def test_the_network_staff_are_offered_their_unlisted_members():
    """Staff of the event's network see their own members, listed or not, as they do elsewhere."""
    event = speed_meeting(0)
    hidden = registered(event, listed=False)
    staff = NetworkRoleFactory(network=event.network, role=Role.STAFF).user
    assert hidden.user_id in offered(staff, event)


def test_a_participant_without_a_name_is_offered_by_company_never_by_address():
    """The label is the person's name or their company's, never their e-mail address."""
    event = speed_meeting(0)
    nameless = registered(event, user=UserFactory(first_name="", last_name="", email="secret@example.org"))
    viewer = registered(event)
    labels = dict(list_wish_choices(viewer.user, event))
    assert labels[nameless.user_id] == nameless.company.name


def test_oneself_is_not_offered():
    """Nobody asks to meet themselves."""
    event = speed_meeting(0)
    viewer = registered(event)
    registered(event)
    assert viewer.user_id not in offered(viewer.user, event)


def test_the_event_page_names_no_unlisted_participant_to_a_member(client):
    """The registration form of the event's page does not carry the name of an unlisted participant."""
    event = speed_meeting(0)
    hidden = registered(event, listed=False, user=UserFactory(first_name="Zoé", last_name="Sansconsent"))
    member = MembershipFactory(network=event.network).leader
    client.force_login(member.user)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert hidden.user.last_name not in page
