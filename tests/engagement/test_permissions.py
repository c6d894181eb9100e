import pytest

from meute.core.exceptions import NotFound
from meute.engagement.queries import list_group_lights, my_lights, network_engagement
from meute.members.models import Role
from tests.engagement.helpers import fresh_group, held
from tests.factories import NetworkRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_reads_only_their_own_light():
    """A member's home light is theirs alone, one per network."""
    group, (a, b, _c) = fresh_group()
    held(group, 10, {a: "present", b: "absent"})
    lights = my_lights(a.user)
    assert [(n.pk, light.leader_id, light.colour) for n, light in lights] == [(group.network_id, a.pk, "green")]


def test_the_facilitator_and_staff_read_the_group_lights():
    """The group's facilitator and the network's staff read every member's light."""
    group, (a, b, c) = fresh_group()
    held(group, 10, {a: "present", b: "absent", c: "excused"})
    staff = NetworkRoleFactory(network=group.network).user
    for user in (group.facilitator, staff):
        assert {x.pk: light.colour for x, light in list_group_lights(user, group)} == {
            a.pk: "green", b.pk: "red", c.pk: "grey"}


def test_members_sponsors_outsiders_and_other_staff_read_no_group_light():
    """A member, a sponsor, an outsider and another network's staff get not found."""
    group, (a, _b, _c) = fresh_group()
    held(group, 10, {a: "present"})
    sponsor = group.sponsors.first()
    for user in (a.user, sponsor, UserFactory(), NetworkRoleFactory().user):
        with pytest.raises(NotFound):
            list_group_lights(user, group)


def test_only_the_networks_staff_read_its_engagement():
    """The at-risk list is for the network's staff; its facilitator, a member, another network's staff: not found."""
    group, (a, b, _c) = fresh_group()
    held(group, 10, {a: "present", b: "absent"})
    held(group, 40, {a: "present", b: "absent"})
    staff = NetworkRoleFactory(network=group.network).user
    engagement = network_engagement(staff, group.network)
    assert [(r.leader.pk, r.missed_twice) for r in engagement.at_risk] == [(b.pk, True)]
    assert engagement.counts == {"green": 1, "amber": 0, "red": 1, "grey": 1}
    facilitator = NetworkRoleFactory(network=group.network, role=Role.FACILITATOR).user
    for user in (a.user, facilitator, UserFactory(), NetworkRoleFactory().user):
        with pytest.raises(NotFound):
            network_engagement(user, group.network)


def test_the_personal_data_download_holds_answers_and_signals():
    """A member's data download lists their meeting answers and the engagement signals about them."""
    from meute.engagement.models import RiskSignal
    from meute.members.privacy import personal_data
    from tests.engagement.helpers import said_no

    group, (a, _b, _c) = fresh_group()
    meeting = held(group, 10, {a: "absent"})
    said_no(meeting, a)
    RiskSignal.objects.create(leader=a, network=group.network, reason="red", occurrence="red:x")
    data = personal_data(a.user)
    assert [r["answer"] for r in data["meeting_replies"]] == ["not_coming"]
    assert [r["reason"] for r in data["engagement_signals"]] == ["red"]
