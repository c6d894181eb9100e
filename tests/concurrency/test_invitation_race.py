"""Invitation and erasure races, on PostgreSQL only (SQLite serialises every write)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from meute.core.models import AuditEntry
from meute.members.exceptions import InvitationInvalid, MemberError
from meute.members.invitations import do_activate_account, do_invite
from meute.members.models import ErasureStatus, Invitation, InvitationKind, InvitationStatus
from meute.members.privacy import check_confirm_erasure, check_request_erasure
from tests.factories import MembershipFactory, NetworkRoleFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]
THREADS = 8


def _race(action):
    start = threading.Barrier(THREADS)
    outcomes = []

    def run(index: int) -> None:
        start.wait()
        try:
            action(index)
            outcomes.append("ok")
        except (InvitationInvalid, MemberError):
            outcomes.append("refused")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(run, range(THREADS)))
    return outcomes


def test_simultaneous_activations_accept_the_invitation_once():
    """Eight submissions of the same invitation page at once: one activation, one password, one audit entry."""
    member = MembershipFactory()
    user = member.leader.user
    staff = NetworkRoleFactory(network=member.network).user
    invitation, _ = do_invite(user, member.network, kind=InvitationKind.NEW_ACCOUNT, acting_user=staff)
    outcomes = _race(lambda i: do_activate_account(invitation, password=f"Passe-solide-{i}", acting_user=user))
    assert sorted(outcomes) == ["ok"] + ["refused"] * (THREADS - 1)
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.ACCEPTED
    assert AuditEntry.objects.filter(action="members.invitation.accepted").count() == 1


def test_simultaneous_confirmations_anonymise_once():
    """Several staff confirming the same erasure at once: one anonymisation, the others are told it was handled."""
    member = MembershipFactory()
    staff = [NetworkRoleFactory(network=member.network).user for _ in range(THREADS)]
    request = check_request_erasure(member.leader.user, acting_user=member.leader.user)
    outcomes = _race(lambda i: check_confirm_erasure(request, acting_user=staff[i]))
    assert sorted(outcomes) == ["ok"] + ["refused"] * (THREADS - 1)
    request.refresh_from_db()
    assert request.status == ErasureStatus.DONE
    assert AuditEntry.objects.filter(action="members.person.anonymised").count() == 1
