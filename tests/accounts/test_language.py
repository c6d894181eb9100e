"""The language a person chooses is kept on their account: e-mails follow it, and so does the next login."""

import pytest
from django.conf import settings

from meute.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_choosing_english_keeps_it_on_the_account(client):
    """The language switch, used while logged in, writes the choice on the account."""
    person = UserFactory()
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert User.objects.get(pk=person.pk).language == "en"


def test_the_switch_still_sets_the_language_of_the_pages(client):
    """Django's cookie is still set, so the pages change language at once."""
    client.force_login(UserFactory())
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_an_unknown_language_changes_nothing_on_the_account(client):
    """A language the site does not speak is ignored."""
    person = UserFactory()
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert User.objects.get(pk=person.pk).language == "fr"


def test_a_visitor_may_switch_without_an_account(client):
    """Logged out, the switch answers as Django's does (a redirect), with nothing to write."""
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302


def test_logging_in_opens_the_site_in_the_language_kept_on_the_account(client):
    """An account kept in English gets the English cookie when it logs in on a new device."""
    UserFactory(email="anglais@example.org", language="en")
    response = client.post("/login/", {"username": "anglais@example.org", "password": "pw"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
