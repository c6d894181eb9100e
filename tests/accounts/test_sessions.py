"""Sessions are Django's database sessions, read with one plain query: same rows, same expiry."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from meute.accounts.sessions import SessionStore
from tests.factories import LeaderFactory

pytestmark = pytest.mark.django_db


def _saved(**data) -> SessionStore:
    session = SessionStore()
    session.update(data)
    session.save()
    return session


def test_a_saved_session_is_read_back():
    """The data written under a key is what the next request reads."""
    key = _saved(colour="vert", n=3).session_key
    assert dict(SessionStore(session_key=key).items()) == {"colour": "vert", "n": 3}


def test_an_expired_session_reads_as_empty_and_loses_its_key():
    """Past its expiry date a session reads as a new, empty one."""
    session = _saved(colour="vert")
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() - datetime.timedelta(1))
    again = SessionStore(session_key=session.session_key)
    assert dict(again.items()) == {} and again.session_key is None


def test_a_logged_in_person_stays_logged_in_until_logging_out(client):
    """The session cookie opens the pages until the logout, which ends the row."""
    client.force_login(LeaderFactory().user)
    assert client.get(reverse("web:home")).status_code == 200
    client.post(reverse("logout"))
    assert not Session.objects.exists()
    assert client.get(reverse("web:home")).status_code == 302
