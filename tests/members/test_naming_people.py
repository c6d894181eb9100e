"""A staff action that names an existing person names only people of the networks the actor manages."""

import pytest

from meute.core.models import AuditEntry
from meute.events.exceptions import RegistrationError
from meute.events.models import Registration
from meute.events.services import check_register_by_staff
from meute.members.exceptions import MemberError
from meute.members.models import Membership, MembershipStatus, NetworkRole, Role
from meute.members.services import check_grant_role
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.services import check_add_candidate
from tests.factories import EventFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    """Network A with a member of A only; network B (a peer-group programme) and its staff."""
    network_a = NetworkFactory(name="A")
    network_b = NetworkFactory(name="B", family="peer", runs_peer_groups=True)
    return {
        "a_member": MembershipFactory(network=network_a).leader,
        "b": network_b,
        "b_member": MembershipFactory(network=network_b).leader,
        "staff_b": NetworkRoleFactory(network=network_b, role=Role.STAFF).user,
    }


def test_staff_of_b_cannot_enrol_a_member_of_a_as_candidate(setting):
    """B's staff cannot make a member of A a candidate; the refusal is the one for an unknown e-mail."""
    with pytest.raises(PeerGroupError) as refused:
        check_add_candidate(setting["b"], setting["a_member"].user.email, acting_user=setting["staff_b"])
    with pytest.raises(PeerGroupError) as unknown:
        check_add_candidate(setting["b"], "nobody@example.org", acting_user=setting["staff_b"])
    assert str(refused.value) == str(unknown.value)
    assert not Membership.objects.filter(leader=setting["a_member"], network=setting["b"]).exists()
    assert not AuditEntry.objects.filter(action="members.membership.created").exists()


def test_staff_of_b_enrol_their_own_member_as_candidate(setting):
    """B's staff make a member of B a candidate of B's programme."""
    check_add_candidate(setting["b"], setting["b_member"].user.email, acting_user=setting["staff_b"])
    membership = Membership.objects.get(leader=setting["b_member"], network=setting["b"])
    assert membership.status == MembershipStatus.CANDIDATE


def test_staff_of_b_cannot_register_a_member_of_a_for_bs_public_event(setting):
    """B's staff cannot register a member of A, even for a public event; the answer is the unknown one."""
    event = EventFactory(network=setting["b"], audience="public")
    with pytest.raises(RegistrationError) as refused:
        check_register_by_staff(event, setting["a_member"].user.email, acting_user=setting["staff_b"])
    with pytest.raises(RegistrationError) as unknown:
        check_register_by_staff(event, "nobody@example.org", acting_user=setting["staff_b"])
    assert str(refused.value) == str(unknown.value)
    assert not Registration.objects.filter(event=event).exists()


def test_staff_of_b_register_their_own_member_and_the_audit_names_them(setting):
    """B's staff register a member of B; the audit entry's actor is the staff member."""
    event = EventFactory(network=setting["b"])
    registration = check_register_by_staff(event, setting["b_member"].user.email, acting_user=setting["staff_b"])
    entry = AuditEntry.objects.get(action="events.registration.created", object_id=str(registration.pk))
    assert (registration.user, entry.actor, entry.data["user"]) == (
        setting["b_member"].user, setting["staff_b"], setting["b_member"].user.pk)


def test_staff_of_another_network_cannot_register_people_for_b(setting):
    """Staff of a third network cannot register anyone for B's event."""
    event = EventFactory(network=setting["b"])
    with pytest.raises(RegistrationError):
        check_register_by_staff(event, setting["b_member"].user.email,
                                acting_user=NetworkRoleFactory(role=Role.STAFF).user)
    assert not Registration.objects.filter(event=event).exists()


def test_staff_of_b_cannot_grant_a_role_to_a_member_of_a(setting):
    """B's staff cannot give a role in B to a member of A only."""
    with pytest.raises(MemberError):
        check_grant_role(setting["b"], setting["a_member"].user, Role.FACILITATOR, acting_user=setting["staff_b"])
    assert not NetworkRole.objects.filter(user=setting["a_member"].user).exists()
