"""Simultaneous steps of one referral, on PostgreSQL only: serialised on the referral's row."""

import pytest
from django.db import connection

from meute.core.models import AuditEntry
from meute.notifications.models import Notification
from meute.referrals.exceptions import ReferralError
from meute.referrals.models import OneToOne, Referral, Status
from meute.referrals.onetoones import check_confirm_held
from meute.referrals.services import check_accept, check_decline, check_give_referral, check_mark_won
from tests.concurrency.helpers import race
from tests.referrals.factories import give, one_to_one, pair

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _fresh(referral):
    return Referral.objects.get(pk=referral.pk)


def test_a_double_won_stores_one_amount_and_one_thank_you():
    """« Won » clicked twice at once with two amounts: one is kept, one thank-you, the other refused."""
    giver, receiver = pair()
    referral = give(giver, receiver)
    outcomes = race(lambda: check_mark_won(_fresh(referral), acting_user=receiver, amount="100"),
                    lambda: check_mark_won(_fresh(referral), acting_user=receiver, amount="200"))
    assert sum(isinstance(o, ReferralError) for o in outcomes) == 1
    assert AuditEntry.objects.filter(action="referrals.referral.won").count() == 1
    assert Notification.objects.filter(recipient=giver).count() == 1
    assert _fresh(referral).amount in (100, 200)


def test_accept_against_decline_leaves_one_answer():
    """Accept and decline at the same moment: one wins, the other is refused, one entry."""
    giver, receiver = pair()
    referral = give(giver, receiver)
    outcomes = race(lambda: check_accept(_fresh(referral), acting_user=receiver),
                    lambda: check_decline(_fresh(referral), acting_user=receiver, reason="Trop loin"))
    assert sum(isinstance(o, ReferralError) for o in outcomes) == 1
    status = _fresh(referral).status
    assert status in (Status.ACCEPTED, Status.DECLINED)
    assert AuditEntry.objects.filter(action__in=["referrals.referral.accepted",
                                                 "referrals.referral.declined"]).count() == 1


def test_a_form_sent_twice_at_once_gives_one_referral():
    """The same form (same token) posted twice at once: one referral, the second refused."""
    giver, receiver = pair()
    values = {"receiver_id": receiver.leader.pk, "prospect_name": "P", "prospect_email": "p@x.org", "need": "n",
              "submission": "same-token"}
    outcomes = race(lambda: check_give_referral(giver, **values), lambda: check_give_referral(giver, **values))
    assert sum(isinstance(o, ReferralError) for o in outcomes) == 1
    assert Referral.objects.count() == 1


def test_both_confirming_a_one_to_one_at_once_mark_it_held():
    """The two members confirm at the same moment: both count, it is held."""
    a, b = pair()
    one = one_to_one(a.leader, b.leader)
    outcomes = race(lambda: check_confirm_held(OneToOne.objects.get(pk=one.pk), acting_user=a),
                    lambda: check_confirm_held(OneToOne.objects.get(pk=one.pk), acting_user=b))
    assert not any(isinstance(o, ReferralError) for o in outcomes)
    assert OneToOne.objects.get(pk=one.pk).status == "held"
