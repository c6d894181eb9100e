"""Factories and helpers for referrals."""

import datetime

from django.utils import timezone

from meute.referrals.models import OneToOne, Referral, Status
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, NetworkFactory


def member(network=None, **company):
    """An active, listed member of ``network`` (a new one by default): their user."""
    network = network or NetworkFactory()
    return MembershipFactory(network=network, leader=LeaderFactory(company=CompanyFactory(**company))).leader.user


def pair(network=None):
    """Two members of the same network: (giver, receiver) users."""
    network = network or NetworkFactory()
    return member(network), member(network)


def give(giver, receiver, **fields):
    """A referral given through the service, with an agreed prospect and a contact."""
    from meute.referrals.services import check_give_referral

    values = {"prospect_name": "Claire Martin", "prospect_company": "Martin BTP",
              "prospect_email": "claire@martin.example", "prospect_agreed": True,
              "need": "Refaire le site web de l'entreprise", **fields}
    return check_give_referral(giver, receiver_id=receiver.leader.pk, **values)


def won_referral(giver_leader, receiver_leader, amount, *, network=None, days_ago=10):
    """A referral stored as won ``days_ago`` days ago (counted for ``network``)."""
    when = timezone.now() - datetime.timedelta(days=days_ago)
    referral = Referral.objects.create(giver=giver_leader, receiver=receiver_leader, prospect_name="P",
                                       prospect_email="p@example.org", prospect_agreed=True, need="n",
                                       status=Status.WON, amount=amount, moved_at=when, closed_at=when)
    Referral.objects.filter(pk=referral.pk).update(created=when)
    if network is not None:
        referral.counted_in.create(network=network)
    return referral


def one_to_one(a_leader, b_leader, *, days_ago=3, **fields):
    return OneToOne.objects.create(requester=a_leader, other=b_leader, place="Café",
                                   starts_at=timezone.now() - datetime.timedelta(days=days_ago), **fields)
