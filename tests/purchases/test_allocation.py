"""Property tests of the closing rules of a pooled purchase (pure Python)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meute.purchases.allocation import (
    Commitment,
    Decision,
    Policy,
    Tier,
    TierError,
    allocate,
    band_upper,
    check_tiers,
    company_cap,
    decide,
    price_for,
)

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)


@st.composite
def tier_lists(draw):
    thresholds = sorted(draw(st.sets(st.integers(1, 500), max_size=3)))
    amounts = sorted(draw(st.lists(prices, min_size=len(thresholds) + 1, max_size=len(thresholds) + 1)),
                     reverse=True)
    return [Tier(0, amounts[0])] + [Tier(q, p) for q, p in zip(thresholds, amounts[1:], strict=True)]


@st.composite
def cases(draw):
    pack = draw(st.integers(1, 24))
    n = draw(st.integers(0, 12))
    commitments = [Commitment(key=i, quantity=draw(st.integers(0, 60)), tolerance=draw(st.integers(0, 30)),
                              seq=draw(st.integers(0, 10_000)) * 100 + i) for i in range(n)]
    return pack, draw(tier_lists()), commitments


@given(cases())
def test_the_order_is_whole_packs(case):
    """The final total is a multiple of the pack size and the sum of the final quantities."""
    pack, tiers, commitments = case
    result = allocate(pack, tiers, commitments)
    assert result.total % pack == 0 and result.total == sum(line.final for line in result.lines)


@given(cases())
def test_nobody_gets_more_than_they_accepted(case):
    """Each company receives between 0 and its quantity plus its tolerance (so within its cap)."""
    pack, tiers, commitments = case
    accepted = {c.key: c.quantity + c.tolerance for c in commitments}
    assert all(0 <= line.final <= accepted[line.key] for line in allocate(pack, tiers, commitments).lines)


@given(cases())
def test_tolerance_never_fills_a_pack_alone(case):
    """The tolerance used is less than one pack, so every pack holds at least one firm unit."""
    pack, tiers, commitments = case
    result = allocate(pack, tiers, commitments)
    used = sum(line.tolerance_used for line in result.lines)
    assert used < pack and (used == 0 or result.total - used > (result.packs - 1) * pack)


@given(cases())
def test_rounds_up_whenever_the_tolerances_allow(case):
    """Units are cut only when the tolerances offered cannot complete the last pack."""
    pack, tiers, commitments = case
    result = allocate(pack, tiers, commitments)
    firm = sum(c.quantity for c in commitments)
    if any(line.cut for line in result.lines):
        assert sum(c.tolerance for c in commitments) < -(-firm // pack) * pack - firm


@given(cases())
def test_tolerances_are_used_first_come_first_served(case):
    """A later commitment's tolerance is used only once every earlier tolerance is used up."""
    pack, tiers, commitments = case
    lines = allocate(pack, tiers, commitments).lines
    tolerance = {c.key: c.tolerance for c in commitments}
    for i, line in enumerate(lines):
        if line.tolerance_used:
            assert all(earlier.tolerance_used == tolerance[earlier.key] for earlier in lines[:i])


@given(cases())
def test_cuts_fall_on_the_latest_commitments(case):
    """An earlier commitment loses units only when every later one has lost all of its units."""
    pack, tiers, commitments = case
    lines = allocate(pack, tiers, commitments).lines
    for i, line in enumerate(lines):
        if line.cut:
            assert all(later.final == 0 for later in lines[i + 1:])


@given(cases())
def test_everyone_pays_the_price_of_the_tier_reached(case):
    """Each line costs its final units at the reached tier's price, to the cent."""
    pack, tiers, commitments = case
    result = allocate(pack, tiers, commitments)
    assert result.unit_price == price_for(tiers, result.total)
    assert all(line.amount == (result.unit_price * line.final).quantize(Decimal("0.01")) for line in result.lines)


@given(cases())
def test_savings_are_never_negative(case):
    """Against the base price, nobody pays more than they would have alone."""
    pack, tiers, commitments = case
    assert all(line.saving >= 0 for line in allocate(pack, tiers, commitments).lines)


@given(cases())
def test_arrival_order_not_list_order_decides(case):
    """The same commitments listed in another order give the same allocation."""
    pack, tiers, commitments = case
    assert allocate(pack, tiers, commitments) == allocate(pack, tiers, list(reversed(commitments)))


def test_a_worked_example():
    """Packs of 10, 23 firm units, tolerances 5 then 4: 30 units, the first tolerance gives 5, the second 2."""
    tiers = [Tier(0, Decimal("1.00")), Tier(30, Decimal("0.80"))]
    result = allocate(10, tiers, [Commitment(1, 10, 5, 1), Commitment(2, 8, 4, 2), Commitment(3, 5, 0, 3)])
    assert [(line.final, line.tolerance_used) for line in result.lines] == [(15, 5), (10, 2), (5, 0)]
    assert result.unit_price == Decimal("0.80") and result.saving == Decimal("6.00")


def test_without_enough_tolerance_the_last_pack_is_cut():
    """Packs of 10, 23 firm units and 1 unit of tolerance: 20 units, the latest commitment loses 3."""
    result = allocate(10, [Tier(0, Decimal("2"))],
                      [Commitment(1, 10, 1, 1), Commitment(2, 8, 0, 2), Commitment(3, 5, 0, 3)])
    assert [line.final for line in result.lines] == [10, 8, 2]


@pytest.mark.parametrize("tiers", [
    [],
    [Tier(0, Decimal("1")), Tier(0, Decimal("0.5"))],
    [Tier(10, Decimal("1")), Tier(5, Decimal("0.5"))],
    [Tier(0, Decimal("1")), Tier(10, Decimal("2"))],
    [Tier(-1, Decimal("1"))],
])
def test_unusable_tiers_are_refused(tiers):
    """Empty tiers, thresholds that do not increase and prices that rise are refused."""
    with pytest.raises(TierError):
        check_tiers(tiers)


@pytest.mark.parametrize(("policy", "reached", "extended", "expected"), [
    (Policy.CANCEL, True, False, Decision.ORDER),
    (Policy.CANCEL, False, False, Decision.CANCEL),
    (Policy.EXTEND, False, False, Decision.EXTEND),
    (Policy.EXTEND, False, True, Decision.CANCEL),
    (Policy.ORDER, False, False, Decision.ORDER),
])
def test_deadline_policies(policy, reached, extended, expected):
    """The minimum reached orders; otherwise cancel, extend once, or order anyway."""
    assert decide(policy, reached=reached, extended=extended) == expected


@pytest.mark.parametrize(("band", "top"), [("0", 1), ("1-2", 2), ("10-19", 19), ("500+", 500)])
def test_headcount_band_tops(band, top):
    """A band counts at its top; a company with no employee counts its leader."""
    assert band_upper(band) == top


def test_cap_per_employee_and_fixed_take_the_smaller():
    """With 2 per employee for 10-19 employees and a fixed cap of 30, the cap is 30."""
    assert company_cap(fixed=30, per_employee=2, band="10-19") == 30
    assert company_cap(fixed=None, per_employee=2, band="10-19") == 38
    assert company_cap(fixed=None, per_employee=None, band="10-19") is None
