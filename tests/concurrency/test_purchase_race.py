"""Simultaneous commitments to a pooled purchase, on PostgreSQL only (SQLite serialises every write)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from meute.purchases.exceptions import PurchaseError
from meute.purchases.models import Commitment
from meute.purchases.services import check_commit
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
    start = threading.Barrier(THREADS)
    refused = []

    def commit(index: int) -> None:
        if index < THREADS:
            start.wait()
        try:
            check_commit(item, users[index], quantity=7)
        except PurchaseError:
            refused.append(index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(commit, range(100)))
    assert sum(Commitment.objects.filter(item=item).values_list("quantity", flat=True)) == 350
    assert len(refused) == 50


def test_one_company_committing_twice_at_once_stays_within_its_cap():
    """Two members of one company raising the commitment at once never exceed the company's cap."""
    campaign, item, _staff = open_campaign(cap_fixed=20, pack_size=1)
    company = CompanyFactory()
    users = [MembershipFactory(network=campaign.network, leader=LeaderFactory(company=company)).leader.user
             for _ in range(10)]
    start = threading.Barrier(10)

    def commit(index: int) -> None:
        start.wait()
        try:
            check_commit(item, users[index], quantity=10 + index)
        except PurchaseError:
            pass
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(commit, range(10)))
    commitment = Commitment.objects.get(item=item)
    assert commitment.quantity <= 20 and Commitment.objects.filter(item=item).count() == 1
