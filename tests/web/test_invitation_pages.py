"""The invitation pages: every bad link gets a clear French page; activation, joining, the staff page."""

import re

import pytest
from django.core import mail, signing
from django.test import override_settings
from django.urls import reverse

from meute.core.models import AuditEntry
from meute.members.invitations import do_invite, do_renew_key, invitation_token
from meute.members.models import Invitation, InvitationKind, InvitationStatus, Leader, Membership, Visibility
from tests.factories import LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _new_account():
    member = MembershipFactory(leader=LeaderFactory(directory_consent_at=None, listed=False,
                                                    email_visibility=Visibility.PRIVATE))
    user = member.leader.user
    user.set_unusable_password()
    user.save()
    staff = NetworkRoleFactory(network=member.network).user
    invitation, _ = do_invite(user, member.network, kind=InvitationKind.NEW_ACCOUNT, acting_user=staff)
    return invitation, do_renew_key(invitation, acting_user=staff), staff


def _join(last_name=None):
    person = MembershipFactory(**({"leader__user__last_name": last_name} if last_name else {})).leader
    role = NetworkRoleFactory()
    invitation, _ = do_invite(person.user, role.network, kind=InvitationKind.JOIN, acting_user=role.user)
    return invitation, do_renew_key(invitation, acting_user=role.user), role.user


def _url(token):
    return reverse("web:invitation", kwargs={"token": token})


def test_tampered_link_gets_a_clear_page(client):
    """A link with a changed character answers 400 with the French explanation."""
    _invitation, token, _staff = _new_account()
    response = client.get(_url(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]))
    assert response.status_code == 400 and "pas valide" in response.content.decode()


def test_garbage_link_gets_a_clear_page(client):
    """A random string in place of the token answers 400, not 500."""
    assert client.get(_url("n'importe-quoi")).status_code == 400


def test_expired_link_gets_a_clear_page(client):
    """A link older than MEUTE_INVITATION_DAYS says it has expired."""
    _invitation, token, _staff = _new_account()
    with override_settings(MEUTE_INVITATION_DAYS=-1):
        response = client.get(_url(token))
    assert response.status_code == 400 and "a expiré" in response.content.decode()


def test_superseded_link_gets_a_clear_page(client):
    """After a resend, the older link points to the latest e-mail."""
    invitation, token, staff = _new_account()
    do_renew_key(invitation, acting_user=staff)
    response = client.get(_url(token))
    assert response.status_code == 400 and "plus récente" in response.content.decode()


def test_reused_link_gets_a_clear_page(client):
    """Once the account is activated, the same link says the invitation was answered (no second password)."""
    invitation, token, _staff = _new_account()
    data = {"new_password1": "Un-mot-de-passe-solide", "new_password2": "Un-mot-de-passe-solide", "terms": "on"}
    assert client.post(_url(token), data).status_code == 302
    client.logout()
    again = {**data, "new_password1": "Autre-passe-123", "new_password2": "Autre-passe-123"}
    response = client.post(_url(token), again)
    assert response.status_code == 400 and "déjà reçu une réponse" in response.content.decode()
    invitation.user.refresh_from_db()
    assert invitation.user.check_password("Un-mot-de-passe-solide")


def test_withdrawn_link_gets_a_clear_page(client):
    """A withdrawn invitation's link says the network withdrew it."""
    invitation, token, _staff = _new_account()
    Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.REVOKED)
    response = client.get(_url(token))
    assert response.status_code == 400 and "retirée" in response.content.decode()


def test_forged_payload_for_another_invitation_is_refused(client):
    """A token signed with another salt (e.g. the calendar's) is not accepted."""
    invitation, _token, _staff = _new_account()
    forged = signing.dumps({"i": invitation.pk, "k": invitation.key}, salt="other")
    assert client.get(_url(forged)).status_code == 400


