import pytest

from meute.core.audit import entries_for
from meute.members.exceptions import InvalidMemberData, MemberError
from meute.members.models import MembershipStatus, Role
from meute.members.services import (
    check_grant_role,
    check_set_membership_status,
    check_update_network,
    check_update_profile,
)
from tests.factories import LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_profile_update_changes_fields_and_is_audited():
    """A leader's profile change is saved and audited with before/after values."""
    leader = LeaderFactory(function="Gérant")
    check_update_profile(leader, acting_user=leader.user, function="Présidente", tags=["repreneur"])
    leader.refresh_from_db()
    entry = entries_for(leader).get(action="members.leader.profile_updated")
    assert (leader.function, leader.tags, entry.changes["function"]) == ("Présidente", "repreneur",
                                                                                ["Gérant", "Présidente"])


def test_profile_update_rejects_unknown_tag():
    """An unknown profile tag is refused and nothing changes."""
    leader = LeaderFactory(tags="")
    with pytest.raises(InvalidMemberData):
        check_update_profile(leader, acting_user=leader.user, tags=["astronaute"])
    leader.refresh_from_db()
    assert leader.tags == ""


def test_another_member_cannot_edit_a_profile():
    """A member may not edit someone else's profile."""
    leader = LeaderFactory()
    with pytest.raises(MemberError):
        check_update_profile(leader, acting_user=UserFactory(), function="x")


def test_staff_of_network_a_cannot_update_network_b():
    """Staff of one network may not change another network."""
    staff_a = NetworkRoleFactory(role=Role.STAFF).user
    network_b = NetworkFactory(name="B")
    with pytest.raises(MemberError):
        check_update_network(network_b, acting_user=staff_a, name="Hijacked")
    network_b.refresh_from_db()
    assert network_b.name == "B"


def test_staff_updates_their_network_with_audit():
    """Staff of a network change it, and the change is audited."""
    grant = NetworkRoleFactory(role=Role.STAFF)
    check_update_network(grant.network, acting_user=grant.user, cadence="mensuelle")
    assert entries_for(grant.network).get().changes["cadence"][1] == "mensuelle"


def test_only_staff_grant_roles():
    """A member cannot make themselves facilitator."""
    membership = MembershipFactory()
    with pytest.raises(MemberError):
        check_grant_role(membership.network, membership.leader.user, Role.FACILITATOR,
                         acting_user=membership.leader.user)


def test_membership_status_change_sets_end_date_and_audits():
    """Moving a member to alumni records the end date and an audit entry."""
    membership = MembershipFactory()
    staff = NetworkRoleFactory(network=membership.network).user
    check_set_membership_status(membership, MembershipStatus.ALUMNI, acting_user=staff)
    membership.refresh_from_db()
    assert (membership.left_on is not None, entries_for(membership).count()) == (True, 1)
