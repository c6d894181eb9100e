"""A person's home answered again from memory while the database is unchanged (web/pagecache.py).

The kept page is found by the database's snapshot, which only PostgreSQL names; these tests run there,
outside a transaction (inside one, nothing is kept: the last test)."""

import datetime
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meute.members.models import Leader
from meute.peergroups.models import Topic
from meute.web import pagecache
from tests.factories import LeaderFactory, MembershipFactory, NetworkFactory, UserFactory, peer_group

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the snapshot is PostgreSQL's")
SNAPSHOT = "pg_current_snapshot"


def visit(client, path="/", headers=None):
    """The page and the SQL it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    return response, [q["sql"] for q in queries.captured_queries]


def visit_later(client, monkeypatch, seconds):
    """The SQL the home costs ``seconds`` from now."""
    later = time.time() + seconds
    monkeypatch.setattr(pagecache.time, "time", lambda: later)
    return visit(client)[1]


@pytest.fixture
def member_client():
    """A member logged in, who has seen their home once (the process learns that the home is kept)."""
    leader = LeaderFactory()
    MembershipFactory(leader=leader)
    client = Client()
    client.force_login(leader.user)
    client.get("/")
    return client


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_second_visit_costs_only_the_snapshot_query(member_client):
    member_client.get("/")
    _response, queries = visit(member_client)
    assert len(queries) == 1 and SNAPSHOT in queries[0]


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_the_kept_page_is_the_rendered_page(member_client):
    rendered = member_client.get("/")
    kept = member_client.get("/")
    assert kept.content == rendered.content and kept["Content-Type"] == rendered["Content-Type"]


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_the_kept_page_keeps_the_security_headers(member_client):
    member_client.get("/")
    kept = member_client.get("/")
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert header in kept, header


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_write_anywhere_renders_the_page_afresh(member_client):
    member_client.get("/")
    NetworkFactory()  # another network, nothing to do with the member
    _response, queries = visit(member_client)
    assert len(queries) > 1


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_change_shows_on_the_next_visit():
    group = peer_group()
    member, other = group.members.first().leader, group.members.last().leader
    client = Client()
    client.force_login(member.user)
    client.get("/")
    client.get("/")
    meeting = group.meetings.filter(starts_at__gt=timezone.now()).first()
    Topic.objects.create(meeting=meeting, proposed_by=other.user, title="Recruter un alternant")
    assert "Recruter un alternant" in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_withdrawn_consent_takes_a_leader_out_of_the_next_directory_page():
    me, other = MembershipFactory(), MembershipFactory(leader__user__last_name="Retiree-Annuaire")
    client = Client()
    client.force_login(me.leader.user)
    for _ in range(3):
        client.get("/directory/")
    Leader.objects.filter(pk=other.leader_id).update(in_directory=False)  # a bulk write: no signal, no hook
    assert "Retiree-Annuaire" not in client.get("/directory/").content.decode()


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_logged_out_session_is_not_answered(member_client):
    member_client.get("/")
    cookie = member_client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=cookie).delete()  # logging out, on another device or by an administrator
    response = member_client.get("/")
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_another_person_gets_their_own_page(member_client):
    other = Client()
    other.force_login(UserFactory(first_name="Perrine", last_name="Vasseur"))
    for client in (member_client, other, member_client, other):
        client.get("/")
    assert "Perrine" in other.get("/").content.decode() and "Perrine" not in member_client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_another_language_is_another_page(member_client):
    member_client.get("/")
    member_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _response, queries = visit(member_client)
    assert len(queries) > 1


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_an_htmx_request_is_another_page(member_client):
    member_client.get("/")
    member_client.get("/", headers={"HX-Request": "true"})
    _response, queries = visit(member_client, headers={"HX-Request": "true", "HX-Target": "main"})
    assert len(queries) > 1


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_page_is_not_kept_past_its_seconds(member_client, monkeypatch, settings):
    settings.MEUTE_PAGE_CACHE_SECONDS = 30
    member_client.get("/")
    assert len(visit_later(member_client, monkeypatch, 31)) > 1


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_no_page_is_kept_when_the_seconds_are_zero(member_client, settings):
    settings.MEUTE_PAGE_CACHE_SECONDS = 0
    member_client.get("/")
    _response, queries = visit(member_client)
    assert not any(SNAPSHOT in q for q in queries) and len(queries) > 1


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_page_is_not_kept_past_its_session(member_client, monkeypatch):
    key = member_client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(seconds=5))
    member_client.get("/")
    assert len(visit_later(member_client, monkeypatch, 6)) > 1


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_pages_not_marked_never_pay_the_snapshot(member_client):
    member_client.get("/events/calendar/")
    _response, queries = visit(member_client, "/events/calendar/")
    assert not any(SNAPSHOT in q for q in queries)


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_an_anonymous_visit_is_never_kept():
    client = Client()
    client.get("/")
    _response, queries = visit(client)
    assert not any(SNAPSHOT in q for q in queries)


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_a_page_that_sets_a_cookie_is_rendered_again(member_client):
    del member_client.cookies[settings.CSRF_COOKIE_NAME]
    first = member_client.get("/")  # a new CSRF secret, sent as a cookie with this page
    member_client.cookies.pop(settings.CSRF_COOKIE_NAME, None)
    _response, queries = visit(member_client)
    assert settings.CSRF_COOKIE_NAME in first.cookies and len(queries) > 1


def test_a_page_with_a_one_time_form_key_is_not_kept():
    response = HttpResponse('<form><input type="hidden" name="submission" value="k1"></form>')
    assert not pagecache._may_keep(HttpRequest(), response)


def test_a_plain_page_may_be_kept():
    assert pagecache._may_keep(HttpRequest(), HttpResponse("<main>Accueil</main>"))


def test_a_page_that_sets_another_cookie_is_not_kept():
    response = HttpResponse("<main>Accueil</main>")
    response.set_cookie("messages", "x")
    assert not pagecache._may_keep(HttpRequest(), response)


@pytest.mark.django_db
def test_inside_a_transaction_there_is_no_snapshot_to_key_on():
    """A test's transaction (and any outer transaction) sees its own writes under one snapshot."""
    assert pagecache.database_snapshot() is None
