"""What the network brings: sums per member, group and network, over a period; the published figure."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from meute.advisor.queries import network_infos
from meute.core.models import AuditEntry
from meute.referrals import figures
from meute.referrals.exceptions import ReferralError
from meute.referrals.models import PublishedFigure, Referral
from meute.referrals.services import check_publish_figure
from tests.factories import NetworkFactory, NetworkRoleFactory
from tests.referrals.factories import member, won_referral

pytestmark = pytest.mark.django_db

amounts = st.lists(st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2), min_size=0, max_size=6)


@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inside=amounts, outside=amounts)
def test_network_sum_is_the_sum_of_its_referrals_won_in_the_period(inside, outside):
    """The network's business closed is exactly the sum of the amounts won in the period, counted
    for that network; referrals outside the period or of another network are left out."""
    Referral.objects.all().delete()
    network, other = NetworkFactory(), NetworkFactory()
    a, b = member(network).leader, member(network).leader
    for amount in inside:
        won_referral(a, b, amount, network=network, days_ago=10)
    for amount in outside:
        won_referral(a, b, amount, network=network, days_ago=800)
        won_referral(a, b, amount, network=other, days_ago=10)
    totals = figures.network_totals(network.pk, figures.Period.last_year())
    assert totals.amount == sum(inside, Decimal("0.00"))
    assert totals.won == len(inside)
    monthly = figures.network_monthly(network.pk, figures.Period.last_year())
    assert sum((row[3] for row in monthly), Decimal("0.00")) == totals.amount


def test_member_totals_count_their_own_business_only():
    """A member's business closed is what they received and won; what they gave is counted, not summed."""
    network = NetworkFactory()
    a, b = member(network).leader, member(network).leader
    won_referral(a, b, Decimal("100"))
    won_referral(b, a, Decimal("7"))
    mine = figures.member_totals(a.pk, figures.Period.last_year())
    assert (mine.given, mine.received, mine.won, mine.amount) == (1, 1, 1, Decimal("7"))
    assert figures.given_won(a.pk, figures.Period.last_year()) == 1


def test_group_totals_keep_to_the_groups_members():
    """Figures narrowed to some members leave the others' referrals out."""
    network = NetworkFactory()
    a, b, c, d = (member(network).leader for _ in range(4))
    won_referral(a, b, Decimal("10"), network=network)
    won_referral(c, d, Decimal("20"), network=network)
    assert figures.network_totals(network.pk, figures.Period.last_year(), [a.pk]).amount == Decimal("10")


def test_staff_publish_the_yearly_figure_and_the_advisor_quotes_it_with_consent():
    """Published without consent the advisor ignores it; with consent it is evidence on the network."""
    network = NetworkFactory()
    staff = NetworkRoleFactory(network=network).user
    a, b = member(network).leader, member(network).leader
    last_year = datetime.date.today().year - 1
    referral = won_referral(a, b, Decimal("1500"), network=network, days_ago=1)
    Referral.objects.filter(pk=referral.pk).update(closed_at=datetime.datetime(last_year, 6, 1, tzinfo=datetime.UTC))
    check_publish_figure(network, acting_user=staff, year=last_year, advisor_consent=False)
    info = next(n for n in network_infos() if n.slug == network.slug)
    assert info.business_closed is None
    figure = check_publish_figure(network, acting_user=staff, year=last_year, advisor_consent=True)
    assert (figure.amount, figure.referrals_won) == (Decimal("1500.00"), 1)
    info = next(n for n in network_infos() if n.slug == network.slug)
    assert (info.business_closed, info.business_year) == (1500.0, last_year)
    assert AuditEntry.objects.filter(action="referrals.figure.published", network_links__network=network).count() == 2


def test_a_member_cannot_publish_and_a_far_year_is_refused():
    """Only staff publish; a year outside the last ten is refused."""
    network = NetworkFactory()
    with pytest.raises(ReferralError):
        check_publish_figure(network, acting_user=member(network), year=2025, advisor_consent=True)
    with pytest.raises(ReferralError):
        check_publish_figure(network, acting_user=NetworkRoleFactory(network=network).user, year=1950,
                             advisor_consent=True)
    assert not PublishedFigure.objects.exists()
