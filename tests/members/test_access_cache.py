"""The person's networks and roles are cached between requests and follow every change at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meute.accounts.models import User
from meute.members.access import access_facts, read_access_facts
from meute.members.backoffice import check_end_membership, check_revoke_role
from meute.members.models import MembershipStatus, NetworkRole, Role
from meute.members.services import check_grant_role
from tests.factories import MembershipFactory, NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)


def test_facts_name_memberships_roles_and_staff_roles():
    """One query gives the active memberships, every role and the staff roles."""
    membership = MembershipFactory()
    MembershipFactory(leader=membership.leader, status=MembershipStatus.LEFT)
    sponsor = NetworkRoleFactory(user=membership.leader.user, role=Role.SPONSOR)
    staff = NetworkRoleFactory(user=membership.leader.user, role=Role.STAFF)
    with CaptureQueriesContext(connection) as queries:
        facts = read_access_facts(membership.leader.user_id)
    assert len(queries) == 1
    assert facts.member == {membership.network_id}
    assert facts.roles == {sponsor.network_id, staff.network_id}
    assert facts.staff == {staff.network_id}


def test_second_request_reads_no_membership_or_role():
    """A later request of the same person takes the networks and roles from the cache."""
    user = MembershipFactory().leader.user
    access_facts(_fresh(user))
    with CaptureQueriesContext(connection) as queries:
        access_facts(_fresh(user))
    assert not [q for q in queries if "members_membership" in q["sql"] or "members_networkrole" in q["sql"]]


def test_role_removed_takes_effect_on_the_next_request(client):
    """Staff whose role is removed lose the member list on their very next request."""
    grant = NetworkRoleFactory(role=Role.STAFF)
    NetworkRoleFactory(network=grant.network, role=Role.STAFF)  # the network keeps a staff member
    url = reverse("web:network_members", args=[grant.network.slug])
    client.force_login(grant.user)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # served with the cached roles
    check_revoke_role(grant, acting_user=UserFactory(is_superuser=True))
    assert client.get(url).status_code == 404


def test_role_granted_takes_effect_on_the_next_request(client):
    """A person made staff sees the member list on their next request."""
    membership = MembershipFactory()
    url = reverse("web:network_members", args=[membership.network.slug])
    client.force_login(membership.leader.user)
    assert client.get(url).status_code == 404
    check_grant_role(membership.network, membership.leader.user, Role.STAFF, acting_user=UserFactory(is_superuser=True))
    assert client.get(url).status_code == 200


def test_membership_ended_closes_the_directory_on_the_next_request(client):
    """A member whose only membership ends no longer sees the directory on the next request."""
    membership = MembershipFactory()
    MembershipFactory()
    staff = NetworkRoleFactory(network=membership.network, role=Role.STAFF).user
    client.force_login(membership.leader.user)
    assert client.get(reverse("web:directory")).context["allowed"]
    check_end_membership(membership, acting_user=staff)
    assert not client.get(reverse("web:directory")).context["allowed"]


def test_a_stale_user_object_saved_later_keeps_the_new_version():
    """Saving a user loaded before a role change does not bring the old cache key back."""
    grant = NetworkRoleFactory(role=Role.STAFF)
    stale = _fresh(grant.user)
    NetworkRole.objects.filter(pk=grant.pk).delete()
    stale.first_name = "Nouveau"
    stale.save()
    assert _fresh(grant.user).access_version > stale.access_version
    assert access_facts(_fresh(grant.user)).staff == frozenset()
