"""Reads of pooled purchases, each filtered by who asks (see :mod:`meute.purchases.permissions`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from meute.core.exceptions import NotFound
from meute.core.permissions import is_site_admin
from meute.members.permissions import member_network_ids, staff_network_ids
from meute.purchases import allocation
from meute.purchases.models import Campaign, Commitment, Item, OrderLine
from meute.purchases.permissions import can_see_campaign, member_point_ids, staff_point_ids


def list_campaigns(user: Any) -> QuerySet[Campaign]:
    """Campaigns the person organises, or that one of their networks (as staff or active member) takes part in."""
    campaigns = Campaign.objects.select_related("network", "supplier")
    if is_site_admin(user):
        return campaigns
    if not user.is_authenticated:
        return campaigns.none()
    mine = staff_network_ids(user) | member_network_ids(user)
    return campaigns.filter(Q(network_id__in=staff_network_ids(user)) | Q(points__network_id__in=mine)).distinct()


def access_campaign(user: Any, campaign_id: int) -> Campaign:
    """The campaign, if ``user`` may see it; otherwise :class:`NotFound` (its existence is not revealed)."""
    campaign = Campaign.objects.select_related("network", "supplier").filter(pk=campaign_id).first()
    if campaign is None or not can_see_campaign(user, campaign):
        raise NotFound("")
    return campaign


def access_item(user: Any, campaign: Campaign, item_id: int) -> Item:
    item = campaign.items.filter(pk=item_id).first()
    if item is None or not can_see_campaign(user, campaign):
        raise NotFound("")
    return item


def my_company(user: Any) -> Any:
    """The company a person commits for: their own (a leader's company), or None."""
    leader = getattr(user, "leader", None) if user.is_authenticated else None
    return leader.company if leader is not None and leader.company_id else None


def my_commitments(user: Any, campaign: Campaign) -> dict[int, Commitment]:
    """The commitments of the person's company in the campaign, by item id."""
    company = my_company(user)
    if company is None or not member_point_ids(user, campaign):
        return {}
    return {c.item_id: c for c in Commitment.objects.filter(item__campaign=campaign, company=company)}


@dataclass(frozen=True)
class Progress:
    """How close an item is to its minimum and next price tier (firm units, tolerances apart)."""

    item: Item
    committed: int
    tolerance: int
    companies: int
    minimum: int
    unit_price: Decimal
    next_tier: allocation.Tier | None
    maximum: int | None

    @property
    def percent_of_minimum(self) -> int:
        return 100 if not self.minimum else min(100, round(100 * self.committed / self.minimum))

    @property
    def goal(self) -> int | None:
        """What the bar fills towards: the minimum, else the next price tier, else nothing."""
        if self.minimum:
            return self.minimum
        return self.next_tier.min_quantity if self.next_tier is not None else None

    @property
    def reached(self) -> bool:
        return self.committed >= self.minimum

    @property
    def to_next_tier(self) -> int | None:
        return None if self.next_tier is None else self.next_tier.min_quantity - self.committed

    @property
    def left(self) -> int | None:
        return None if self.maximum is None else max(0, self.maximum - self.committed)


def tiers_of(item: Item) -> list[allocation.Tier]:
    return [allocation.Tier(t.min_quantity, t.unit_price) for t in item.tiers.all()]


def progress(campaign: Campaign) -> list[Progress]:
    """Each item's totals so far: one aggregate query, then the tiers (anyone who sees the campaign sees these)."""
    items = list(campaign.items.prefetch_related("tiers"))
    sums = {row["item_id"]: row for row in Commitment.objects.filter(item__campaign=campaign).values("item_id")
            .annotate(q=Sum("quantity"), t=Sum("tolerance"), n=Count("pk"))}
    out = []
    for item in items:
        row = sums.get(item.pk, {})
        committed = row.get("q") or 0
        tiers = tiers_of(item)
        out.append(Progress(item, committed, row.get("t") or 0, row.get("n") or 0, item.minimum_total,
                            allocation.price_for(tiers, committed) if tiers else Decimal(0),
                            allocation.next_tier(tiers, committed) if tiers else None, item.maximum_total))
    return out


def list_commitments(user: Any, campaign: Campaign) -> QuerySet[Commitment]:
    """Commitments of the companies whose networks the person follows as staff (none for a member)."""
    return (Commitment.objects.filter(item__campaign=campaign, network_id__in=staff_point_ids(user, campaign))
            .select_related("company", "network", "item", "committed_by"))


def list_order_lines(user: Any, campaign: Campaign) -> QuerySet[OrderLine]:
    """Order lines: all of them for the organisers, their network's for a taking-part network's staff,
    the person's own company's for a member."""
    lines = OrderLine.objects.filter(campaign=campaign).select_related("company", "network", "item")
    staff = staff_point_ids(user, campaign)
    if staff:
        return lines.filter(network_id__in=staff)
    company = my_company(user)
    if company is None or not member_point_ids(user, campaign):
        return lines.none()
    return lines.filter(company=company)


def access_order_line(user: Any, campaign: Campaign, line_id: int) -> OrderLine:
    """An order line the person follows as staff (to record delivery and payment)."""
    line = OrderLine.objects.filter(campaign=campaign, pk=line_id,
                                    network_id__in=staff_point_ids(user, campaign)).first()
    if line is None:
        raise NotFound("")
    return line


def supplier_sales(company: Any) -> Decimal:
    """What a member supplier sold through ordered campaigns: business it received from the networks."""
    from meute.purchases.models import CampaignStatus

    total = OrderLine.objects.filter(campaign__supplier=company, campaign__status=CampaignStatus.ORDERED).aggregate(
        s=Sum("amount"))["s"]
    return total or Decimal("0.00")
