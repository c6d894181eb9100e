"""Consent: nobody is listed before accepting an invitation or choosing "listed" themselves."""

import pytest

from meute.members.exceptions import MemberError
from meute.members.invitations import do_accept_invitation, do_activate_account, do_invite
from meute.members.models import InvitationKind, Leader, Visibility
from meute.members.queries import list_directory
from meute.members.services import check_update_profile
from tests.factories import LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _unconsented_member(**leader):
    member = MembershipFactory(leader=LeaderFactory(directory_consent_at=None, **leader))
    member.leader.refresh_from_db()
    return member


def test_listed_without_consent_is_not_in_the_directory():
    """A leader marked listed but who never consented stays out of the directory."""
    member = _unconsented_member(listed=True)
    viewer = MembershipFactory(network=member.network).leader.user
    assert not member.leader.in_directory
    assert not list_directory(viewer).filter(pk=member.leader_id).exists()


def test_accepting_an_invitation_gives_consent():
    """Accepting a join invitation records the consent date and lists a leader who is listed."""
    member = _unconsented_member(listed=True)
    network = NetworkFactory()
    invitation, _ = do_invite(member.leader.user, network, kind=InvitationKind.JOIN, acting_user=UserFactory())
    do_accept_invitation(invitation, acting_user=member.leader.user)
    leader = Leader.objects.get(pk=member.leader_id)
    assert leader.directory_consent_at is not None and leader.in_directory


def test_choosing_listed_oneself_gives_consent():
    """A leader who ticks "listed" on their own profile consents and appears in the directory."""
    member = _unconsented_member(listed=False)
    check_update_profile(member.leader, acting_user=member.leader.user, listed=True)
    leader = Leader.objects.get(pk=member.leader_id)
    assert leader.directory_consent_at is not None and leader.in_directory


def test_staff_cannot_list_someone_else():
    """Network staff setting "listed" for a member is refused and changes nothing."""
    member = _unconsented_member(listed=False)
    staff = NetworkRoleFactory(network=member.network).user
    with pytest.raises(MemberError):
        check_update_profile(member.leader, acting_user=staff, listed=True)
    leader = Leader.objects.get(pk=member.leader_id)
    assert (leader.listed, leader.directory_consent_at, leader.in_directory) == (False, None, False)


def test_activation_sets_password_terms_and_keeps_private_choices():
    """Activating an imported account sets the password and terms date; it stays unlisted and private."""
    member = _unconsented_member(listed=False, email_visibility=Visibility.PRIVATE,
                                 phone_visibility=Visibility.PRIVATE)
    user = member.leader.user
    user.set_unusable_password()
    user.save()
    invitation, _ = do_invite(user, member.network, kind=InvitationKind.NEW_ACCOUNT, acting_user=UserFactory())
    do_activate_account(invitation, password="Un-mot-de-passe-solide", acting_user=user)
    user.refresh_from_db()
    invitation.refresh_from_db()
    leader = Leader.objects.get(pk=member.leader_id)
    assert user.check_password("Un-mot-de-passe-solide") and invitation.terms_accepted_at is not None
    assert leader.directory_consent_at is not None and not leader.in_directory
    assert leader.email_visibility == Visibility.PRIVATE


def test_migration_kept_listed_leaders_listed():
    """The data migration gives existing listed leaders a consent date (so the demo stays populated)."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("meute.members.migrations.0008_directory_consent_for_listed_leaders")
    listed = LeaderFactory(listed=True, directory_consent_at=None)
    hidden = LeaderFactory(listed=False, directory_consent_at=None)
    migration.forwards(apps, None)
    listed.refresh_from_db()
    hidden.refresh_from_db()
    assert listed.directory_consent_at is not None and hidden.directory_consent_at is None
