"""The audit log pages: who may read which entries, filters, pages and the CSV export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from meute.core.audit import log_action
from meute.core.models import AuditEntry
from meute.core.queries import AuditFilters, list_audit_entries, list_profile_entries
from meute.members.models import Role
from meute.members.services import check_update_network, check_update_profile
from meute.web.audit.exports import neutralise
from tests.factories import MembershipFactory, NetworkFactory, NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_networks():
    """Networks A and B, each with its staff and a change audited in it."""
    a, b = NetworkFactory(name="Réseau A", slug="a"), NetworkFactory(name="Réseau B", slug="b")
    staff_a = NetworkRoleFactory(network=a, role=Role.STAFF, user=UserFactory(email="sa@example.org")).user
    staff_b = NetworkRoleFactory(network=b, role=Role.STAFF, user=UserFactory(email="sb@example.org")).user
    check_update_network(a, acting_user=staff_a, cadence="cadence-de-A")
    check_update_network(b, acting_user=staff_b, cadence="cadence-de-B")
    return {"a": a, "b": b, "staff_a": staff_a, "staff_b": staff_b}


def _text(response):
    return response.content.decode()


def test_staff_read_their_networks_log_and_never_another(client, two_networks):
    """Staff of A see A's entries on A's page and on their log, never B's; B's page is a 404 for them."""
    client.force_login(two_networks["staff_a"])
    own = client.get(reverse("web:network_audit_log", args=["a"]))
    mine = client.get(reverse("web:audit_log"))
    other = client.get(reverse("web:network_audit_log", args=["b"]))
    assert own.status_code == 200 and "cadence-de-A" in _text(own) and "cadence-de-B" not in _text(own)
    assert mine.status_code == 200 and "cadence-de-A" in _text(mine) and "cadence-de-B" not in _text(mine)
    assert other.status_code == 404
    export = client.get(reverse("web:audit_log"), {"format": "csv"})
    assert "cadence-de-B" not in b"".join(export.streaming_content).decode()


def test_query_keeps_each_network_to_its_own_entries(two_networks):
    """The list query gives staff only their network's entries and refuses another network's log."""
    from meute.core.exceptions import NotFound

    seen = list_audit_entries(two_networks["staff_a"])
    assert {e.object_id for e in seen} == {str(two_networks["a"].pk)}
    with pytest.raises(NotFound):
        list_audit_entries(two_networks["staff_a"], network=two_networks["b"])


def test_members_and_outsiders_cannot_open_a_network_log(client, two_networks):
    """A member of A who is not staff, and an outsider, get a 404 on the logs."""
    member = MembershipFactory(network=two_networks["a"]).leader.user
    for user in (member, UserFactory()):
        client.force_login(user)
        assert client.get(reverse("web:network_audit_log", args=["a"])).status_code == 404
        assert client.get(reverse("web:audit_log")).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, two_networks):
    """The audit pages ask anonymous visitors to log in."""
    for url in (reverse("web:audit_log"), reverse("web:network_audit_log", args=["a"]), reverse("web:my_history")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response.url


def test_site_administrator_reads_everything_including_login_failures(client, two_networks, admin_user):
    """The site administrator's log holds both networks' entries and the failed logins."""
    client.post(reverse("login"), {"username": "sa@example.org", "password": "wrong"}, REMOTE_ADDR="198.51.100.9")
    client.force_login(admin_user)
    page = _text(client.get(reverse("web:audit_log")))
    assert "cadence-de-A" in page and "cadence-de-B" in page
    failures = _text(client.get(reverse("web:audit_log"), {"action": "accounts.login.failed"}))
    assert "198.51.100.9" in failures and "cadence-de-A" not in failures


def test_member_reads_the_changes_made_to_their_profile(client):
    """A member sees who changed their profile (staff included), with old and new values; not others' changes."""
    membership = MembershipFactory()
    staff = NetworkRoleFactory(network=membership.network, user=UserFactory(first_name="Sophie", last_name="Staff")
                               ).user
    check_update_profile(membership.leader, acting_user=staff, function="Présidente-directrice")
    stranger = MembershipFactory()
    check_update_profile(stranger.leader, acting_user=stranger.leader.user, function="Étrangère")
    client.force_login(membership.leader.user)
    page = _text(client.get(reverse("web:my_history")))
    assert "Présidente-directrice" in page and "Sophie Staff" in page and "Étrangère" not in page
    assert [e.action for e in list_profile_entries(membership.leader.user)] == ["members.leader.profile_updated"]


