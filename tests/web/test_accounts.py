"""Password reset and change: Django's views, French pages, links built from SITE_URL."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_links_to_password_reset(client):
    """The login page offers "Mot de passe oublié ?"."""
    content = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in content and "Mot de passe oublié" in content


@override_settings(SITE_URL="https://reseau.example.org", ALLOWED_HOSTS=["*"])
def test_reset_mail_link_uses_site_url_not_the_request_host(client):
    """The reset link is built from SITE_URL even when the request names another host."""
    user = UserFactory()
    client.post(reverse("password_reset"), {"email": user.email}, HTTP_HOST="evil.example.com")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "https://reseau.example.org/password/reset/" in body and "evil.example.com" not in body
    assert "Choisissez un nouveau mot de passe" in mail.outbox[0].subject


def test_unknown_address_gets_the_same_answer(client):
    """A reset request for an unknown address answers exactly like one for a known address."""
    known = client.post(reverse("password_reset"), {"email": UserFactory().email})
    unknown = client.post(reverse("password_reset"), {"email": "personne@example.org"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mail.outbox) == 1


def test_reset_link_sets_a_new_password(client):
    """Following the e-mailed link lets the person choose a new password and log in with it."""
    user = UserFactory()
    client.post(reverse("password_reset"), {"email": user.email})
    path = re.search(r"https?://[^/]+(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(path).url  # Django swaps the token for a session marker
    client.post(form_url, {"new_password1": "Nouveau-passe-2026", "new_password2": "Nouveau-passe-2026"})
    user.refresh_from_db()
    assert user.check_password("Nouveau-passe-2026")


def test_used_reset_link_gets_a_clear_page(client):
    """A reset link used twice shows the French "cannot be used" page."""
    user = UserFactory()
    client.post(reverse("password_reset"), {"email": user.email})
    path = re.search(r"https?://[^/]+(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(path).url
    client.post(form_url, {"new_password1": "Nouveau-passe-2026", "new_password2": "Nouveau-passe-2026"})
    content = client.get(path, follow=True).content.decode()
    assert "Ce lien ne peut pas être utilisé" in content


def test_change_password_is_linked_from_the_profile_and_works(client):
    """The profile links to the change-password page, which changes the password."""
    member = MembershipFactory()
    client.force_login(member.leader.user)
    profile = client.get(reverse("web:profile", args=[member.leader_id])).content.decode()
    assert reverse("password_change") in profile
    client.post(reverse("password_change"), {
        "old_password": "pw", "new_password1": "Nouveau-passe-2026", "new_password2": "Nouveau-passe-2026"})
    member.leader.user.refresh_from_db()
    assert member.leader.user.check_password("Nouveau-passe-2026")
