"""Changing one's login e-mail goes through a link sent to the new address."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import translation

from meute.accounts.email_change import (
    EmailChangeInvalid,
    check_confirm_email_change,
    check_request_email_change,
    email_change_token,
)
from meute.accounts.models import User
from meute.core.audit import entries_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English, the source language."""
    with translation.override("en"):
        yield


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_request_sends_a_link_to_the_new_address_and_tells_the_old_one(django_capture_on_commit_callbacks, settings):
    """The new address gets the link, the old one a notice; the address does not change yet."""
    user = UserFactory(email="old@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        check_request_email_change(user, "New@Example.org", acting_user=user)
    user.refresh_from_db()
    assert user.email == "old@example.org"
    assert sorted(m.to[0] for m in mail.outbox) == ["new@example.org", "old@example.org"]
    link = _link(next(m for m in mail.outbox if m.to == ["new@example.org"]))
    assert link.startswith(settings.SITE_URL + "/me/email/confirm/")
    assert entries_for(user).get(action="accounts.email_change.requested").data["sent"] is True


def test_the_link_works_once(client, django_capture_on_commit_callbacks):
    """Opening and confirming the link changes the address, with old and new in the audit; a second use fails."""
    user = UserFactory(email="old@example.org")
    token = email_change_token(user, "new@example.org")
    url = reverse("web:email_change_confirm", args=[token])
    assert "new@example.org" in client.get(url).content.decode()
    client.post(url)
    user.refresh_from_db()
    entry = entries_for(user).get(action="accounts.email_change.confirmed")
    assert (user.email, entry.data["changed"]["email"]) == ("new@example.org", ["old@example.org", "new@example.org"])
    second = client.post(url)
    assert second.status_code == 400
    assert entries_for(user).filter(action="accounts.email_change.confirmed").count() == 1


def test_an_expired_link_is_refused(settings):
    """A link older than its lifetime changes nothing."""
    user = UserFactory(email="old@example.org")
    token = email_change_token(user, "new@example.org")
    settings.MEUTE_EMAIL_CHANGE_HOURS = 0
    with pytest.raises(EmailChangeInvalid, match="expired"):
        check_confirm_email_change(token)
    user.refresh_from_db()
    assert user.email == "old@example.org"


def test_a_tampered_link_is_refused(client):
    """Changing the address inside the token breaks its signature; the page says so without a 500."""
    user = UserFactory(email="old@example.org")
    token = email_change_token(user, "new@example.org")
    forged = signing.dumps({"u": user.pk, "o": user.email, "n": "evil@example.org"}, salt="another")
    for bad in (token[:-3] + "xyz", forged, "garbage"):
        response = client.post(reverse("web:email_change_confirm", args=[bad]))
        assert response.status_code == 400
    user.refresh_from_db()
    assert user.email == "old@example.org"


def test_a_taken_address_gets_the_same_answer_and_no_mail(client, django_capture_on_commit_callbacks):
    """Asking for an address used by another account answers as for a free one, and sends nothing."""
    user = UserFactory(email="old@example.org")
    UserFactory(email="taken@example.org")
    client.force_login(user)
    answers = []
    for email in ("taken@example.org", "free@example.org"):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("web:my_email"), {"email": email}, follow=True)
        answers.append(([str(m) for m in response.context["messages"]], len(mail.outbox)))
    assert answers[0][0] == answers[1][0]
    assert (answers[0][1], answers[1][1]) == (0, 2)


def test_confirmation_is_refused_when_the_address_was_taken_meanwhile():
    """If another account took the address after the link was sent, confirming is refused."""
    user = UserFactory(email="old@example.org")
    token = email_change_token(user, "new@example.org")
    UserFactory(email="new@example.org")
    with pytest.raises(EmailChangeInvalid, match="already used"):
        check_confirm_email_change(token)
    user.refresh_from_db()
    assert (user.email, User.objects.filter(email="new@example.org").count()) == ("old@example.org", 1)


def test_only_the_person_asks_to_change_their_address():
    """Someone else cannot ask to change a person's e-mail."""
    user = UserFactory()
    with pytest.raises(EmailChangeInvalid):
        check_request_email_change(user, "x@example.org", acting_user=UserFactory())
    assert not entries_for(user).exists()
