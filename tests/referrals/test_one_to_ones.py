"""One-to-ones: scheduling, both confirming, cancelling, and the engagement light's components."""

import datetime

import pytest
from django.utils import timezone

from meute.engagement.lights import compute_lights
from meute.notifications.models import Kind, Notification
from meute.referrals.exceptions import ReferralError
from meute.referrals.models import OneToOne, OneToOneStatus
from meute.referrals.onetoones import check_cancel, check_confirm_held, check_schedule
from meute.referrals.services import check_mark_won
from tests.factories import NetworkFactory
from tests.referrals.factories import give, member, one_to_one, pair

pytestmark = pytest.mark.django_db


def test_scheduling_tells_the_other_member():
    """A one-to-one scheduled is stored and the other member is notified."""
    a, b = pair()
    one = check_schedule(a, other_id=b.leader.pk, starts_at=timezone.now() + datetime.timedelta(days=2), visio=True)
    assert one.status == OneToOneStatus.SCHEDULED
    assert Notification.objects.filter(recipient=b, kind=Kind.ONE_TO_ONE).exists()


@pytest.mark.parametrize("days", [-40, 400])
def test_a_date_too_far_is_refused(days):
    """More than a month before or a year after today: refused on the date."""
    a, b = pair()
    with pytest.raises(ReferralError) as caught:
        check_schedule(a, other_id=b.leader.pk, starts_at=timezone.now() + datetime.timedelta(days=days),
                       place="Café")
    assert caught.value.field == "starts_at" and not OneToOne.objects.exists()


def test_no_place_nor_video_and_oneself_are_refused():
    """Without a place or video, or with oneself: refused, nothing stored."""
    a, b = pair()
    when = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ReferralError):
        check_schedule(a, other_id=b.leader.pk, starts_at=when)
    with pytest.raises(ReferralError):
        check_schedule(a, other_id=a.leader.pk, starts_at=when, place="Café")
    assert not OneToOne.objects.exists()


def test_it_is_held_once_both_confirm_after_it_took_place():
    """Confirming before the date is refused; after it, one confirmation waits for the other."""
    a, b = pair()
    future = one_to_one(a.leader, b.leader, days_ago=-2)
    with pytest.raises(ReferralError):
        check_confirm_held(future, acting_user=a)
    past = one_to_one(a.leader, b.leader)
    assert check_confirm_held(past, acting_user=a).status == OneToOneStatus.SCHEDULED
    with pytest.raises(ReferralError):
        check_confirm_held(past, acting_user=a)
    assert check_confirm_held(past, acting_user=b).status == OneToOneStatus.HELD


def test_an_outsider_cannot_confirm_or_cancel():
    """A third member changes nothing."""
    a, b = pair()
    one = one_to_one(a.leader, b.leader)
    for call in (check_confirm_held, check_cancel):
        with pytest.raises(ReferralError):
            call(one, acting_user=member())
    assert OneToOne.objects.get().status == OneToOneStatus.SCHEDULED


def test_the_light_counts_referrals_given_won_and_one_to_ones():
    """Giving, a referral won and a held one-to-one count as done; an unconfirmed one-to-one as expected."""
    network = NetworkFactory()
    a, b = pair(network)
    referral = give(a, b)
    check_mark_won(referral, acting_user=b, amount="10")
    held = one_to_one(a.leader, b.leader, status=OneToOneStatus.HELD, requester_confirmed=True, other_confirmed=True)
    assert held.status == "held"
    one_to_one(a.leader, b.leader, days_ago=5)
    lights = compute_lights(network.pk)
    parts = lights[a.leader.pk].components
    assert (parts["referrals_given"].attended, parts["referrals_won"].attended) == (1, 1)
    assert (parts["one_to_ones"].expected, parts["one_to_ones"].attended) == (2, 1)
    assert "referrals_given" not in lights[b.leader.pk].components
