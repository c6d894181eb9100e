"""Facilitators' offers: staff set how many groups each leads and the monthly slots offered."""

import pytest
from django.urls import reverse

from meute.core.audit import entries_for
from meute.members.models import Role
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.facilitators import check_set_facilitator_offer
from meute.peergroups.models import FacilitatorOffer
from tests.factories import NetworkFactory, NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    network = NetworkFactory(family="peer", runs_peer_groups=True, slug="plato-offers")
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    facilitator = NetworkRoleFactory(network=network, role=Role.FACILITATOR).user
    return network, staff, facilitator


def test_staff_set_an_offer_and_it_is_audited(programme):
    """The capacity and slots are stored, and the audit entry holds the new values."""
    network, staff, facilitator = programme
    offer = check_set_facilitator_offer(network, facilitator.pk, capacity=2, slots=["thu-3", "tue-1"],
                                        acting_user=staff)
    assert (offer.capacity, offer.slot_list) == (2, ["tue-1", "thu-3"])
    assert entries_for(offer).get(action="peergroups.facilitator_offer.set").changes == {
        "capacity": [None, 2], "slots": [None, "tue-1;thu-3"]}


def test_setting_again_updates_the_one_offer(programme):
    """A second setting changes the same offer; there is never two for one facilitator."""
    network, staff, facilitator = programme
    check_set_facilitator_offer(network, facilitator.pk, capacity=1, slots=["tue-1"], acting_user=staff)
    check_set_facilitator_offer(network, facilitator.pk, capacity=2, slots=["tue-1", "wed-2"], acting_user=staff)
    assert list(FacilitatorOffer.objects.filter(network=network).values_list("capacity", "slots")) == [
        (2, "tue-1;wed-2")]


def test_fewer_slots_than_groups_is_refused(programme):
    """Two groups in one slot would clash: the offer needs as many slots as groups."""
    network, staff, facilitator = programme
    with pytest.raises(PeerGroupError, match="different slots"):
        check_set_facilitator_offer(network, facilitator.pk, capacity=3, slots=["tue-1", "thu-1"], acting_user=staff)
    assert not FacilitatorOffer.objects.exists()


@pytest.mark.parametrize("slot", ["sat-1", "tue-5", "", "x" * 500])
def test_an_unknown_slot_is_refused(programme, slot):
    """A slot that is not a weekday and week of the month is a field error."""
    network, staff, facilitator = programme
    with pytest.raises(PeerGroupError) as error:
        check_set_facilitator_offer(network, facilitator.pk, capacity=1, slots=[slot], acting_user=staff)
    assert error.value.field == "slots"


def test_someone_who_is_not_a_facilitator_is_refused(programme):
    """An offer is only for the programme's facilitators."""
    network, staff, _facilitator = programme
    with pytest.raises(PeerGroupError, match="not a facilitator"):
        check_set_facilitator_offer(network, UserFactory().pk, capacity=1, slots=["tue-1"], acting_user=staff)


def test_staff_of_another_network_may_not_set_an_offer(programme):
    """Only the programme's staff set offers."""
    network, _staff, facilitator = programme
    outsider = NetworkRoleFactory(role=Role.STAFF).user
    with pytest.raises(PeerGroupError, match="Only the programme's staff"):
        check_set_facilitator_offer(network, facilitator.pk, capacity=1, slots=["tue-1"], acting_user=outsider)


def test_the_page_saves_an_offer(client, programme):
    """Staff tick the slots on the page; the offer is saved."""
    network, staff, facilitator = programme
    client.force_login(staff)
    url = reverse("web:programme_facilitators", args=[network.slug])
    client.post(url, {"facilitator": facilitator.pk, "capacity": 2, "slots": ["tue-1", "thu-3"]})
    assert FacilitatorOffer.objects.get(network=network, user=facilitator).slot_list == ["tue-1", "thu-3"]


def test_the_page_is_not_found_for_outsiders(client, programme):
    """Staff of another network get a 404, not the list of facilitators."""
    network, _staff, _facilitator = programme
    client.force_login(NetworkRoleFactory(role=Role.STAFF).user)
    assert client.get(reverse("web:programme_facilitators", args=[network.slug])).status_code == 404
