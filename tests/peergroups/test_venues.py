"""Venues: the programme's list of meeting places, chosen by runs and by staff for a group."""

import pytest
from django.urls import reverse

from meute.core.audit import entries_for
from meute.members.models import MembershipStatus, Role
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.formation import FormationParams
from meute.peergroups.life import check_add_venue, check_edit_group
from meute.peergroups.models import PeerGroup, Venue
from meute.peergroups.services import check_publish, check_request_run
from tests.factories import (
    CompanyFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    peer_group,
)

pytestmark = pytest.mark.django_db
CODES = ["62.01Z", "43.22A", "47.11B", "56.10A", "69.20Z", "86.21Z", "41.20A", "70.22Z", "49.41A", "96.02A",
         "10.71C", "45.20A"]


def test_run_meets_at_the_programme_venue(django_capture_on_commit_callbacks):
    """With a venue near everyone, the run proposes it and the published group meets there."""
    network = NetworkFactory(family="peer", runs_peer_groups=True, slug="plato-venue")
    for code in CODES:
        MembershipFactory(network=network, status=MembershipStatus.CANDIDATE,
                          leader=LeaderFactory(company=CompanyFactory(naf_code=code)))
    staff = NetworkRoleFactory(network=network, role=Role.STAFF).user
    venue = check_add_venue(network, acting_user=staff, name="CCI de la Vienne", kind="cci", commune_code="86194",
                            address="7 rue Salvador Allende")
    with django_capture_on_commit_callbacks(execute=True):
        run = check_request_run(network, FormationParams(seconds=1), acting_user=staff)
    run.refresh_from_db()
    assert run.proposal["venues"] == [venue.pk]
    with django_capture_on_commit_callbacks(execute=True):
        check_publish(run, acting_user=staff, reason="test")
    group = PeerGroup.objects.get(network=network)
    assert group.venue == venue and group.meeting_place.startswith("CCI de la Vienne")
    assert entries_for(venue).filter(action="peergroups.venue.added").exists()


def test_unknown_commune_or_foreign_venue_is_refused():
    """A venue in an unknown commune, or another programme's venue for a group, is refused; nothing changes."""
    group = peer_group(members=2)
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    with pytest.raises(PeerGroupError, match="Unknown commune"):
        check_add_venue(group.network, acting_user=staff, name="Hôtel", kind="hotel", commune_code="00000")
    other = peer_group(members=1, name="Ailleurs")
    foreign = Venue.objects.create(network=other.network, name="Loin", commune_id="86194")
    with pytest.raises(PeerGroupError, match="not on the programme"):
        check_edit_group(group, acting_user=staff, facilitator_id=group.facilitator_id, meeting_place="",
                         visio_url="", slot="tue-1", venue_id=foreign.pk)
    group.refresh_from_db()
    assert group.venue is None


def test_staff_add_a_venue_through_the_page(client):
    """The venues page adds a venue for staff."""
    group = peer_group(members=1)
    client.force_login(NetworkRoleFactory(network=group.network, role=Role.STAFF).user)
    url = reverse("web:programme_venues", args=[group.network.slug])
    client.post(url, {"name": "Hôtel du Futuroscope", "kind": "hotel", "commune": "86194", "address": ""})
    assert Venue.objects.filter(network=group.network, name="Hôtel du Futuroscope").exists()
    assert "Hôtel du Futuroscope" in client.get(url).content.decode()
