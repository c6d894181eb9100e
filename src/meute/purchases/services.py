"""State changes of pooled purchases: campaigns, items, commitments, closing, delivery and payment.

Commitments are serialised on the campaign's row (``select_for_update``), so caps and the units
available hold under simultaneous commitments, and no commitment slips in while a campaign closes.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.core.bounds import check_bounds
from meute.core.submissions import create_once
from meute.members.models import Company, Membership, MembershipStatus, Network
from meute.members.permissions import can_manage_network
from meute.purchases import allocation
from meute.purchases.exceptions import PurchaseError
from meute.purchases.models import (
    Campaign,
    CampaignStatus,
    CollectionPoint,
    Commitment,
    DeliveryStatus,
    Item,
    OrderLine,
    PaymentStatus,
    PriceTier,
)
from meute.purchases.permissions import can_manage_campaign, member_point_ids
from meute.purchases.queries import my_company, tiers_of

CAMPAIGN_FIELDS = ("title", "description", "supplier_name", "supplier_offer", "opens_at", "closes_at", "policy",
                   "extension_days")
ITEM_FIELDS = ("name", "unit", "pack_size", "description", "minimum_total", "maximum_total", "cap_fixed",
               "cap_per_employee")


# ----------------------------------------------------------------------------- campaigns

def check_create_campaign(network: Network, *, acting_user: Any, points: Sequence[dict],
                          supplier: Company | None = None, submission: str | None = None, **fields: Any) -> Campaign:
    """Staff of ``network`` open a campaign for networks they manage (``points``: one dict per network:
    ``network``, ``place``, ``contact_name``, ``contact_email``, ``contact_phone``). The same form sent
    again raises ``Resubmitted`` with the campaign its first sending created."""
    if not can_manage_network(acting_user, network):
        raise PurchaseError(_("Only the network's staff may organise a pooled purchase."))
    fields = {k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS}
    check_bounds(Campaign, fields, PurchaseError)
    if not str(fields.get("title") or "").strip():
        raise PurchaseError(_("Give the campaign a title."), field="title")
    if fields["closes_at"] <= fields["opens_at"]:
        raise PurchaseError(_("A campaign cannot close before it opens."), field="closes_at")
    if fields["closes_at"] <= timezone.now():
        raise PurchaseError(_("A campaign cannot close in the past."), field="closes_at")
    if not points:
        raise PurchaseError(_("Choose at least one network taking part."), field="networks")
    for point in points:
        if not can_manage_network(acting_user, point["network"]):
            raise PurchaseError(_("You may only add networks you manage: %(network)s.")
                                % {"network": point["network"]}, field="networks")
        check_bounds(CollectionPoint, {k: v for k, v in point.items() if k != "network"}, PurchaseError)
    if supplier is None and not str(fields.get("supplier_name") or "").strip():
        raise PurchaseError(_("Name the supplier, or choose a member company."), field="supplier_name")
    if supplier is not None and not Membership.objects.filter(
            leader__company=supplier, status=MembershipStatus.ACTIVE,
            network__in=[p["network"] for p in points]).exists():
        raise PurchaseError(_("The supplier chosen is not a company of the networks taking part."), field="supplier")
    return do_create_campaign(network, acting_user=acting_user, points=points, supplier=supplier,
                              submission=submission, **fields)


def do_create_campaign(network: Network, *, acting_user: Any, points: Sequence[dict], supplier: Company | None = None,
                       submission: str | None = None, **fields: Any) -> Campaign:
    def create(key: str | None) -> Campaign:
        campaign = Campaign.objects.create(network=network, supplier=supplier, created_by=acting_user,
                                           submission=key, **fields)
        CollectionPoint.objects.bulk_create([CollectionPoint(campaign=campaign, **point) for point in points])
        log_action("purchases.campaign.created", actor=acting_user, obj=campaign,
                   network=[network.pk, *(p["network"].pk for p in points)],
                   data={"networks": [p["network"].pk for p in points]},
                   changes={k: [None, v] for k, v in fields.items()})
        return campaign

    # the form is opened from ``network``, which organises the campaign: a first one is looked for there
    return create_once(Campaign.objects.filter(network=network), submission, create)


def parse_tiers(rows: Sequence[tuple[Any, Any]]) -> list[allocation.Tier]:
    """Price tiers from (threshold, price) pairs typed by a person; the first is the base price, from 0 units."""
    tiers = []
    for quantity, price in rows:
        try:
            tiers.append(allocation.Tier(int(quantity), Decimal(str(price)).quantize(Decimal("0.01"))))
        except (TypeError, ValueError, InvalidOperation):
            raise PurchaseError(_("Each price needs a whole number of units and an amount in euros."),
                                field="tiers") from None
    if not tiers or tiers[0].min_quantity != 0:
        raise PurchaseError(_("The first price applies from 0 units: it is the base price."), field="tiers")
    try:
        allocation.check_tiers(tiers)
    except allocation.TierError:
        raise PurchaseError(_("Price tiers must rise in quantity and never rise in price."), field="tiers") from None
    for tier in tiers:
        check_bounds(PriceTier, {"min_quantity": tier.min_quantity, "unit_price": tier.unit_price}, PurchaseError)
    return tiers


def check_add_item(campaign: Campaign, *, acting_user: Any, tiers: Sequence[tuple[Any, Any]],
                   submission: str | None = None, **fields: Any) -> Item:
    """Add an item with its price tiers; refused once a company has committed (prices are then fixed).
    The same form sent again raises ``Resubmitted`` with the item its first sending added."""
    if not can_manage_campaign(acting_user, campaign):
        raise PurchaseError(_("Only the organising network's staff may change this campaign."))
    if campaign.status != CampaignStatus.OPEN or Commitment.objects.filter(item__campaign=campaign).exists():
        raise PurchaseError(_("Items and prices are fixed once a company has committed."))
    fields = {k: v for k, v in fields.items() if k in ITEM_FIELDS}
    check_bounds(Item, fields, PurchaseError)
    if not str(fields.get("name") or "").strip():
        raise PurchaseError(_("Name the item."), field="name")
    pack, maximum = fields.get("pack_size") or 1, fields.get("maximum_total")
    if maximum is not None and maximum % pack:
        raise PurchaseError(_("The units available must be a whole number of packs of %(pack)s.") % {"pack": pack},
                            field="maximum_total")
    if maximum is not None and (fields.get("minimum_total") or 0) > maximum:
        raise PurchaseError(_("The minimum cannot be above the units available."), field="minimum_total")
    return do_add_item(campaign, acting_user=acting_user, tiers=parse_tiers(tiers), submission=submission, **fields)


def do_add_item(campaign: Campaign, *, acting_user: Any, tiers: Sequence[allocation.Tier],
                submission: str | None = None, **fields: Any) -> Item:
    def create(key: str | None) -> Item:
        item = Item.objects.create(campaign=campaign, position=campaign.items.count(), submission=key, **fields)
        PriceTier.objects.bulk_create([PriceTier(item=item, min_quantity=t.min_quantity, unit_price=t.unit_price)
                                       for t in tiers])
        log_action("purchases.item.added", actor=acting_user, obj=campaign,
                   data={"item": item.pk, "tiers": [[t.min_quantity, str(t.unit_price)] for t in tiers]},
                   changes={k: [None, v] for k, v in fields.items()})
        return item

    return create_once(Item.objects.filter(campaign=campaign), submission, create)


# ----------------------------------------------------------------------------- commitments

def _whole(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise PurchaseError(_("Give a whole number of units."), field=field) from None
        if number != number.to_integral_value():
            raise PurchaseError(_("Give a whole number of units."), field=field)
        value = int(number)
    if value < 0:
        raise PurchaseError(_("A quantity cannot be negative."), field=field)
    return value


def is_open(campaign: Campaign, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return campaign.status == CampaignStatus.OPEN and campaign.opens_at <= now < campaign.closes_at


def check_commit(item: Item, user: Any, *, quantity: Any, tolerance: Any = 0, network: Network | None = None
                 ) -> Commitment | None:
    """A member commits ``quantity`` units (0 withdraws) plus ``tolerance`` for their own company."""
    campaign = item.campaign
    networks = member_point_ids(user, campaign)
    if not networks:
        raise PurchaseError(_("This pooled purchase is reserved for the members of the networks taking part."))
    if network is not None and network.pk not in networks:
        raise PurchaseError(_("Collect your order in one of your networks taking part."), field="network")
    company = my_company(user)
    if company is None:
        raise PurchaseError(_("Your profile names no company: add it before committing."))
    quantity, tolerance = _whole(quantity, "quantity"), _whole(tolerance, "tolerance")
    check_bounds(Commitment, {"tolerance": tolerance}, PurchaseError)
    if quantity:
        check_bounds(Commitment, {"quantity": quantity}, PurchaseError)
    return do_commit(item, company, network_id=network.pk if network else min(networks), user=user,
                     quantity=quantity, tolerance=tolerance)


@transaction.atomic
def do_commit(item: Item, company: Company, *, network_id: int, user: Any, quantity: int, tolerance: int
              ) -> Commitment | None:
    campaign = Campaign.objects.select_for_update().get(pk=item.campaign_id)
    if not is_open(campaign):
        raise PurchaseError(_("This pooled purchase is not open for commitments."))
    item = Item.objects.select_for_update().get(pk=item.pk)
    existing = Commitment.objects.filter(item=item, company=company).first()
    before = [existing.quantity, existing.tolerance] if existing else [0, 0]
    if not quantity:
        if existing is None:
            raise PurchaseError(_("Your company has no commitment to withdraw."), field="quantity")
        existing.delete()
        log_action("purchases.commitment.withdrawn", actor=user, obj=campaign, network=network_id,
                   data={"item": item.pk, "company": company.pk}, changes={"quantity": [before[0], 0]})
        return None
    _check_limits(item, company, quantity, tolerance)
    commitment = existing or Commitment(item=item, company=company)
    if existing is None or quantity > existing.quantity or tolerance > existing.tolerance:
        item.commit_seq += 1  # a new or larger commitment takes its place at the back of the queue
        Item.objects.filter(pk=item.pk).update(commit_seq=item.commit_seq)
        commitment.seq = item.commit_seq
    commitment.quantity, commitment.tolerance = quantity, tolerance
    commitment.network_id, commitment.committed_by = network_id, user
    commitment.save()
    log_action("purchases.commitment.saved", actor=user, obj=campaign, network=network_id,
               data={"item": item.pk, "company": company.pk},
               changes={"quantity": [before[0], quantity], "tolerance": [before[1], tolerance]})
    return commitment


def _check_limits(item: Item, company: Company, quantity: int, tolerance: int) -> None:
    cap = allocation.company_cap(fixed=item.cap_fixed, per_employee=item.cap_per_employee, band=company.headcount)
    if cap is not None and quantity + tolerance > cap:
        per_employee_binds = item.cap_per_employee is not None and (
            item.cap_fixed is None or item.cap_per_employee < item.cap_fixed)
        if per_employee_binds and not company.headcount:
            raise PurchaseError(_("Your company may commit to %(cap)s units at most, tolerance included: the cap "
                                  "is per employee and your company's headcount is not known, so it counts as one. "
                                  "Give your headcount on your profile to commit more.") % {"cap": cap},
                                field="quantity")
        raise PurchaseError(_("Your company may commit to %(cap)s units at most, tolerance included.")
                            % {"cap": cap}, field="quantity")
    if item.maximum_total is not None:
        others = sum(Commitment.objects.filter(item=item).exclude(company=company).values_list("quantity", flat=True))
        if others + quantity > item.maximum_total:
            raise PurchaseError(_("Only %(left)s units are still available.")
                                % {"left": max(0, item.maximum_total - others)}, field="quantity")


# ----------------------------------------------------------------------------- closing

def close_campaign(campaign_id: int, *, now: datetime.datetime | None = None) -> str | None:
    """Apply the deadline: order, cancel or extend (see ``allocation.decide``); None when not due or done."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.status != CampaignStatus.OPEN or now < campaign.closes_at:
            return None
        items = list(campaign.items.prefetch_related("tiers"))
        results = {item.pk: allocation.allocate(item.pack_size, tiers_of(item), [
            allocation.Commitment(c.company_id, c.quantity, c.tolerance, c.seq) for c in item.commitments.all()])
            for item in items}
        reached = all(results[item.pk].total >= item.minimum_total for item in items)
        decision = allocation.decide(campaign.policy, reached=reached, extended=campaign.extended)
        _apply(campaign, decision, items, results, now)
    return str(decision)


