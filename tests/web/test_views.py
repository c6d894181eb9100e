import io

import pytest
from django.urls import reverse

from meute.members.models import Leader
from tests.factories import MembershipFactory, NetworkFactory, NetworkRoleFactory, UserFactory
from tests.members.test_importing import as_csv, rows_for

pytestmark = pytest.mark.django_db


def test_directory_requires_login(client):
    """An anonymous visitor is sent to the login page."""
    response = client.get(reverse("web:directory"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_directory_lists_members_for_a_member(client):
    """A member sees other members' names in the directory."""
    me, other = MembershipFactory(), MembershipFactory()
    client.force_login(me.leader.user)
    assert other.leader.user.last_name in client.get(reverse("web:directory")).content.decode()


def test_directory_is_empty_for_an_outsider(client):
    """An account with no network sees no member in the directory nor in its export."""
    other = MembershipFactory(leader__user__last_name="Absente-Partout")
    client.force_login(UserFactory())
    page = client.get(reverse("web:directory")).content.decode()
    export = client.get(reverse("web:directory_export", args=["csv"])).content.decode()
    assert other.leader.user.last_name not in page + export


def test_directory_export_is_404_for_a_member(client):
    """A member (not staff) browses the directory but cannot download it."""
    me = MembershipFactory()
    MembershipFactory(network=me.network)
    client.force_login(me.leader.user)
    assert client.get(reverse("web:directory_export", args=["csv"])).status_code == 404


def test_profile_of_hidden_member_is_404_for_outsider(client):
    """An outsider gets a 404, not the profile."""
    member = MembershipFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("web:profile", args=[member.leader_id])).status_code == 404


@pytest.mark.parametrize("name", ["web:network_members", "web:network_import", "web:network_edit"])
def test_staff_pages_of_network_a_are_404_for_staff_of_b(client, name):
    """Staff of network B cannot open network A's staff pages."""
    network_a = NetworkFactory()
    client.force_login(NetworkRoleFactory().user)
    assert client.get(reverse(name, args=[network_a.slug])).status_code == 404


def test_member_export_of_network_a_is_404_for_staff_of_b(client):
    """Staff of network B cannot export network A's members."""
    network_a = NetworkFactory()
    client.force_login(NetworkRoleFactory().user)
    assert client.get(reverse("web:network_members_export", args=[network_a.slug, "xlsx"])).status_code == 404


def test_import_page_reports_bad_rows_and_writes_nothing(client):
    """Uploading a file with a bad row shows its line and writes nothing."""
    grant = NetworkRoleFactory()
    rows = rows_for(5)
    rows[2][4] = "123"
    upload = as_csv(rows)
    upload.name = "membres.csv"
    client.force_login(grant.user)
    response = client.post(reverse("web:network_import", args=[grant.network.slug]), {"file": upload}, follow=True)
    assert "import-errors" in response.content.decode() and Leader.objects.count() == 0


def test_import_page_rejects_junk_without_error_500(client):
    """Uploading binary junk shows a message on the form."""
    grant = NetworkRoleFactory()
    upload = io.BytesIO(bytes(range(256)) * 100)
    upload.name = "junk.csv"
    client.force_login(grant.user)
    response = client.post(reverse("web:network_import", args=[grant.network.slug]), {"file": upload})
    assert response.status_code == 200 and "binaires" in response.content.decode()


def test_profile_edit_saves(client):
    """A member edits their expertise from the profile page."""
    leader = MembershipFactory().leader
    client.force_login(leader.user)
    data = {"function": "Gérante", "expertise": "export", "email_visibility": "members",
            "phone_visibility": "private", "headcount": "3-5", "listed": "on"}
    client.post(reverse("web:my_profile"), data)
    leader.refresh_from_db()
    assert (leader.expertise, leader.phone_visibility) == ("export", "private")


def test_pages_are_french_by_default(client):
    """The interface speaks French first."""
    assert "Connexion" in client.get(reverse("login")).content.decode()
