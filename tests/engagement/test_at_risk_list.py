"""The cockpit's list of members at risk: who is in it, in which order, and how many."""

import pytest

from meute.engagement.queries import network_engagement
from tests.engagement.helpers import fresh_group, held
from tests.factories import NetworkRoleFactory

pytestmark = pytest.mark.django_db
P, A = "present", "absent"


def test_a_member_who_missed_the_last_two_meetings_is_listed_and_flagged_though_not_red():
    """Three of five meetings attended (amber), the last two missed: listed, with the « missed twice » flag."""
    group, (a, b, _c) = fresh_group()
    for days in (150, 120, 90):
        held(group, days, {a: P, b: P})
    held(group, 40, {a: P, b: A})
    held(group, 10, {a: P, b: A})
    engagement = network_engagement(NetworkRoleFactory(network=group.network).user, group.network)
    assert [(r.leader.pk, r.light.colour, r.missed_twice) for r in engagement.at_risk] == [(b.pk, "amber", True)]


def test_the_lowest_rate_comes_first():
    """Two red members: the one who came to no meeting (0 %) is listed before the one who came to one
    of four (25 %), whatever their names."""
    group, (a, b, c) = fresh_group()
    held(group, 90, {a: A, b: A, c: P})
    held(group, 60, {a: A, b: A, c: P})
    held(group, 30, {a: A, b: A, c: P})
    held(group, 5, {a: P, b: A, c: P})
    engagement = network_engagement(NetworkRoleFactory(network=group.network).user, group.network)
    assert [r.leader.pk for r in engagement.at_risk] == [b.pk, a.pk]


def test_the_total_counts_every_member_at_risk_beyond_those_shown():
    """With room for one, the list shows one member and the total says two."""
    group, (a, b, _c) = fresh_group()
    for days in (90, 60, 30):
        held(group, days, {a: A, b: A})
    engagement = network_engagement(NetworkRoleFactory(network=group.network).user, group.network, at_risk_limit=1)
    assert (len(engagement.at_risk), engagement.at_risk_total) == (1, 2)
