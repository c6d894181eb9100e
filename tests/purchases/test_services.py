"""Services of pooled purchases: creating, committing, closing, delivery and payment."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from meute.accounts.models import User
from meute.core.models import AuditEntry
from meute.members.models import Leader
from meute.purchases.exceptions import PurchaseError
from meute.purchases.models import CampaignStatus, Commitment, OrderLine
from meute.purchases.services import (
    check_add_item,
    check_commit,
    check_create_campaign,
    close_campaign,
    do_set_line_status,
)
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, NetworkFactory, NetworkRoleFactory
from tests.purchases.factories import open_campaign

pytestmark = pytest.mark.django_db


def member_of(network, **company):
    return MembershipFactory(network=network, leader=LeaderFactory(company=CompanyFactory(**company))).leader.user


def _past(campaign):
    return campaign.closes_at + datetime.timedelta(minutes=1)


def test_commitment_is_saved_and_audited():
    """A member's commitment is stored for their company, with an audit entry."""
    campaign, item, _staff = open_campaign()
    user = member_of(campaign.network)
    check_commit(item, user, quantity=12, tolerance=3)
    commitment = Commitment.objects.get(item=item)
    assert (commitment.company_id, commitment.quantity, commitment.tolerance) == (user.leader.company_id, 12, 3)
    assert AuditEntry.objects.filter(action="purchases.commitment.saved").exists()


def test_commitment_above_the_cap_is_refused():
    """With 2 units per employee and 1–2 employees, 5 units are refused and nothing is stored."""
    campaign, item, _staff = open_campaign(cap_per_employee=2)
    with pytest.raises(PurchaseError):
        check_commit(item, member_of(campaign.network, headcount="1-2"), quantity=5)
    assert not Commitment.objects.exists()


def test_a_company_of_unknown_headcount_is_told_why_its_cap_is_one_employees():
    """With a cap per employee and no headcount known, the refusal says so and asks for the headcount."""
    campaign, item, _staff = open_campaign(cap_per_employee=2)
    with pytest.raises(PurchaseError) as refused:
        check_commit(item, member_of(campaign.network, headcount=""), quantity=3)
    assert "sur 2 unités" in refused.value.message and "n’est pas connu" in refused.value.message


def test_a_known_headcount_is_refused_with_the_plain_cap():
    """With the headcount known, the refusal gives the cap alone."""
    campaign, item, _staff = open_campaign(cap_per_employee=2)
    with pytest.raises(PurchaseError) as refused:
        check_commit(item, member_of(campaign.network, headcount="1-2"), quantity=5)
    assert "sur 4 unités" in refused.value.message and "effectif" not in refused.value.message


def test_tolerance_counts_against_the_cap():
    """Quantity plus tolerance above a fixed cap is refused."""
    campaign, item, _staff = open_campaign(cap_fixed=20)
    with pytest.raises(PurchaseError):
        check_commit(item, member_of(campaign.network), quantity=15, tolerance=6)


def test_commitment_after_the_deadline_is_refused():
    """A campaign whose deadline passed takes no commitment."""
    campaign, item, _staff = open_campaign(closes_in=datetime.timedelta(seconds=-1))
    with pytest.raises(PurchaseError):
        check_commit(item, member_of(campaign.network), quantity=5)


@pytest.mark.parametrize("quantity", [-1, "2.5", "abc", True])
def test_negative_fractional_or_garbage_quantities_are_refused(quantity):
    """A negative, fractional or non-numeric quantity is a clear error."""
    campaign, item, _staff = open_campaign()
    with pytest.raises(PurchaseError):
        check_commit(item, member_of(campaign.network), quantity=quantity)


def test_outsider_cannot_commit():
    """A member of a network that does not take part cannot commit."""
    _campaign, item, _staff = open_campaign()
    with pytest.raises(PurchaseError):
        check_commit(item, member_of(NetworkFactory()), quantity=5)