def _apply(campaign: Campaign, decision: allocation.Decision, items: list[Item], results: dict, now: Any) -> None:
    before = {"status": campaign.status, "closes_at": campaign.closes_at}
    if decision == allocation.Decision.EXTEND:
        campaign.closes_at += datetime.timedelta(days=campaign.extension_days)
        campaign.extended = True
        campaign.save(update_fields=["closes_at", "extended"])
    else:
        campaign.status = CampaignStatus.ORDERED if decision == allocation.Decision.ORDER else CampaignStatus.CANCELLED
        campaign.closed_at = now
        campaign.save(update_fields=["status", "closed_at"])
    if decision == allocation.Decision.ORDER:
        networks = {(c.item_id, c.company_id): c.network_id
                    for c in Commitment.objects.filter(item__campaign=campaign)}
        OrderLine.objects.bulk_create([
            OrderLine(campaign=campaign, item=item, company_id=line.key, network_id=networks[item.pk, line.key],
                      committed=line.committed, tolerance_used=line.tolerance_used, cut=line.cut,
                      quantity=line.final, unit_price=results[item.pk].unit_price, amount=line.amount,
                      saving=line.saving)
            for item in items for line in results[item.pk].lines])
    log_action(f"purchases.campaign.{decision}", actor=None, obj=campaign,
               network=[campaign.network_id, *campaign.points.values_list("network_id", flat=True)],
               changes={"status": [before["status"], campaign.status],
                        "closes_at": [before["closes_at"], campaign.closes_at]},
               data={str(item.pk): results[item.pk].total for item in items})
    from meute.purchases.notices import tell_closing

    tell_closing(campaign, str(decision))


