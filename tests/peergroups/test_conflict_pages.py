"""Declaring a conflict through the page: private to staff, confirmed by them, bad input explained."""

import pytest
from django.urls import reverse

from meute.members.models import Role
from meute.peergroups.models import DeclaredConflict
from tests.factories import NetworkRoleFactory, peer_group

pytestmark = pytest.mark.django_db


def test_member_declares_staff_see_and_confirm(client):
    """A member declares by e-mail; the member sees no list; staff see it and confirm it."""
    group = peer_group(members=2)
    a, b = (m.leader for m in group.members.all())
    client.force_login(a.user)
    slug = group.network.slug
    client.post(reverse("web:programme_conflicts", args=[slug]), {"email": b.user.email, "kind": "client"})
    found = DeclaredConflict.objects.get()
    assert (found.kind, found.confirmed_at) == ("client", None)
    assert 'id="conflicts"' not in client.get(reverse("web:programme_conflicts", args=[slug])).content.decode()
    client.force_login(NetworkRoleFactory(network=group.network, role=Role.STAFF).user)
    assert b.full_name in client.get(reverse("web:programme_conflicts", args=[slug])).content.decode()
    client.post(reverse("web:programme_conflict_confirm", args=[slug, found.pk]))
    found.refresh_from_db()
    assert found.confirmed_at is not None


def test_conflict_with_oneself_or_an_unknown_email_is_explained(client):
    """Declaring oneself or an unknown e-mail stores nothing and shows why."""
    group = peer_group(members=1)
    a = group.members.first().leader
    client.force_login(a.user)
    url = reverse("web:programme_conflicts", args=[group.network.slug])
    page = client.post(url, {"email": a.user.email, "kind": "family"}, follow=True).content.decode()
    assert "themselves" in page or "soi-même" in page
    page = client.post(url, {"email": "nobody@example.org", "kind": "family"}, follow=True).content.decode()
    assert "Unknown person" in page or "Personne inconnue" in page
    assert not DeclaredConflict.objects.exists()


def test_members_and_other_networks_staff_cannot_read_or_confirm_declarations(client):
    """The query layer gives declarations to the programme's staff only; a confirm by anyone else is a 404."""
    from meute.peergroups.queries import list_declared_conflicts

    group = peer_group(members=2)
    a, b = (m.leader for m in group.members.all())
    client.force_login(a.user)
    client.post(reverse("web:programme_conflicts", args=[group.network.slug]),
                {"email": b.user.email, "kind": "family"})
    found = DeclaredConflict.objects.get()
    outsider = NetworkRoleFactory(role=Role.STAFF).user
    assert list(list_declared_conflicts(a.user, group.network)) == []
    assert list(list_declared_conflicts(outsider, group.network)) == []
    client.force_login(b.user)
    response = client.post(reverse("web:programme_conflict_confirm", args=[group.network.slug, found.pk]))
    found.refresh_from_db()
    assert (response.status_code, found.confirmed_at) == (404, None)


def test_nobody_outside_the_programme_can_be_named_in_a_conflict():
    """A leader of another network is "unknown" to a declaration, for members and staff alike."""
    from meute.peergroups.conflicts import check_declare_conflict
    from meute.peergroups.exceptions import PeerGroupError
    from tests.factories import MembershipFactory

    group = peer_group(members=2)
    a = group.members.first().leader
    outsider = MembershipFactory().leader
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    for leader, other, actor in ((a, outsider, a.user), (outsider, a, staff)):
        with pytest.raises(PeerGroupError, match="Unknown person"):
            check_declare_conflict(group.network, leader, other.pk, "family", acting_user=actor)
    assert not DeclaredConflict.objects.exists()


def test_the_page_is_not_found_for_people_outside_the_programme(client):
    """Staff of another network, or a member of another network, get a 404 and no form."""
    group = peer_group(members=1)
    url = reverse("web:programme_conflicts", args=[group.network.slug])
    answers = []
    for outsider in (NetworkRoleFactory(role=Role.STAFF).user, peer_group(members=1).members.first().leader.user):
        client.force_login(outsider)
        answers.append(client.get(url).status_code)
    assert answers == [404, 404]


def test_a_member_is_not_offered_to_declare_for_someone_else(client):
    """The « declared for » field is the staff's: a member's form has no such field."""
    group = peer_group(members=1)
    client.force_login(group.members.first().leader.user)
    page = client.get(reverse("web:programme_conflicts", args=[group.network.slug])).content.decode()
    assert 'name="about"' not in page


def test_the_programme_staff_may_declare_for_a_member(client):
    """The staff's form names the member a declaration is for."""
    group = peer_group(members=1)
    client.force_login(NetworkRoleFactory(network=group.network, role=Role.STAFF).user)
    page = client.get(reverse("web:programme_conflicts", args=[group.network.slug])).content.decode()
    assert 'name="about"' in page