def test_a_leader_without_company_cannot_commit():
    """Committing needs a company on the person's profile."""
    campaign, item, _staff = open_campaign()
    leader = MembershipFactory(network=campaign.network).leader
    Leader.objects.filter(pk=leader.pk).update(company=None)
    user = User.objects.get(pk=leader.user_id)
    with pytest.raises(PurchaseError):
        check_commit(item, user, quantity=5)


def test_units_available_are_never_exceeded():
    """With 20 units available and 15 committed, 10 more are refused."""
    campaign, item, _staff = open_campaign(maximum_total=20)
    check_commit(item, member_of(campaign.network), quantity=15)
    with pytest.raises(PurchaseError):
        check_commit(item, member_of(campaign.network), quantity=10)


def test_zero_withdraws_the_commitment():
    """Committing 0 units withdraws the company's commitment."""
    campaign, item, _staff = open_campaign()
    user = member_of(campaign.network)
    check_commit(item, user, quantity=5)
    check_commit(item, user, quantity=0)
    assert not Commitment.objects.exists()


def test_a_larger_commitment_goes_to_the_back_of_the_queue():
    """Raising one's quantity gives a new arrival number; lowering it keeps the place."""
    campaign, item, _staff = open_campaign()
    first, second = member_of(campaign.network), member_of(campaign.network)
    check_commit(item, first, quantity=5)
    check_commit(item, second, quantity=5)
    check_commit(item, first, quantity=4)
    assert Commitment.objects.get(company=first.leader.company).seq == 1
    check_commit(item, first, quantity=9)
    assert Commitment.objects.get(company=first.leader.company).seq == 3


def test_closing_orders_whole_packs_at_the_tier_reached():
    """Closing turns commitments into order lines of whole packs at the reached tier's price."""
    campaign, item, _staff = open_campaign()
    users = [member_of(campaign.network) for _ in range(3)]
    for user, (quantity, tolerance) in zip(users, [(40, 5), (40, 0), (17, 0)], strict=True):
        check_commit(item, user, quantity=quantity, tolerance=tolerance)
    assert close_campaign(campaign.pk, now=_past(campaign)) == "order"
    lines = list(OrderLine.objects.order_by("pk"))
    assert [line.quantity for line in lines] == [43, 40, 17]
    assert {line.unit_price for line in lines} == {Decimal("0.80")}
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ORDERED


def test_closing_twice_orders_once():
    """A second closing of the same campaign changes nothing."""
    campaign, item, _staff = open_campaign()
    check_commit(item, member_of(campaign.network), quantity=10)
    close_campaign(campaign.pk, now=_past(campaign))
    assert close_campaign(campaign.pk, now=_past(campaign)) is None
    assert OrderLine.objects.count() == 1


def test_closing_before_the_deadline_does_nothing():
    """A campaign still open is not closed early."""
    campaign, item, _staff = open_campaign()
    check_commit(item, member_of(campaign.network), quantity=10)
    assert close_campaign(campaign.pk) is None


def test_minimum_missed_cancels_with_the_cancel_policy():
    """Below the minimum, the cancel policy cancels and orders nothing."""
    campaign, item, _staff = open_campaign(minimum_total=100)
    check_commit(item, member_of(campaign.network), quantity=10)
    assert close_campaign(campaign.pk, now=_past(campaign)) == "cancel"
    assert not OrderLine.objects.exists()


def test_minimum_missed_extends_once_then_cancels():
    """The extend policy moves the deadline once by its days, then cancels."""
    campaign, item, _staff = open_campaign(minimum_total=100, policy="extend")
    check_commit(item, member_of(campaign.network), quantity=10)
    deadline = campaign.closes_at
    assert close_campaign(campaign.pk, now=_past(campaign)) == "extend"
    campaign.refresh_from_db()
    assert campaign.closes_at == deadline + datetime.timedelta(days=7) and campaign.status == CampaignStatus.OPEN
    assert close_campaign(campaign.pk, now=_past(campaign)) == "cancel"


