"""Simultaneous commitments to a pooled purchase, on PostgreSQL only (SQLite serialises every write)."""

import pytest
from django.db import connection

from meute.purchases.exceptions import PurchaseError
from meute.purchases.models import Commitment
from meute.purchases.services import check_commit
from tests.concurrency.helpers import race
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory
from tests.purchases.factories import open_campaign

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]
THREADS = 25


def test_100_simultaneous_commitments_end_exactly_at_the_limits():
    """100 concurrent commitments of 7 units (cap 20 per company, 350 available): 50 accepted, 350 units."""
    campaign, item, _staff = open_campaign(maximum_total=350, cap_fixed=20, pack_size=1)
    users = [MembershipFactory(network=campaign.network, leader=LeaderFactory(company=CompanyFactory())).leader.user
             for _ in range(100)]
    outcomes = race(*(lambda user=user: check_commit(item, user, quantity=7) for user in users), together=THREADS)
    refused = [o for o in outcomes if isinstance(o, PurchaseError)]
    assert sum(Commitment.objects.filter(item=item).values_list("quantity", flat=True)) == 350
    assert len(refused) == 50


def test_one_company_committing_twice_at_once_stays_within_its_cap():
    """Two members of one company raising the commitment at once never exceed the company's cap."""
    campaign, item, _staff = open_campaign(cap_fixed=20, pack_size=1)
    company = CompanyFactory()
    users = [MembershipFactory(network=campaign.network, leader=LeaderFactory(company=company)).leader.user
             for _ in range(10)]
    race(*(lambda index=index, user=user: check_commit(item, user, quantity=10 + index)
           for index, user in enumerate(users)))
    commitment = Commitment.objects.get(item=item)
    assert commitment.quantity <= 20 and Commitment.objects.filter(item=item).count() == 1
