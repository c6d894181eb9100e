"""Demo pooled purchases: an open one for the two demo networks (masks and hydroalcoholic gel, a
member company as supplier) and a closed, ordered one from last spring."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from meute.accounts.models import User
from meute.members.models import Membership, MembershipStatus, Network
from meute.purchases.allocation import Tier
from meute.purchases.models import Campaign
from meute.purchases.services import check_commit, close_campaign, do_add_item, do_create_campaign


def _members(networks: list[Network], count: int, rng: random.Random) -> list[User]:
    users = list(User.objects.filter(leader__memberships__network__in=networks,
                                     leader__memberships__status=MembershipStatus.ACTIVE,
                                     leader__company__isnull=False).distinct().order_by("pk"))
    return rng.sample(users, min(count, len(users)))


def _campaign(networks: list[Network], staff: User, *, title: str, opens: datetime.datetime,
              closes: datetime.datetime, supplier: object, items: list[tuple]) -> Campaign:
    campaign = do_create_campaign(
        networks[0], acting_user=staff, supplier=supplier, title=title, opens_at=opens, closes_at=closes,
        policy="extend", extension_days=7,
        description="Achat groupé pour les adhérents des réseaux de la Vienne.",
        supplier_offer="Prix dégressifs selon la quantité totale commandée ; livraison groupée au point de retrait.",
        points=[{"network": n, "place": f"Locaux de {n.name}", "contact_name": "Sophie Girard",
                 "contact_email": "staff@demo.meute.example"} for n in networks])
    for name, unit, pack, minimum, cap, tiers in items:
        do_add_item(campaign, acting_user=staff, name=name, unit=unit, pack_size=pack, minimum_total=minimum,
                    cap_per_employee=cap, tiers=[Tier(q, Decimal(p)) for q, p in tiers])
    return campaign


def _commit(campaign: Campaign, users: list[User], rng: random.Random) -> None:
    from meute.purchases.exceptions import PurchaseError

    for user in users:
        for item in campaign.items.all():
            try:
                check_commit(item, user, quantity=rng.choice([5, 10, 20, 30]), tolerance=rng.choice([0, 0, 5, 10]))
            except PurchaseError:
                continue  # above the company's cap: the demo person simply does not commit


@transaction.atomic
def load_demo_purchases(seed: int = 2026) -> None:
    rng = random.Random(seed)
    networks = list(Network.objects.filter(slug__in=["offensiv-pme", "plato-vienne"]).order_by("slug"))
    staff = User.objects.get(email="staff@demo.meute.example")
    supplier = (Membership.objects.filter(network=networks[0], status=MembershipStatus.ACTIVE,
                                          leader__company__isnull=False)
                .select_related("leader__company").order_by("pk").first().leader.company)
    now = timezone.now()
    past = _campaign(networks, staff, title="Masques et gel hydroalcoolique — printemps", supplier=supplier,
                     opens=now - datetime.timedelta(days=60), closes=now + datetime.timedelta(days=1),
                     items=[("Masque chirurgical", "masque", 50, 200, 10,
                             [(0, "0.40"), (500, "0.30"), (1000, "0.25")]),
                            ("Gel hydroalcoolique 500 ml", "flacon", 12, 24, 5, [(0, "6.50"), (120, "5.20")])])
    _commit(past, _members(networks, 40, rng), rng)
    Campaign.objects.filter(pk=past.pk).update(closes_at=now - datetime.timedelta(days=45))
    close_campaign(past.pk, now=now - datetime.timedelta(days=45))
    current = _campaign(networks, staff, title="Défibrillateurs et trousses de secours", supplier=None,
                        opens=now - datetime.timedelta(days=3), closes=now + datetime.timedelta(days=18),
                        items=[("Trousse de secours atelier", "trousse", 6, 60, None, [(0, "39.00"), (120, "32.00")])])
    Campaign.objects.filter(pk=current.pk).update(supplier_name="Secours Pro Ouest")
    _commit(current, _members(networks, 12, rng), rng)
