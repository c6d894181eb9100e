import datetime

import pytest
from django.core import mail

from meute.advisor.cafe import check_pair_cafe, do_send_alumni_proposals, do_set_cafe
from meute.advisor.exceptions import AdvisorError
from meute.advisor.models import Advice, CafePairing
from meute.members.models import MembershipStatus
from tests.advisor.helpers_advisor import member
from tests.factories import MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db
MAY = datetime.date(2026, 5, 1)


def test_cafe_pairs_people_who_never_met(django_capture_on_commit_callbacks):
    """Subscribers are paired across networks: nobody is paired with a member of their own network."""
    a, b = NetworkFactory(), NetworkFactory()
    people = [member(a), member(a), member(b), member(b)]
    for leader in people:
        do_set_cafe(leader, active=True, acting_user=leader.user)
    with django_capture_on_commit_callbacks(execute=True):
        pairings = check_pair_cafe(MAY, acting_user=None, seed=1)
    assert len(pairings) == 2 and len(mail.outbox) == 2
    for pairing in pairings:
        networks = [set(x.memberships.values_list("network_id", flat=True)) for x in pairing.leaders.all()]
        assert not networks[0] & networks[1]


def test_cafe_odd_count_makes_one_table_of_three_and_refuses_twice():
    """Five subscribers give two tables, one of three; a month is paired once."""
    for _ in range(5):
        leader = member(NetworkFactory())
        do_set_cafe(leader, active=True, acting_user=leader.user)
    pairings = check_pair_cafe(MAY, acting_user=None)
    assert sorted(p.leaders.count() for p in pairings) == [2, 3]
    with pytest.raises(AdvisorError):
        check_pair_cafe(MAY, acting_user=None)


def test_cafe_does_not_repeat_last_months_pairs():
    """Next month, last month's pairs meet someone else."""
    people = [member(NetworkFactory()) for _ in range(4)]
    for leader in people:
        do_set_cafe(leader, active=True, acting_user=leader.user)
    first = {frozenset(p.leaders.values_list("pk", flat=True)) for p in check_pair_cafe(MAY, acting_user=None)}
    second = {frozenset(p.leaders.values_list("pk", flat=True))
              for p in check_pair_cafe(datetime.date(2026, 6, 1), acting_user=None)}
    assert not first & second and CafePairing.objects.count() == 4


def test_alumni_receive_proposals_once(django_capture_on_commit_callbacks):
    """Alumni of a peer network get the advisor's proposals by mail, once."""
    from meute.territory.models import Department

    peer = NetworkFactory(family="peer", slug="plato-x")
    club = NetworkFactory(family="geographic", slug="club-86", home_commune_id="86194", hours_per_month=2)
    club.departments.set(Department.objects.filter(code="86"))
    alumnus = member(NetworkFactory())
    MembershipFactory(leader=alumnus, network=peer, status=MembershipStatus.ALUMNI)
    with django_capture_on_commit_callbacks(execute=True):
        sent = do_send_alumni_proposals(peer, acting_user=None)
    assert len(sent) == 1 and mail.outbox[-1].to == [alumnus.user.email]
    assert "club-86" in [n["slug"] for n in sent[0].result["networks"]]
    assert "plato-x" not in [n["slug"] for n in sent[0].result["networks"]]
    assert do_send_alumni_proposals(peer, acting_user=None) == [] and Advice.objects.count() == 1
