"""Factories and a small helper for pooled purchases."""

import datetime
from decimal import Decimal

from django.utils import timezone

from meute.purchases.allocation import Tier
from meute.purchases.services import do_add_item, do_create_campaign
from tests.factories import NetworkFactory, NetworkRoleFactory


def open_campaign(*, networks=None, staff=None, policy="cancel", closes_in=datetime.timedelta(days=7), **item):
    """A campaign open now, organised by the first network, with one item (packs of 10 by default)."""
    networks = networks or [NetworkFactory()]
    staff = staff or NetworkRoleFactory(network=networks[0]).user
    now = timezone.now()
    campaign = do_create_campaign(
        networks[0], acting_user=staff, points=[{"network": n, "place": f"Local de {n.name}"} for n in networks],
        title="Masques FFP2", supplier_name="Fournisseur", opens_at=now - datetime.timedelta(days=1),
        closes_at=now + closes_in, policy=policy)
    fields = {"name": "Masque FFP2", "unit": "masque", "pack_size": 10, "minimum_total": 0, **item}
    tiers = fields.pop("tiers", [Tier(0, Decimal("1.00")), Tier(100, Decimal("0.80"))])
    do_add_item(campaign, acting_user=staff, tiers=tiers, **fields)
    return campaign, campaign.items.get(), staff
