"""The group page lets staff change a published group, record a departure and invite a replacement."""

import pytest
from django.urls import reverse

from meute.core.audit import entries_for
from meute.members.models import MembershipStatus, Role
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, NetworkRoleFactory, peer_group

pytestmark = pytest.mark.django_db


def test_staff_edit_slot_and_replace_through_the_page(client, django_capture_on_commit_callbacks):
    """Staff post a new facilitator and slot, a departure and an invitation; each is stored and audited."""
    group = peer_group(members=3)
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    new_fac = NetworkRoleFactory(network=group.network, role=Role.FACILITATOR).user
    newcomer = LeaderFactory(company=CompanyFactory(naf_code="01.11Z"))
    MembershipFactory(network=group.network, leader=newcomer, status=MembershipStatus.CANDIDATE)
    client.force_login(staff)
    page = client.get(reverse("web:group", args=[group.pk])).content.decode()
    assert 'id="edit-group"' in page and newcomer.full_name in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:group_edit", args=[group.pk]),
                    {"facilitator": new_fac.pk, "slot": "fri-2", "meeting_place": "Hôtel", "visio_url": ""})
        leaving = group.members.first()
        client.post(reverse("web:group_leave", args=[group.pk]), {"member": leaving.pk, "reason": "Retraite"})
        client.post(reverse("web:group_replace", args=[group.pk]), {"leader": newcomer.pk})
    group.refresh_from_db()
    assert (group.facilitator_id, group.meeting_slot) == (new_fac.pk, "fri-2")
    assert group.members.get(pk=leaving.pk).status == "left"
    assert group.members.filter(leader=newcomer, status="active").exists()
    actions = set(entries_for(group).values_list("action", flat=True))
    assert {"peergroups.group.edited", "peergroups.member.left", "peergroups.member.replaced"} <= actions


def test_unknown_replacement_is_a_clear_message(client):
    """Inviting a person who does not exist changes nothing and says why."""
    group = peer_group(members=2)
    client.force_login(NetworkRoleFactory(network=group.network, role=Role.STAFF).user)
    response = client.post(reverse("web:group_replace", args=[group.pk]), {"leader": "abc"}, follow=True)
    assert "Unknown person" in response.content.decode() or "inconnue" in response.content.decode()
    assert group.members.count() == 2


def test_a_full_group_offers_no_invitation_and_refuses_one(client):
    """At capacity the page shows no "Inviter" button but says the group is full; a forged invitation is refused."""
    from meute.peergroups.life import MAX_GROUP_SIZE

    group = peer_group(members=MAX_GROUP_SIZE)
    newcomer = LeaderFactory(company=CompanyFactory(naf_code="01.11Z"))
    MembershipFactory(network=group.network, leader=newcomer, status=MembershipStatus.CANDIDATE)
    client.force_login(NetworkRoleFactory(network=group.network, role=Role.STAFF).user)
    page = client.get(reverse("web:group", args=[group.pk])).content.decode()
    assert newcomer.full_name in page and 'class="invite"' not in page and "complet" in page
    response = client.post(reverse("web:group_replace", args=[group.pk]), {"leader": newcomer.pk}, follow=True)
    assert f"est complet ({MAX_GROUP_SIZE} membres)" in response.content.decode()
    assert not group.members.filter(leader=newcomer).exists()
