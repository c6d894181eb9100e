"""The common pages cost a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meute.events.services import do_register
from meute.peergroups.models import GroupMember
from tests.factories import EventFactory, MembershipFactory, NetworkFactory, peer_group

pytestmark = pytest.mark.django_db

# Upper bounds (the pages' queries today, plus a little room): session, user, the person's
# networks and roles (cached between requests), then the page's own reads.
# The home gathers every role's sections (meetings, votes, introductions, schedules, lights, news,
# notifications, routed questions): its budget is larger, and the five-or-forty test above keeps it from growing
# with the data. Until the network's stored lights are built, the member's own light is computed from each
# engagement component (one or two aggregates each: meetings, events, answers, referrals given and won,
# one-to-ones), which is most of it.
MAX_QUERIES = {"home": 27, "directory": 8, "directory_filtered": 8, "profile": 12, "group": 16, "events": 8}


def _world():
    """A member of a peer group and another member of the same network."""
    group = peer_group(members=3)
    me = GroupMember.objects.filter(group=group).select_related("leader__user").first().leader
    other = MembershipFactory(network=group.network).leader
    return me, other, group


def _grow(me, group, rows: int) -> None:
    """``rows`` more members (some in the group, some elsewhere) and events (some with ``me`` registered)."""
    crowd = NetworkFactory()
    for index in range(rows):
        membership = MembershipFactory(network=group.network if index % 2 else crowd)
        if index % 3 == 0:
            GroupMember.objects.create(group=group, leader=membership.leader)
        event = EventFactory(network=group.network, audience="public" if index % 2 else "members")
        if index % 4 == 0:
            do_register(event, me.user, offers="", needs="", wishes=[])


def _urls(other, group) -> dict[str, str]:
    return {
        "home": reverse("web:home"),
        "directory": reverse("web:directory"),
        "directory_filtered": reverse("web:directory") + "?department=86&naf=J",
        "profile": reverse("web:profile", args=[other.pk]),
        "group": reverse("web:group", args=[group.pk]),
        "events": reverse("web:events"),
    }


def _counts(client, urls: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in urls.items():
        client.get(url)  # the person's networks and roles are now cached, as on any later request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_main_pages_cost_the_same_queries_with_five_or_forty_rows(client):
    """Home, directory, a profile, a peer group and the events list: the same queries with 5 or 40 rows."""
    me, other, group = _world()
    _grow(me, group, 5)
    client.force_login(me.user)
    few = _counts(client, _urls(other, group))
    _grow(me, group, 35)
    many = _counts(client, _urls(other, group))
    assert few == many


@pytest.mark.parametrize("name", sorted(MAX_QUERIES))
def test_each_main_page_stays_under_its_query_budget(client, django_assert_max_num_queries, name):
    """Each main page stays under its query budget with 40 rows around it."""
    me, other, group = _world()
    _grow(me, group, 40)
    client.force_login(me.user)
    url = _urls(other, group)[name]
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES[name]):
        assert client.get(url).status_code == 200