def due_campaign_ids(now: datetime.datetime | None = None) -> list[int]:
    return list(Campaign.objects.filter(status=CampaignStatus.OPEN, closes_at__lte=now or timezone.now())
                .values_list("pk", flat=True))


# ----------------------------------------------------------------------------- delivery and payment

@transaction.atomic
def do_set_line_status(line: OrderLine, *, acting_user: Any, delivery: str | None = None, payment: str | None = None
                       ) -> OrderLine:
    """Staff record that a company's order was delivered or paid (or not yet)."""
    if delivery is not None and delivery not in DeliveryStatus.values:
        raise PurchaseError(_("Unknown delivery status."), field="delivery")
    if payment is not None and payment not in PaymentStatus.values:
        raise PurchaseError(_("Unknown payment status."), field="payment")
    line = OrderLine.objects.select_for_update().get(pk=line.pk)
    before = {"delivery": line.delivery, "payment": line.payment}
    line.delivery = delivery or line.delivery
    line.payment = payment or line.payment
    line.save(update_fields=["delivery", "payment"])
    log_action("purchases.line.updated", actor=acting_user, obj=line.campaign, network=line.network_id,
               data={"line": line.pk, "company": line.company_id},
               changes={k: [v, getattr(line, k)] for k, v in before.items()})
    return line


def check_update_point(point: CollectionPoint, *, acting_user: Any, **fields: Any) -> CollectionPoint:
    """The collection place and contact of a network taking part (its staff or the organisers)."""
    from meute.purchases.permissions import staff_point_ids

    if point.network_id not in staff_point_ids(acting_user, point.campaign):
        raise PurchaseError(_("Only the staff of this network may change its collection point."))
    fields = {k: v for k, v in fields.items() if k in ("place", "contact_name", "contact_email", "contact_phone")}
    check_bounds(CollectionPoint, fields, PurchaseError)
    before = {k: getattr(point, k) for k in fields}
    for name, value in fields.items():
        setattr(point, name, value)
    point.save(update_fields=list(fields))
    log_action("purchases.point.updated", actor=acting_user, obj=point.campaign, network=point.network_id,
               changes={k: [v, fields[k]] for k, v in before.items()})
    return point
