"""Back-office changes two staff members can click at once, on PostgreSQL only."""

import pytest
from django.db import connection

from meute.core.exceptions import MeuteError
from meute.members.backoffice import check_bulk_update_memberships, check_revoke_role
from meute.members.models import FeeStatus, Membership, NetworkRole, Role
from tests.concurrency.helpers import race
from tests.factories import MembershipFactory, NetworkFactory, NetworkRoleFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _race(calls):
    """Each call's outcome, sorted: "ok" or "refused"."""
    return sorted("refused" if isinstance(o, MeuteError) else "ok" for o in race(*calls))


def test_two_staff_removing_each_other_at_once_leave_one_staff():
    """Two staff members who remove each other's role at the same moment: one removal is refused."""
    network = NetworkFactory()
    a, b = (NetworkRoleFactory(network=network, role=Role.STAFF) for _ in range(2))
    outcome = _race([lambda: check_revoke_role(a, acting_user=b.user),
                     lambda: check_revoke_role(b, acting_user=a.user)])
    assert outcome == ["ok", "refused"]
    assert NetworkRole.objects.filter(network=network, role=Role.STAFF).count() == 1


def test_simultaneous_bulk_actions_each_apply_whole():
    """Two bulk actions on the same 30 memberships at once: each applies to all of them, none half-way."""
    network = NetworkFactory()
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    ids = [MembershipFactory(network=network).pk for _ in range(30)]
    outcome = _race([
        lambda: check_bulk_update_memberships(network, ids, acting_user=staff, fee_status=FeeStatus.PAID),
        lambda: check_bulk_update_memberships(network, ids, acting_user=staff, status="alumni"),
    ])
    rows = set(Membership.objects.filter(pk__in=ids).values_list("status", "fee_status"))
    assert (outcome, rows) == (["ok", "ok"], {("alumni", "paid")})