def test_weak_password_is_refused_and_changes_nothing(client):
    """Django's password validation applies: a short password is refused, the invitation stays pending."""
    invitation, token, _staff = _new_account()
    response = client.post(_url(token), {"new_password1": "abc", "new_password2": "abc", "terms": "on"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING and not invitation.user.has_usable_password()


def test_terms_must_be_accepted(client):
    """Without ticking the terms, the account is not activated."""
    invitation, token, _staff = _new_account()
    client.post(_url(token), {"new_password1": "Un-mot-de-passe-solide", "new_password2": "Un-mot-de-passe-solide"})
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.PENDING


def test_activation_logs_in_and_leads_to_the_visibility_step(client):
    """Activating logs the person in and sends them to the visibility step, where their choice is saved."""
    invitation, token, _staff = _new_account()
    data = {"new_password1": "Un-mot-de-passe-solide", "new_password2": "Un-mot-de-passe-solide", "terms": "on"}
    response = client.post(_url(token), data)
    assert response.url == reverse("web:choose_visibility")
    page = client.get(response.url)
    assert page.status_code == 200 and "Votre visibilité dans l’annuaire" in page.content.decode()
    client.post(response.url, {"listed": "on", "email_visibility": "network", "phone_visibility": "private"})
    leader = Leader.objects.get(user=invitation.user)
    assert leader.in_directory and leader.email_visibility == "network" and leader.phone_visibility == "private"
    assert Invitation.objects.get(pk=invitation.pk).terms_accepted_at is not None


def test_join_asks_an_anonymous_visitor_to_log_in(client):
    """An anonymous visitor opening a join link is asked to log in, with the link as next page."""
    _invitation, token, _staff = _join()
    content = client.get(_url(token)).content.decode()
    assert reverse("login") + "?next=" in content


def test_join_link_for_someone_else_is_refused(client):
    """Logged in as another person, the join page refuses to answer."""
    invitation, token, _staff = _join()
    client.force_login(UserFactory())
    assert client.post(_url(token), {"answer": "accept"}).status_code == 403
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.PENDING


def test_accepting_a_join_invitation_creates_the_membership(client):
    """The invited person accepts: the membership exists."""
    invitation, token, _staff = _join()
    client.force_login(invitation.user)
    client.post(_url(token), {"answer": "accept"})
    assert Membership.objects.filter(leader__user=invitation.user, network=invitation.network).exists()


def test_declining_is_recorded(client):
    """The invited person declines: the answer is recorded, no membership, audit entry."""
    invitation, token, _staff = _join()
    client.force_login(invitation.user)
    response = client.post(_url(token), {"answer": "decline"})
    assert response.status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.DECLINED
    assert not Membership.objects.filter(leader__user=invitation.user, network=invitation.network).exists()
    assert AuditEntry.objects.filter(action="members.invitation.declined").exists()


def test_staff_page_shows_only_the_email_of_a_join_invitation(client):
    """Until a join invitation is accepted, its staff see the e-mail and status, not the person's name."""
    invitation, _token, staff = _join(last_name="Invitée-Discrète")
    client.force_login(staff)
    content = client.get(reverse("web:network_invitations", args=[invitation.network.slug])).content.decode()
    assert invitation.user.email in content and invitation.user.last_name not in content


def test_staff_page_is_404_for_another_network_staff(client):
    """Staff of network B cannot open network A's invitations page."""
    invitation, _token, _staff = _join()
    client.force_login(NetworkRoleFactory(network=NetworkFactory()).user)
    assert client.get(reverse("web:network_invitations", args=[invitation.network.slug])).status_code == 404


@override_settings(SITE_URL="https://reseau.example.org")
def test_staff_send_all_unsent_then_resend_one(client, django_capture_on_commit_callbacks):
    """"Send all not yet sent" mails each unsent invitation once; resend mails again with a new link."""
    role = NetworkRoleFactory()
    people = [MembershipFactory(network=role.network).leader.user for _ in range(2)]
    invitations = [do_invite(p, role.network, kind=InvitationKind.NEW_ACCOUNT, acting_user=role.user)[0]
                   for p in people]
    client.force_login(role.user)
    url = reverse("web:network_invitations", args=[role.network.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "send_unsent"})
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "resend", "invitation": invitations[0].pk})
    assert len(mail.outbox) == 3 and re.search(r"https://reseau\.example\.org/invitation/", mail.outbox[2].body)
    assert Invitation.objects.get(pk=invitations[0].pk).send_count == 2
    content = client.get(url).content.decode()
    assert "Renvoyer" in content


def test_staff_cannot_act_on_another_network_invitation(client):
    """Posting the id of another network's invitation on one's own page is a 404 and changes nothing."""
    invitation, _token, _staff = _join()
    role = NetworkRoleFactory()
    client.force_login(role.user)
    url = reverse("web:network_invitations", args=[role.network.slug])
    assert client.post(url, {"action": "withdraw", "invitation": invitation.pk}).status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.PENDING


def test_withdraw_from_the_staff_page(client):
    """Staff withdraw a pending invitation from their page."""
    invitation, _token, staff = _join()
    client.force_login(staff)
    client.post(reverse("web:network_invitations", args=[invitation.network.slug]),
                {"action": "withdraw", "invitation": invitation.pk})
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.REVOKED


def test_token_helper_matches_the_link():
    """The token in a renewed link is the one :func:`invitation_token` builds."""
    invitation, token, _staff = _new_account()
    invitation.refresh_from_db()
    assert invitation_token(invitation) == token


def test_staff_write_the_terms_shown_on_the_invitation_page(client):
    """The network's terms, edited by its staff, appear on the invitation page."""
    invitation, token, staff = _new_account()
    network = invitation.network
    client.force_login(staff)
    client.post(reverse("web:network_edit", args=[network.slug]), {
        "name": network.name, "family": network.family, "fee_amount": "0", "terms": "Article 1 : la bienveillance.",
    })
    client.logout()
    assert "Article 1 : la bienveillance." in client.get(_url(token)).content.decode()
