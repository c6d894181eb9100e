"""Invitations: one pending per person and network, signed expiring links, accept and decline."""

import pytest
from django.core import signing
from django.test import override_settings

from meute.core.models import AuditEntry
from meute.members.exceptions import InvitationInvalid
from meute.members.invitations import (
    do_accept_invitation,
    do_decline_invitation,
    do_invite,
    do_renew_key,
    read_invitation_token,
)
from meute.members.models import InvitationKind, InvitationStatus, Membership, MembershipStatus
from tests.factories import LeaderFactory, MembershipFactory, NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db


def _join_invitation():
    person = LeaderFactory()
    MembershipFactory(leader=person)
    staff = UserFactory()
    network = NetworkFactory()
    invitation, _ = do_invite(person.user, network, kind=InvitationKind.JOIN, acting_user=staff)
    return person, network, invitation


def test_inviting_twice_keeps_one_pending_invitation():
    """A second invitation of the same person to the same network returns the pending one."""
    person, network, first = _join_invitation()
    again, created = do_invite(person.user, network, kind=InvitationKind.JOIN, acting_user=UserFactory())
    assert (again.pk, created) == (first.pk, False)


def test_join_invitation_creates_no_membership_before_acceptance():
    """Until the person accepts, the inviting network holds no membership of theirs."""
    person, network, _ = _join_invitation()
    assert not Membership.objects.filter(leader=person, network=network).exists()


def test_accepting_creates_the_membership_and_logs_it():
    """Accepting a join invitation gives the membership it promised, with an audit entry."""
    person, network, invitation = _join_invitation()
    do_accept_invitation(invitation, acting_user=person.user)
    assert Membership.objects.get(leader=person, network=network).status == MembershipStatus.ACTIVE
    assert AuditEntry.objects.filter(action="members.invitation.accepted", object_id=str(invitation.pk)).exists()


def test_only_the_invited_person_may_accept():
    """Someone else holding the invitation cannot accept it."""
    _person, _network, invitation = _join_invitation()
    with pytest.raises(InvitationInvalid):
        do_accept_invitation(invitation, acting_user=UserFactory())


def test_an_answered_invitation_cannot_be_answered_again():
    """Declining after accepting is refused (no double effect)."""
    person, _network, invitation = _join_invitation()
    do_accept_invitation(invitation, acting_user=person.user)
    with pytest.raises(InvitationInvalid):
        do_decline_invitation(invitation, acting_user=person.user)


def test_link_reads_back_its_invitation():
    """The token of the latest sending leads to the invitation."""
    _person, _network, invitation = _join_invitation()
    token = do_renew_key(invitation, acting_user=None)
    assert read_invitation_token(token).pk == invitation.pk


def test_an_older_link_stops_working_after_a_new_sending():
    """Resending draws a new key: the first e-mail's link is refused."""
    _person, _network, invitation = _join_invitation()
    old = do_renew_key(invitation, acting_user=None)
    do_renew_key(invitation, acting_user=None)
    with pytest.raises(InvitationInvalid, match="newer invitation"):
        read_invitation_token(old)


def test_an_expired_link_is_refused():
    """A link older than MEUTE_INVITATION_DAYS is refused as expired."""
    _person, _network, invitation = _join_invitation()
    token = do_renew_key(invitation, acting_user=None)
    with override_settings(MEUTE_INVITATION_DAYS=-1), pytest.raises(InvitationInvalid, match="expired"):
        read_invitation_token(token)


def test_a_used_link_is_refused():
    """Once accepted, the same link says the invitation was already answered."""
    person, _network, invitation = _join_invitation()
    token = do_renew_key(invitation, acting_user=None)
    do_accept_invitation(invitation, acting_user=person.user)
    with pytest.raises(InvitationInvalid, match="already been answered"):
        read_invitation_token(token)


def test_a_tampered_link_is_refused():
    """A token signed with another salt (or edited) is not valid."""
    _person, _network, invitation = _join_invitation()
    forged = signing.dumps({"i": invitation.pk, "k": invitation.key}, compress=True)
    with pytest.raises(InvitationInvalid, match="not valid"):
        read_invitation_token(forged)


def test_declining_a_new_account_invitation_ends_the_membership():
    """A person the network created who declines is no longer an active member of it."""
    person = LeaderFactory()
    network = NetworkFactory()
    MembershipFactory(leader=person, network=network)
    invitation, _ = do_invite(person.user, network, kind=InvitationKind.NEW_ACCOUNT, acting_user=None)
    do_decline_invitation(invitation, acting_user=person.user)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert Membership.objects.get(leader=person, network=network).status == MembershipStatus.LEFT
