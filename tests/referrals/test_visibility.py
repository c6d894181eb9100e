"""A person's referral notifications are checked in one query, with the same rule as each page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meute.notifications.visibility import visible_keys
from meute.referrals.models import OneToOne
from tests.referrals.factories import give, member, pair

pytestmark = pytest.mark.django_db


def test_only_the_giver_and_the_receiver_see_a_referral_among_many():
    """Of three referrals, the person gave one and received one: those two are visible, the third is not."""
    giver, receiver = pair()
    network = receiver.leader.memberships.get().network
    third = member(network)
    mine = give(giver, receiver)
    received = give(receiver, giver)
    other = give(receiver, third)
    keys = [("referrals.referral", r.pk) for r in (mine, received, other)]
    assert visible_keys(giver, keys) == {("referrals.referral", mine.pk), ("referrals.referral", received.pk)}


def test_only_the_two_members_see_a_one_to_one():
    a, b = pair()
    one = OneToOne.objects.create(requester=a.leader, other=b.leader, starts_at=timezone.now())
    outsider = member()
    key = ("referrals.onetoone", one.pk)
    assert (visible_keys(a, [key]), visible_keys(outsider, [key])) == ({key}, set())


def test_many_referrals_are_checked_in_one_query():
    """Ten referrals received: the check asks the database once, whatever their number."""
    giver, receiver = pair()
    keys = [("referrals.referral", give(giver, receiver, need=f"besoin {i}").pk) for i in range(10)]
    receiver = type(receiver).objects.get(pk=receiver.pk)  # nothing cached on the person
    with CaptureQueriesContext(connection) as queries:
        assert len(visible_keys(receiver, keys)) == 10
    assert len(queries) <= 2  # the person's leader profile, then the referrals
