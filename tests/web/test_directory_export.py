"""The directory export: staff only, their networks' members only, contact fields as the page shows them."""

import pytest
from django.urls import reverse

from meute.members.exporting import directory_rows
from meute.members.queries import list_directory
from tests.factories import LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_browses_the_directory_but_cannot_export_it(client):
    """A member sees the directory page; both export formats are 404 for them."""
    me = MembershipFactory()
    other = MembershipFactory(network=me.network)
    client.force_login(me.leader.user)
    assert other.leader.user.last_name in client.get(reverse("web:directory")).content.decode()
    assert client.get(reverse("web:directory_export", args=["csv"])).status_code == 404
    assert client.get(reverse("web:directory_export", args=["xlsx"])).status_code == 404


def test_staff_export_holds_only_their_networks_members(client):
    """Staff's export lists their networks' members, not the other networks' listed members."""
    mine = MembershipFactory()
    theirs = MembershipFactory(network=NetworkFactory(), leader__user__last_name="Ailleurs-Inconnue")
    client.force_login(NetworkRoleFactory(network=mine.network).user)
    content = client.get(reverse("web:directory_export", args=["csv"])).content.decode()
    assert mine.leader.user.last_name in content and theirs.leader.user.last_name not in content


def test_export_rows_hide_contact_fields_row_by_row():
    """Each row shows only the contact fields its viewer may see; hidden ones are empty."""
    me = MembershipFactory()
    open_ = MembershipFactory(network=me.network, leader=LeaderFactory(email_visibility="network"))
    secret = MembershipFactory(network=me.network, leader=LeaderFactory(email_visibility="private",
                                                                       phone_visibility="private"))
    rows = {r["Nom"]: r for r in directory_rows(me.leader.user, list_directory(me.leader.user))}
    assert rows[open_.leader.user.last_name]["E-mail"] == open_.leader.user.email
    assert rows[secret.leader.user.last_name]["E-mail"] == "" and rows[secret.leader.user.last_name]["Téléphone"] == ""


def test_staff_export_shows_the_contacts_of_their_members(client):
    """Staff of the member's network see even the contact fields kept for staff only."""
    secret = MembershipFactory(leader=LeaderFactory(email_visibility="private"))
    client.force_login(NetworkRoleFactory(network=secret.network).user)
    content = client.get(reverse("web:directory_export", args=["csv"])).content.decode()
    assert secret.leader.user.email in content


def test_an_outsider_gets_404_on_the_export(client):
    """An account with no network cannot export."""
    MembershipFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("web:directory_export", args=["csv"])).status_code == 404
