"""Sending invitations: once per person, absolute links from SITE_URL, old links die, staff only."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from meute.core.models import AuditEntry
from meute.members.exceptions import InvitationInvalid, MemberError
from meute.members.invitations import do_invite, read_invitation_token
from meute.members.models import Invitation, InvitationKind, InvitationStatus
from meute.members.sending import (
    BACKGROUND_THRESHOLD,
    check_send_invitation,
    check_withdraw_invitation,
    send_invitations,
)
from tests.factories import NetworkFactory, NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https://reseau\.example\.org/invitation/([^/\s\"]+)/")


def _staff_and_invitations(count=2, *, language="fr"):
    role = NetworkRoleFactory()
    invitations = []
    for _ in range(count):
        person = UserFactory(language=language)
        person.set_unusable_password()
        person.save()
        invitation, _created = do_invite(person, role.network, kind=InvitationKind.NEW_ACCOUNT, acting_user=role.user)
        invitations.append(invitation)
    return role.user, role.network, invitations


@override_settings(SITE_URL="https://reseau.example.org")
def test_bulk_send_mails_each_person_once_with_an_absolute_link():
    """Sending a list with duplicates e-mails each person once, with a link on SITE_URL that opens."""
    staff, _network, invitations = _staff_and_invitations(3)
    report = send_invitations([i.pk for i in invitations] + [invitations[0].pk], acting_user=staff)
    assert report.sent == 3 and len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.user.email for i in invitations)
    for message in mail.outbox:
        token = LINK.search(message.body).group(1)
        assert read_invitation_token(token).user.email == message.to[0]
        assert LINK.search(message.alternatives[0][0])
    assert Invitation.objects.filter(send_count=1).count() == 3
    assert AuditEntry.objects.filter(action="members.invitation.sent").count() == 3


@override_settings(SITE_URL="https://reseau.example.org")
def test_email_is_french_and_names_the_network_and_inviter():
    """The e-mail is in French by default and says which network invites and who."""
    staff, network, [invitation] = _staff_and_invitations(1)
    send_invitations([invitation.pk], acting_user=staff)
    message = mail.outbox[0]
    assert network.name in message.subject and "vous invite" in message.subject
    assert staff.get_full_name() in message.body and "mot de passe" in message.body


@override_settings(SITE_URL="https://reseau.example.org")
def test_email_follows_the_person_language():
    """A person whose language is English gets the e-mail in English."""
    staff, _network, [invitation] = _staff_and_invitations(1, language="en")
    send_invitations([invitation.pk], acting_user=staff)
    assert "invites you" in mail.outbox[0].subject


@override_settings(SITE_URL="https://reseau.example.org")
def test_resending_kills_the_previous_link():
    """After a resend, the first link says a newer invitation was sent."""
    staff, _network, [invitation] = _staff_and_invitations(1)
    check_send_invitation(invitation, acting_user=staff)
    first = LINK.search(mail.outbox[0].body).group(1)
    check_send_invitation(invitation, acting_user=staff)
    second = LINK.search(mail.outbox[1].body).group(1)
    with pytest.raises(InvitationInvalid, match="newer invitation"):
        read_invitation_token(first)
    assert read_invitation_token(second).pk == invitation.pk
    invitation.refresh_from_db()
    assert invitation.send_count == 2


def test_staff_of_another_network_cannot_send():
    """Staff of network B cannot send network A's invitations (nothing is sent)."""
    _staff, _network, invitations = _staff_and_invitations(2)
    outsider = NetworkRoleFactory(network=NetworkFactory()).user
    with pytest.raises(MemberError):
        send_invitations([i.pk for i in invitations], acting_user=outsider)
    with pytest.raises(MemberError):
        check_send_invitation(invitations[0], acting_user=outsider)
    assert mail.outbox == [] and not Invitation.objects.filter(send_count__gt=0).exists()


def test_answered_invitations_are_skipped():
    """An invitation already withdrawn is not sent, and counted as skipped."""
    staff, _network, invitations = _staff_and_invitations(2)
    check_withdraw_invitation(invitations[0], acting_user=staff)
    report = send_invitations(Invitation.objects.all(), acting_user=staff)
    assert (report.sent, report.skipped) == (1, 1) and len(mail.outbox) == 1


def test_withdrawing_kills_the_link_and_is_logged():
    """A withdrawn invitation's link says so; the withdrawal is in the audit log."""
    staff, _network, [invitation] = _staff_and_invitations(1)
    check_send_invitation(invitation, acting_user=staff)
    token = re.search(r"/invitation/([^/\s]+)/", mail.outbox[0].body).group(1)
    check_withdraw_invitation(invitation, acting_user=staff)
    with pytest.raises(InvitationInvalid, match="withdrawn"):
        read_invitation_token(token)
    assert Invitation.objects.get().status == InvitationStatus.REVOKED
    assert AuditEntry.objects.filter(action="members.invitation.withdrawn").exists()


def test_large_batches_go_through_the_background_task():
    """Above the threshold the sending is queued (immediate backend in tests) and still reaches everyone."""
    staff, _network, _invitations = _staff_and_invitations(BACKGROUND_THRESHOLD + 1)
    report = send_invitations(Invitation.objects.all(), acting_user=staff)
    assert report.queued == BACKGROUND_THRESHOLD + 1 and report.sent == 0
    assert len(mail.outbox) == BACKGROUND_THRESHOLD + 1
    assert AuditEntry.objects.filter(action="members.invitation.batch_queued").exists()


def test_staff_can_only_invite_to_their_networks():
    """check_invite refuses staff of another network and creates nothing."""
    from meute.members.invitations import check_invite

    person = UserFactory()
    network = NetworkFactory()
    outsider = NetworkRoleFactory(network=NetworkFactory()).user
    with pytest.raises(InvitationInvalid):
        check_invite(person, network, kind=InvitationKind.JOIN, acting_user=outsider)
    assert not Invitation.objects.exists()
    own = NetworkRoleFactory(network=network).user
    invitation, created = check_invite(person, network, kind=InvitationKind.JOIN, acting_user=own)
    assert created and invitation.network == network


def test_a_failing_mail_server_does_not_undo_the_sending(monkeypatch):
    """If the e-mail cannot leave, the sending stays recorded and no error reaches the caller."""
    staff, _network, [invitation] = _staff_and_invitations(1)

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    send_invitations([invitation.pk], acting_user=staff)
    invitation.refresh_from_db()
    assert invitation.send_count == 1
