"""Every failed login is audited with the address tried and the client's address, never the password."""

import pytest
from django.urls import reverse

from meute.core.audit import LOGIN_FAILED, entries_for
from meute.core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SECRET = "not-the-password-42"


def test_wrong_password_is_logged_on_the_account_without_the_password(client):
    """A wrong password leaves an entry about the account with the e-mail and address, not the password."""
    user = UserFactory(email="claire@example.org")
    response = client.post(reverse("login"), {"username": "Claire@Example.org", "password": SECRET},
                           REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    entry = entries_for(user).get(action=LOGIN_FAILED)
    assert (entry.actor, entry.data) == (None, {"email": "Claire@Example.org", "address": "203.0.113.7",
                                                "account_exists": True})
    assert SECRET not in str(entry.data) + str(entry.changes) + entry.object_repr + entry.actor_repr


def test_unknown_address_is_logged_without_an_account(client):
    """A login with an unknown e-mail is logged too, about no account."""
    client.post(reverse("login"), {"username": "nobody@example.org\u202e", "password": SECRET})
    entry = AuditEntry.objects.get(action=LOGIN_FAILED)
    assert (entry.content_type, entry.data["email"], entry.data["account_exists"]) == (
        None, "nobody@example.org", False)


def test_every_failure_is_logged(client):
    """A right password gives no entry; thirty wrong ones in a row give thirty entries."""
    user = UserFactory()
    client.post(reverse("login"), {"username": user.email, "password": "pw"})
    assert not entries_for(user).filter(action=LOGIN_FAILED).exists()
    client.logout()
    for _ in range(30):
        client.post(reverse("login"), {"username": user.email, "password": SECRET})
    assert entries_for(user).filter(action=LOGIN_FAILED).count() == 30
