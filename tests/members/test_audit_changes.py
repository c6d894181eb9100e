"""Members' services leave audit entries with the old and new values and the networks concerned."""

import pytest

from meute.core.audit import entries_for
from meute.members.models import MembershipStatus, Role
from meute.members.services import (
    MemberData,
    check_grant_role,
    check_set_membership_status,
    check_update_network,
    check_update_profile,
    do_upsert_member,
)
from meute.territory.models import Commune
from tests.factories import LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_profile_edit_is_logged_with_old_and_new_values_in_the_members_networks():
    """Staff changing a member's profile: who, the old and new values, and the member's networks."""
    membership = MembershipFactory(leader=LeaderFactory(function="Gérant", phone="05 00"))
    other = MembershipFactory(leader=membership.leader)
    staff = NetworkRoleFactory(network=membership.network, role=Role.STAFF).user
    NetworkRoleFactory(network=other.network, role=Role.STAFF, user=staff)  # staff may edit: they manage both
    check_update_profile(membership.leader, acting_user=staff, function="Présidente", expertise="Export")
    entry = entries_for(membership.leader).get(action="members.leader.profile_updated")
    assert (entry.actor, entry.changes) == (staff, {"function": ["Gérant", "Présidente"], "expertise": ["", "Export"]})
    assert set(entry.networks.all()) == {membership.network, other.network}


def test_network_update_is_logged_with_typed_old_and_new_values():
    """A network change keeps each changed field's old and new value."""
    grant = NetworkRoleFactory(role=Role.STAFF, network=NetworkFactory(max_size=None, allows_business=True))
    check_update_network(grant.network, acting_user=grant.user, max_size=20, allows_business=False, cadence="")
    entry = entries_for(grant.network).get(action="members.network.updated")
    assert entry.changes == {"max_size": [None, 20], "allows_business": [True, False]}
    assert list(entry.networks.all()) == [grant.network]


def test_membership_status_change_is_logged_with_old_and_new_status():
    """Moving a member to alumni logs the status and end date before and after."""
    membership = MembershipFactory()
    staff = NetworkRoleFactory(network=membership.network).user
    check_set_membership_status(membership, MembershipStatus.ALUMNI, acting_user=staff)
    entry = entries_for(membership).get(action="members.membership.status_changed")
    assert entry.changes["status"] == ["active", "alumni"]
    assert entry.changes["left_on"][0] is None and entry.changes["left_on"][1] == membership.left_on.isoformat()
    assert list(entry.networks.all()) == [membership.network]


def test_role_grant_is_logged_on_the_role_in_its_network():
    """Granting a role logs the person and role as new values, in the role's network."""
    grant = NetworkRoleFactory(role=Role.STAFF)
    person = UserFactory(email="fa@example.org")
    MembershipFactory(leader=LeaderFactory(user=person), network=grant.network)  # staff name their own members only
    role = check_grant_role(grant.network, person, Role.FACILITATOR, acting_user=grant.user)
    entry = entries_for(role).get(action="members.role.granted")
    assert entry.changes == {"user": [None, "fa@example.org"], "role": [None, "facilitator"]}
    assert list(entry.networks.all()) == [grant.network]


def test_reimporting_a_member_logs_what_changed():
    """Importing a known member again logs the leader's changed fields, in the importing network."""
    network, commune = NetworkFactory(), Commune.objects.get(pk="86194")
    data = MemberData(email="m@example.org", first_name="M", last_name="N", company_name="Acme",
                      siret="73282932000074", naf_code="62.01Z", commune=commune, function="Gérant")
    leader, _created = do_upsert_member(data, network=network, acting_user=None)
    data.function = "Directeur"
    do_upsert_member(data, network=network, acting_user=None)
    entry = entries_for(leader).get(action="members.leader.updated")
    assert entry.changes == {"function": ["Gérant", "Directeur"]}
    assert list(entry.networks.all()) == [network]
