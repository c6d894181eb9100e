"""Pooled purchases: campaigns run for one or several networks, their items, price tiers,
collection points, the members' commitments and, once closed, each company's order line.

State changes go through :mod:`meute.purchases.services`; protected reads through
:mod:`meute.purchases.queries`; the closing rules themselves are :mod:`meute.purchases.allocation`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meute.core import bounds
from meute.core.submissions import submission_field

UNITS_MAX = 1_000_000  # units of one item in one campaign


class Policy(models.TextChoices):
    """What happens when the minimum is not reached at the deadline (see ``allocation.decide``)."""

    CANCEL = "cancel", _("cancel and notify")
    EXTEND = "extend", _("extend once")
    ORDER = "order", _("order anyway at the tier reached")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("open")
    ORDERED = "ordered", pgettext_lazy("purchase", "ordered")
    CANCELLED = "cancelled", _("cancelled")


class Campaign(models.Model):
    """A pooled purchase, managed by the staff of ``network`` and open to the members of ``networks``."""

    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="purchase_campaigns",
                                verbose_name=_("organising network"))
    networks = models.ManyToManyField("members.Network", through="CollectionPoint", related_name="+",
                                      verbose_name=_("taking part"))
    submission = submission_field()  # the creating form's one-time key: sent twice, created once
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, validators=bounds.text())
    supplier = models.ForeignKey("members.Company", verbose_name=_("supplier (a member company)"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="supplied_campaigns")
    supplier_name = models.CharField(_("supplier"), max_length=200, blank=True,
                                     help_text=_("when the supplier is not a member company"))
    supplier_offer = models.TextField(_("the supplier's offer (members only)"), blank=True,
                                      validators=bounds.text())
    opens_at = models.DateTimeField(_("opens at"), validators=bounds.dates())
    closes_at = models.DateTimeField(_("closes at"), db_index=True, validators=bounds.dates())
    policy = models.CharField(_("if the minimum is not reached"), max_length=10, choices=Policy.choices,
                              default=Policy.CANCEL)
    extension_days = models.PositiveSmallIntegerField(_("days of extension"), default=7,
                                                      validators=bounds.int_range(1, 60))
    extended = models.BooleanField(_("extended"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.OPEN, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-closes_at", "pk"]
        verbose_name = _("pooled purchase")
        verbose_name_plural = _("pooled purchases")

    def __str__(self) -> str:
        return self.title

    @property
    def supplier_label(self) -> str:
        return self.supplier.name if self.supplier_id else self.supplier_name

    @property
    def status_label(self) -> str:
        """The status as the pages say it: an open campaign « opens soon » before its opening and has
        its « deadline passed » after its closing date, until the closing has run."""
        if self.status == CampaignStatus.OPEN:
            now = timezone.now()
            if self.opens_at > now:
                return str(_("opens soon"))
            if self.closes_at <= now:
                return str(_("deadline passed"))
        return self.get_status_display()


class CollectionPoint(models.Model):
    """A network taking part in a campaign, where its members collect their order."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="points")
    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="+")
    place = models.CharField(_("collection place"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "network"], name="one_point_per_network")]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.network}"


class Item(models.Model):
    """What is bought, sold by the pack, with its price tiers and limits."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    submission = submission_field()  # the adding form's one-time key: sent twice, added once
    name = models.CharField(_("item"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, default="unité")
    pack_size = models.PositiveIntegerField(_("units per pack"), default=1, validators=bounds.int_range(1, 10_000))
    description = models.TextField(_("description"), blank=True, validators=bounds.text())
    minimum_total = models.PositiveIntegerField(_("minimum total (units)"), default=0,
                                                validators=bounds.int_range(0, UNITS_MAX))
    maximum_total = models.PositiveIntegerField(_("most units available"), null=True, blank=True,
                                                validators=bounds.int_range(1, UNITS_MAX),
                                                help_text=_("empty: no limit; a whole number of packs"))
    cap_fixed = models.PositiveIntegerField(_("cap per company (units)"), null=True, blank=True,
                                            validators=bounds.int_range(1, UNITS_MAX))
    cap_per_employee = models.PositiveIntegerField(_("cap per employee (units)"), null=True, blank=True,
                                                   validators=bounds.int_range(1, 10_000))
    position = models.PositiveSmallIntegerField(default=0)
    # Arrival order of commitments (first come, first served), raised under the item's row lock.
    commit_seq = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class PriceTier(models.Model):
    """From ``min_quantity`` units in total, every unit of the item costs ``unit_price``."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="tiers")
    min_quantity = models.PositiveIntegerField(_("from (units in total)"), validators=bounds.int_range(0, UNITS_MAX))
    unit_price = models.DecimalField(_("unit price (€)"), max_digits=8, decimal_places=2, validators=bounds.money())

    class Meta:
        ordering = ["min_quantity"]
        constraints = [models.UniqueConstraint(fields=["item", "min_quantity"], name="one_tier_per_threshold")]

    def __str__(self) -> str:
        return f"{self.item}: {self.min_quantity}+ → {self.unit_price} €"


class Commitment(models.Model):
    """A company's commitment to buy ``quantity`` units of an item, plus ``tolerance`` to fill packs."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="commitments")
    company = models.ForeignKey("members.Company", on_delete=models.CASCADE, related_name="purchase_commitments")
    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("collection point"))
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="purchase_commitments")
    quantity = models.PositiveIntegerField(_("quantity"), validators=bounds.int_range(1, UNITS_MAX))
    tolerance = models.PositiveIntegerField(_("tolerance"), default=0, validators=bounds.int_range(0, UNITS_MAX),
                                            help_text=_("extra units you accept so that packs are full"))
    seq = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["item", "company"], name="one_commitment_per_company")]

    def __str__(self) -> str:
        return f"{self.company} — {self.quantity} × {self.item}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("to deliver")
    DELIVERED = "delivered", _("delivered")


class PaymentStatus(models.TextChoices):
    DUE = "due", _("to pay")
    PAID = "paid", _("paid")


class OrderLine(models.Model):
    """What a company receives and pays once the campaign is ordered (written by the closing)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="order_lines")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="order_lines")
    company = models.ForeignKey("members.Company", on_delete=models.CASCADE, related_name="purchase_lines")
    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="+")
    committed = models.PositiveIntegerField()
    tolerance_used = models.PositiveIntegerField(default=0)
    cut = models.PositiveIntegerField(default=0)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=8, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    saving = models.DecimalField(max_digits=12, decimal_places=2)
    delivery = models.CharField(_("delivery"), max_length=10, choices=DeliveryStatus.choices,
                                default=DeliveryStatus.PENDING)
    payment = models.CharField(_("payment"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.DUE)

    class Meta:
        ordering = ["item__position", "item_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "company"], name="one_line_per_company")]

    def __str__(self) -> str:
        return f"{self.company} — {self.quantity} × {self.item}"