def test_minimum_missed_orders_anyway_with_the_order_policy():
    """The order policy orders at the tier reached even below the minimum."""
    campaign, item, _staff = open_campaign(minimum_total=100, policy="order")
    check_commit(item, member_of(campaign.network), quantity=10)
    assert close_campaign(campaign.pk, now=_past(campaign)) == "order"
    assert OrderLine.objects.get().unit_price == Decimal("1.00")


def test_closing_before_opening_is_refused():
    """A campaign cannot close before it opens."""
    network = NetworkFactory()
    staff = NetworkRoleFactory(network=network).user
    now = timezone.now()
    with pytest.raises(PurchaseError):
        check_create_campaign(network, acting_user=staff, points=[{"network": network}], title="X",
                              supplier_name="Y", opens_at=now, closes_at=now - datetime.timedelta(hours=1))


def test_a_campaign_closing_in_the_past_is_refused():
    """A campaign whose deadline has already passed is refused on its closing date; nothing is stored."""
    from meute.purchases.models import Campaign

    network = NetworkFactory()
    staff = NetworkRoleFactory(network=network).user
    long_ago = timezone.now() - datetime.timedelta(days=365 * 30)
    with pytest.raises(PurchaseError) as error:
        check_create_campaign(network, acting_user=staff, points=[{"network": network}], title="X",
                              supplier_name="Y", opens_at=long_ago, closes_at=long_ago + datetime.timedelta(days=31))
    assert (error.value.field, Campaign.objects.count()) == ("closes_at", 0)


@pytest.mark.parametrize(("opens", "closes", "label"), [(1, 2, "opens soon"), (-1, 1, "open"),
                                                         (-2, -1, "deadline passed")])
def test_an_open_campaign_says_where_it_stands_in_time(opens, closes, label):
    """Before its opening it « opens soon », after its deadline (until the closing runs) its
    « deadline passed »; in between it is « open »."""
    from django.utils import translation

    campaign, _item, _staff = open_campaign()
    now = timezone.now()
    campaign.opens_at, campaign.closes_at = now + datetime.timedelta(days=opens), now + datetime.timedelta(days=closes)
    with translation.override("en"):
        assert campaign.status_label == label


def test_staff_cannot_add_a_network_they_do_not_manage():
    """A campaign's networks are networks its organiser manages."""
    network = NetworkFactory()
    staff = NetworkRoleFactory(network=network).user
    now = timezone.now()
    with pytest.raises(PurchaseError):
        check_create_campaign(network, acting_user=staff, points=[{"network": network}, {"network": NetworkFactory()}],
                              title="X", supplier_name="Y", opens_at=now, closes_at=now + datetime.timedelta(days=1))


@pytest.mark.parametrize("tiers", [[(0, "1"), (0, "0.5")], [(0, "1"), (10, "2")], [(5, "1")], [(0, "abc")]])
def test_tiers_that_do_not_increase_are_refused(tiers):
    """Tiers must start at 0 units, rise in quantity and never rise in price."""
    campaign, _item, staff = open_campaign()
    with pytest.raises(PurchaseError):
        check_add_item(campaign, acting_user=staff, tiers=tiers, name="Gel", pack_size=1)


def test_items_are_fixed_once_someone_committed():
    """After the first commitment no item can be added."""
    campaign, item, staff = open_campaign()
    check_commit(item, member_of(campaign.network), quantity=10)
    with pytest.raises(PurchaseError):
        check_add_item(campaign, acting_user=staff, tiers=[(0, "1")], name="Gel", pack_size=1)


def test_staff_record_delivery_and_payment():
    """Delivery and payment statuses are recorded with an audit entry."""
    campaign, item, staff = open_campaign()
    check_commit(item, member_of(campaign.network), quantity=10)
    close_campaign(campaign.pk, now=_past(campaign))
    line = do_set_line_status(OrderLine.objects.get(), acting_user=staff, delivery="delivered", payment="paid")
    assert (line.delivery, line.payment) == ("delivered", "paid")
    assert AuditEntry.objects.filter(action="purchases.line.updated").exists()
