"""Services of referrals: giving, the lifecycle, bad input, reminders and expiry."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from meute.core.models import AuditEntry
from meute.notifications.models import Kind, Notification
from meute.referrals.exceptions import ReferralError
from meute.referrals.models import Referral, ReferralNetwork, Status
from meute.referrals.services import (
    check_accept,
    check_decline,
    check_mark_contacted,
    check_mark_lost,
    check_mark_won,
    check_share_amount,
    expire_stale,
    send_reminders,
)
from tests.factories import LeaderFactory, MembershipFactory, NetworkFactory, UserFactory
from tests.referrals.factories import give, member, pair

pytestmark = pytest.mark.django_db


def test_giving_stores_the_referral_tells_the_receiver_and_audits():
    """A referral given is stored, counted for the network, notified to the receiver and audited."""
    giver, receiver = pair()
    referral = give(giver, receiver)
    assert (referral.giver_id, referral.receiver_id, referral.status) == (giver.leader.pk, receiver.leader.pk, "given")
    assert ReferralNetwork.objects.filter(referral=referral).count() == 1
    note = Notification.objects.get(recipient=receiver, kind=Kind.REFERRAL)
    assert "Claire Martin" in note.title
    entry = AuditEntry.objects.get(action="referrals.referral.given")
    assert not entry.network_links.exists()  # private: only the site administrator reads it


def test_a_referral_between_two_networks_counts_for_both():
    """Giver and receiver in different networks (receiver listed): the referral counts for both networks."""
    giver, receiver = member(), member()
    referral = give(giver, receiver)
    assert set(referral.counted_in.values_list("network_id", flat=True)) == {
        giver.leader.memberships.get().network_id, receiver.leader.memberships.get().network_id}


def test_without_the_prospects_agreement_it_is_a_lead():
    """Without the box ticked the referral is a lead, and the receiver is told so."""
    giver, receiver = pair()
    referral = give(giver, receiver, prospect_agreed=False)
    assert referral.is_lead
    assert "lead" in Notification.objects.get(recipient=receiver).title.lower() or "piste" in \
        Notification.objects.get(recipient=receiver).title.lower()


@pytest.mark.parametrize(("fields", "field"), [
    ({"prospect_email": "", "prospect_phone": ""}, "prospect_email"),
    ({"prospect_name": "  "}, "prospect_name"),
    ({"need": ""}, "need"),
    ({"warmth": "boiling"}, "warmth"),
    ({"prospect_email": "not-an-address"}, "prospect_email"),
    ({"need": "x" * 2001}, "need"),
    ({"prospect_phone": "abc<script>"}, "prospect_phone"),
])
def test_bad_input_is_refused_and_changes_nothing(fields, field):
    """A missing contact, name or need, an unknown warmth, a bad e-mail or a long text: refused on its field."""
    giver, receiver = pair()
    with pytest.raises(ReferralError) as caught:
        give(giver, receiver, **fields)
    assert caught.value.field == field
    assert not Referral.objects.exists() and not Notification.objects.exists()


def test_a_referral_to_oneself_is_refused():
    """Giving to oneself is refused with a message."""
    giver = member()
    with pytest.raises(ReferralError, match=r"yourself|vous-même"):
        give(giver, giver)
    assert not Referral.objects.exists()


def test_a_referral_to_someone_the_giver_cannot_see_is_refused():
    """An unlisted member of another network is unknown to the giver: same message as a missing id."""
    giver = member()
    hidden = MembershipFactory(leader=LeaderFactory(listed=False)).leader
    with pytest.raises(ReferralError) as unseen:
        give(giver, hidden.user)
    from meute.referrals.services import check_give_referral

    with pytest.raises(ReferralError) as missing:
        check_give_referral(giver, receiver_id=10**12, prospect_name="P", prospect_email="p@x.org", need="n")
    assert unseen.value.message == missing.value.message
    assert not Referral.objects.exists()


def test_someone_without_a_leader_profile_cannot_give():
    """A user who is no member gives nothing."""
    receiver = member()
    with pytest.raises(ReferralError):
        give(UserFactory(), receiver)


def test_a_form_sent_twice_gives_one_referral():
    """The same submission token twice: the second is refused with a message, one referral stored."""
    giver, receiver = pair()
    give(giver, receiver, submission="abc")
    with pytest.raises(ReferralError, match=r"already|déjà"):
        give(giver, receiver, submission="abc")
    assert Referral.objects.count() == 1


def test_the_whole_lifecycle_tells_the_giver_at_each_step_and_thanks_them():
    """given → accepted → contacted → won: each step notified to the giver, the last as a thank-you."""
    giver, receiver = pair()
    referral = give(giver, receiver)
    check_accept(referral, acting_user=receiver)
    check_mark_contacted(referral, acting_user=receiver)
    check_mark_won(referral, acting_user=receiver, amount="12 500,50", business="repeat")
    referral.refresh_from_db()
    assert (referral.status, referral.amount, referral.business) == ("won", Decimal("12500.50"), "repeat")
    titles = list(Notification.objects.filter(recipient=giver).order_by("pk").values_list("title", flat=True))
    assert len(titles) == 3 and ("Merci" in titles[-1] or "Thank you" in titles[-1])
    body = Notification.objects.filter(recipient=giver).order_by("pk").last().body
    assert "12500" not in body and "12 500" not in body  # not shared: the giver sees "won" only
    assert AuditEntry.objects.filter(action="referrals.referral.won").exists()
    assert "12500" not in str(AuditEntry.objects.get(action="referrals.referral.won").changes)


def test_a_shared_amount_reaches_the_giver():
    """When the receiver shares the amount, the thank-you says it."""
    giver, receiver = pair()
    referral = give(giver, receiver)
    check_mark_won(referral, acting_user=receiver, amount="800", share=True)
    assert "800" in Notification.objects.filter(recipient=giver).last().body


def test_declining_needs_a_reason_the_giver_reads():
    """A decline without a reason is refused; with one, the giver reads it."""
    giver, receiver = pair()
    referral = give(giver, receiver)
    with pytest.raises(ReferralError):
        check_decline(referral, acting_user=receiver, reason=" ")
    check_decline(referral, acting_user=receiver, reason="Hors de ma zone")
    assert Referral.objects.get().status == Status.DECLINED
    assert "Hors de ma zone" in Notification.objects.filter(recipient=giver).last().body


@pytest.mark.parametrize("amount", ["-5", "1000000", "1e9", "abc", "nan", "Infinity", ""])
def test_a_negative_or_absurd_amount_is_refused(amount):
    """A negative, absurd or unreadable amount: a message on the amount, the referral unchanged."""
    giver, receiver = pair()
    referral = give(giver, receiver)
    with pytest.raises(ReferralError) as caught:
        check_mark_won(referral, acting_user=receiver, amount=amount)
    assert caught.value.field == "amount"
    assert Referral.objects.get().status == Status.GIVEN


def test_only_the_receiver_moves_the_referral():
    """Neither the giver nor a third member may change the status; nothing changes."""
    giver, receiver = pair()
    referral = give(giver, receiver)
    for person in (giver, member()):
        with pytest.raises(ReferralError):
            check_accept(referral, acting_user=person)
        with pytest.raises(ReferralError):
            check_mark_won(referral, acting_user=person, amount="10")
    assert Referral.objects.get().status == Status.GIVEN


def test_a_closed_referral_does_not_move_again():
    """Won twice: the second is refused and the first amount stays."""
    giver, receiver = pair()
    referral = give(giver, receiver)
    check_mark_won(referral, acting_user=receiver, amount="100")
    with pytest.raises(ReferralError):
        check_mark_won(referral, acting_user=receiver, amount="999")
    with pytest.raises(ReferralError):
        check_mark_lost(referral, acting_user=receiver, reason="x")
    assert Referral.objects.get().amount == Decimal("100.00")


def test_sharing_the_amount_later():
    """The receiver may show the amount of a referral won to the giver afterwards."""
    giver, receiver = pair()
    referral = give(giver, receiver)
    with pytest.raises(ReferralError):
        check_share_amount(referral, acting_user=receiver, share=True)
    check_mark_won(referral, acting_user=receiver, amount="100")
    check_share_amount(referral, acting_user=receiver, share=True)
    assert Referral.objects.get().amount_shared


def test_a_member_who_left_keeps_their_history_and_can_be_thanked():
    """The giver leaves the network: the referral still counts for it, and the thank-you reaches them."""
    network = NetworkFactory()
    giver, receiver = pair(network)
    referral = give(giver, receiver)
    giver.leader.memberships.update(status="left")
    check_mark_won(referral, acting_user=receiver, amount="50")
    assert referral.counted_in.filter(network=network).exists()
    assert Notification.objects.filter(recipient=giver, title__icontains="Merci").exists() or \
        Notification.objects.filter(recipient=giver, title__icontains="Thank").exists()


def test_reminders_go_once_per_period_and_expiry_closes_stale_referrals(settings):
    """No news for 8 days: one reminder (not two); for 91 days: expired, both told."""
    settings.MEUTE_REFERRAL_REMINDER_DAYS, settings.MEUTE_REFERRAL_EXPIRY_DAYS = 7, 90
    giver, receiver = pair()
    referral = give(giver, receiver)
    Referral.objects.filter(pk=referral.pk).update(moved_at=timezone.now() - datetime.timedelta(days=8))
    assert send_reminders() == 1
    assert send_reminders() == 0
    assert expire_stale() == 0
    Referral.objects.filter(pk=referral.pk).update(moved_at=timezone.now() - datetime.timedelta(days=91))
    assert expire_stale() == 1
    assert Referral.objects.get().status == Status.EXPIRED
    assert Notification.objects.filter(recipient=giver, title__icontains="expir").exists()


def test_the_personal_data_download_holds_my_referrals_with_the_amount_as_i_see_it():
    """The giver's download lists the referral without the receiver's unshared amount; the receiver's with it."""
    from meute.members.privacy import personal_data

    giver, receiver = pair()
    referral = give(giver, receiver)
    check_mark_won(referral, acting_user=receiver, amount="321")
    assert [(r["side"], r["amount"]) for r in personal_data(giver)["referrals"]] == [("given", None)]
    assert [(r["side"], r["amount"]) for r in personal_data(receiver)["referrals"]] == [("received", "321.00")]


def test_a_referral_given_at_an_event_keeps_it_and_an_unseen_event_is_refused():
    """The event is read through its visibility rule: a members-only event of another network is refused."""
    from tests.factories import EventFactory

    network = NetworkFactory()
    giver, receiver = pair(network)
    event = EventFactory(network=network)
    assert give(giver, receiver, event_id=event.pk).event_id == event.pk
    hidden = EventFactory(network=NetworkFactory(), audience="members")
    with pytest.raises(ReferralError) as caught:
        give(giver, receiver, event_id=hidden.pk, submission="other")
    assert caught.value.field == "event"


def test_a_prospects_phone_is_written_as_members_phones_are():
    """« +33 6 12 34 56 78 » typed for a prospect is kept as « 06 12 34 56 78 »."""
    giver, receiver = pair()
    assert give(giver, receiver, prospect_phone="+33 6 12 34 56 78").prospect_phone == "06 12 34 56 78"
