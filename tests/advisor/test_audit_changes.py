"""Advisor services leave audit entries with the old and new values."""

from decimal import Decimal

import pytest

from meute.advisor.cafe import do_set_cafe
from meute.advisor.introductions import check_answer_introduction
from meute.advisor.services import check_save_network_entry
from meute.core.audit import entries_for
from tests.factories import IntroductionFactory, LeaderFactory, NetworkFactory, NetworkRoleFactory

pytestmark = pytest.mark.django_db


def test_directory_entry_update_logs_old_and_new_values_in_the_network():
    """A network's staff updating its directory entry logs the fields before and after, in that network."""
    network = NetworkFactory(fee_amount=Decimal(100))
    staff = NetworkRoleFactory(network=network).user
    check_save_network_entry(network, acting_user=staff, fee_amount=Decimal("150.50"))
    entry = entries_for(network).get(action="advisor.network.updated")
    assert {k: [str(v) for v in pair] for k, pair in entry.changes.items()} == {"fee_amount": ["100", "150.50"]}
    assert list(entry.networks.all()) == [network]


def test_answering_an_introduction_logs_the_status_before_and_after():
    """Accepting an introduction logs pending → accepted."""
    intro = IntroductionFactory()
    check_answer_introduction(intro, accept=True, acting_user=intro.target.user)
    assert entries_for(intro).get(action="advisor.introduction.accepted").changes == {
        "status": ["pending", "accepted"]}


def test_cafe_subscription_logs_before_and_after():
    """Joining then leaving the café logs none → joined, then joined → left."""
    leader = LeaderFactory()
    do_set_cafe(leader, active=True, acting_user=leader.user)
    do_set_cafe(leader, active=False, acting_user=leader.user)
    assert [e.changes for e in entries_for(leader).order_by("id")] == [{"cafe": [None, True]},
                                                                       {"cafe": [True, False]}]