def test_member_history_does_not_show_login_failures(client):
    """Failed logins on the account are for the site administrator, not the profile's history."""
    membership = MembershipFactory()
    client.post(reverse("login"), {"username": membership.leader.user.email, "password": "wrong"})
    client.force_login(membership.leader.user)
    assert not list_profile_entries(membership.leader.user).exists()


def test_filters_by_person_object_action_and_dates(two_networks, admin_user):
    """Each filter narrows the log: by who acted, by object, by action (or area) and by date range."""
    staff_a = two_networks["staff_a"]
    log_action("events.event.created", actor=staff_a, obj=two_networks["a"])
    today = timezone.localdate()
    def count(**kw):
        return list_audit_entries(admin_user, filters=AuditFilters(**kw)).count()
    assert count(person="sa@example") == 2
    assert count(obj="Réseau B") == 1
    assert (count(action="members.network.updated"), count(action="events"), count(action="events.event")) == (
        2, 1, 1)
    assert count(since=today, until=today) == 3
    assert count(until=today - datetime.timedelta(days=1)) == count(since=today + datetime.timedelta(days=1)) == 0


def test_the_page_is_paginated_by_fifty(client, two_networks):
    """Long logs are cut into pages of fifty entries."""
    for n in range(60):
        log_action("members.network.updated", actor=two_networks["staff_a"], obj=two_networks["a"],
                   changes={"cadence": [str(n), str(n + 1)]})
    client.force_login(two_networks["staff_a"])
    first = client.get(reverse("web:network_audit_log", args=["a"]))
    second = client.get(reverse("web:network_audit_log", args=["a"]), {"page": 2})
    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 11


def test_hostile_filter_values_get_a_field_error_not_a_500(client, two_networks):
    """Far years, unknown actions, 10,000-character strings and control characters are field errors or ignored."""
    client.force_login(two_networks["staff_a"])
    url = reverse("web:network_audit_log", args=["a"])
    for params in ({"since": "99999-01-01"}, {"until": "9999-12-31"}, {"action": "x" * 10_000},
                   {"person": "\u202e" * 10_000}, {"since": "2026-05-02", "until": "2026-05-01"},
                   {"page": "99999999999999999999"}, {"obj": "\x00"}):
        response = client.get(url, params)
        assert response.status_code == 200, params
    bad = client.get(url, {"until": "9999-12-31"})
    assert bad.context["form"].errors and bad.context["page"].paginator.count == 1


def test_csv_export_neutralises_spreadsheet_formulas(client, two_networks):
    """Cells that start with = + - @, a tab or a carriage return get a leading apostrophe in the CSV."""
    staff_a = two_networks["staff_a"]
    check_update_network(two_networks["a"], acting_user=staff_a, name="=HYPERLINK(\"http://x\")")
    log_action("x.y", actor=staff_a, obj=two_networks["a"], data={"k": 1})
    client.force_login(staff_a)
    response = client.get(reverse("web:network_audit_log", args=["a"]), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")),
                           delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in cells
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)
    assert len(rows) == 1 + AuditEntry.objects.filter(network_links__network=two_networks["a"]).count()


def test_neutralise_covers_every_formula_start():
    """Each dangerous first character gets the apostrophe; ordinary text is left alone."""
    assert [neutralise(v) for v in ("=1+1", "+33 6", "-2", "@SUM", "\tx", "\rx", "a=b", "", None)] == [
        "'=1+1", "'+33 6", "'-2", "'@SUM", "'\tx", "'\rx", "a=b", "", ""]


def test_pages_link_to_the_logs(client, two_networks):
    """The staff's network page links to its log; a member's own profile links to its history."""
    client.force_login(two_networks["staff_a"])
    assert reverse("web:network_audit_log", args=["a"]) in _text(client.get(reverse("web:network", args=["a"])))
    membership = MembershipFactory()
    client.force_login(membership.leader.user)
    assert reverse("web:my_history") in _text(client.get(reverse("web:profile", args=[membership.leader.pk])))
