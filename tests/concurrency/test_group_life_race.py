"""Concurrent changes to published groups, on PostgreSQL only: one effect, the loser gets a message."""

import pytest
from django.db import connection

from meute.core.exceptions import MeuteError
from meute.members.models import MembershipStatus, Role
from meute.peergroups.life import check_add_replacement, check_edit_group
from meute.peergroups.models import GroupMember, PeerGroup
from tests.concurrency.helpers import race
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, NetworkRoleFactory, peer_group

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_two_groups_of_one_facilitator_never_get_the_same_slot_at_once():
    """Two staff giving two groups of one facilitator the same slot at once: one wins, the other is told."""
    first = peer_group(members=1, name="Un")
    second = peer_group(members=1, name="Deux", network=first.network)
    PeerGroup.objects.filter(pk=second.pk).update(facilitator=first.facilitator, meeting_slot="mon-1")
    PeerGroup.objects.filter(pk=first.pk).update(meeting_slot="mon-2")
    staff = NetworkRoleFactory(network=first.network, role=Role.STAFF).user
    second.refresh_from_db()
    first.refresh_from_db()
    outcomes = race(*(lambda g=g: check_edit_group(g, acting_user=staff, facilitator_id=g.facilitator_id,
                                                   meeting_place="", visio_url="", slot="thu-4")
                      for g in (first, second)))
    assert sum(isinstance(o, MeuteError) for o in outcomes) == 1
    assert PeerGroup.objects.filter(meeting_slot="thu-4").count() == 1


def test_two_replacements_for_the_last_seat_admit_one():
    """Two candidates invited at once into a group with one seat left: one joins, the other is refused."""
    group = peer_group(members=11)
    staff = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    people = []
    for naf in ("01.11Z", "02.10Z"):
        leader = LeaderFactory(company=CompanyFactory(naf_code=naf))
        MembershipFactory(network=group.network, leader=leader, status=MembershipStatus.CANDIDATE)
        people.append(leader)
    outcomes = race(*(lambda p=p: check_add_replacement(group, p, acting_user=staff) for p in people))
    assert sum(isinstance(o, MeuteError) for o in outcomes) == 1
    assert GroupMember.objects.filter(group=group, status="active").count() == 12
