"""The closing rules of a pooled purchase, in pure Python (no Django import).

A campaign buys items sold by the pack. Members commit a quantity of units for their company and
may add a *tolerance*: extra units they accept so that packs are full. At the deadline each item
is allocated on its own:

1. ``T`` firm units were committed, ``R`` units of tolerance were offered.
2. If rounding ``T`` up to whole packs needs at most ``R`` extra units, the order is rounded up and
   the extra units are taken from the tolerances, first come first served (earliest commitment
   first). Rounding up never needs a whole pack, so tolerance never fills a pack alone.
3. Otherwise the order is rounded down to whole packs and the units of the last, incomplete pack
   are cut from the latest commitments first (first come, first served).
4. Everyone pays the unit price of the tier reached by the final total (the highest tier whose
   threshold it reaches); the saving of a line is what its units would have cost at the base
   price (the first tier's) minus what they cost.

Whether a campaign that misses its minimum is ordered at all is :func:`decide`'s call.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Tier:
    """From ``min_quantity`` units in total (for the whole campaign), each unit costs ``unit_price``."""

    min_quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class Commitment:
    """``quantity`` firm units and ``tolerance`` accepted extra units for one company; ``seq`` is the arrival order."""

    key: int
    quantity: int
    tolerance: int
    seq: int


@dataclass(frozen=True)
class Line:
    """What one company receives and pays."""

    key: int
    committed: int
    tolerance_used: int
    cut: int
    final: int
    amount: Decimal
    saving: Decimal


@dataclass(frozen=True)
class Allocation:
    """The outcome of one item: whole packs, the tier reached and one line per commitment."""

    packs: int
    total: int
    unit_price: Decimal
    lines: tuple[Line, ...]

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def saving(self) -> Decimal:
        return sum((line.saving for line in self.lines), Decimal("0.00"))


class TierError(ValueError):
    """The price tiers are not usable: empty, not increasing, or a price that rises with quantity."""


def check_tiers(tiers: Sequence[Tier]) -> None:
    """Tiers start at 0 or more units, their thresholds strictly increase and their prices never rise."""
    if not tiers:
        raise TierError("at least one price is needed")
    if tiers[0].min_quantity < 0:
        raise TierError("a threshold cannot be negative")
    for tier in tiers:
        if tier.unit_price < 0:
            raise TierError("a price cannot be negative")
    for before, after in itertools.pairwise(tiers):
        if after.min_quantity <= before.min_quantity:
            raise TierError("each threshold must be above the one before")
        if after.unit_price > before.unit_price:
            raise TierError("a higher threshold cannot have a higher price")


def price_for(tiers: Sequence[Tier], total: int) -> Decimal:
    """The unit price of the highest tier that ``total`` reaches (the first tier's below every threshold)."""
    price = tiers[0].unit_price
    for tier in tiers:
        if total >= tier.min_quantity:
            price = tier.unit_price
    return price


def next_tier(tiers: Sequence[Tier], total: int) -> Tier | None:
    """The first tier ``total`` has not reached yet, or None."""
    return next((tier for tier in tiers if tier.min_quantity > total), None)


def allocate(pack_size: int, tiers: Sequence[Tier], commitments: Sequence[Commitment]) -> Allocation:
    """Round the committed units to whole packs (see the module's rules) and price every line."""
    if pack_size < 1:
        raise ValueError("pack_size must be at least 1")
    check_tiers(tiers)
    ordered = sorted(commitments, key=lambda c: c.seq)
    firm = sum(c.quantity for c in ordered)
    offered = sum(c.tolerance for c in ordered)
    up = -(-firm // pack_size)
    extra = {c.key: 0 for c in ordered}
    cut = {c.key: 0 for c in ordered}
    if up * pack_size - firm <= offered:
        packs, missing = up, up * pack_size - firm
        for c in ordered:
            take = min(c.tolerance, missing)
            extra[c.key], missing = take, missing - take
    else:
        packs, excess = firm // pack_size, firm % pack_size
        for c in reversed(ordered):
            take = min(c.quantity, excess)
            cut[c.key], excess = take, excess - take
    total = packs * pack_size
    unit = price_for(tiers, total)
    base = tiers[0].unit_price
    lines = []
    for c in ordered:
        final = c.quantity + extra[c.key] - cut[c.key]
        amount = (unit * final).quantize(CENT, ROUND_HALF_UP)
        lines.append(Line(c.key, c.quantity, extra[c.key], cut[c.key], final, amount,
                          (base * final).quantize(CENT, ROUND_HALF_UP) - amount))
    return Allocation(packs, total, unit, tuple(lines))


class Policy(enum.StrEnum):
    """What happens when the minimum is not reached at the deadline."""

    CANCEL = "cancel"
    EXTEND = "extend"
    ORDER = "order"


class Decision(enum.StrEnum):
    ORDER = "order"
    CANCEL = "cancel"
    EXTEND = "extend"


def decide(policy: Policy | str, *, reached: bool, extended: bool) -> Decision:
    """Order when the minimum is reached; otherwise follow the policy (a campaign is extended once at most)."""
    if reached:
        return Decision.ORDER
    policy = Policy(policy)
    if policy == Policy.ORDER:
        return Decision.ORDER
    if policy == Policy.EXTEND and not extended:
        return Decision.EXTEND
    return Decision.CANCEL


def band_upper(band: str) -> int:
    """The largest headcount of a band such as ``"10-19"`` or ``"500+"``; ``"0"`` counts the leader alone (1)."""
    digits = band.rstrip("+").split("-")[-1]
    return max(1, int(digits)) if digits.isdigit() else 1


def company_cap(*, fixed: int | None, per_employee: int | None, band: str) -> int | None:
    """A company's cap in units: the fixed cap, or ``per_employee`` times the top of its headcount band
    (the smaller of the two when both are set); None when the campaign sets no cap."""
    caps = []
    if fixed is not None:
        caps.append(fixed)
    if per_employee is not None:
        caps.append(per_employee * band_upper(band))
    return min(caps) if caps else None
