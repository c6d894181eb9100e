"""Forms of the pooled-purchase pages: they parse and validate; services change state."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from meute.core import bounds
from meute.purchases.models import UNITS_MAX, DeliveryStatus, PaymentStatus, Policy
from meute.web.bounded import BoundedForm
from meute.web.forms_events import DateTimeInput
from meute.web.once import SentOnce

TIER_ROWS = 3


class CampaignForm(SentOnce, BoundedForm):
    """A new pooled purchase: sent twice (a double click), it creates one campaign."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    supplier_siret = forms.CharField(label=_("Supplier's SIRET (a member company)"), required=False, max_length=20,
                                     help_text=_("leave empty when the supplier is not a member company"))
    supplier_name = forms.CharField(label=_("Supplier"), required=False, max_length=200)
    supplier_offer = forms.CharField(label=_("The supplier's offer (members only)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DateTimeInput())
    policy = forms.ChoiceField(label=_("If the minimum is not reached"), choices=Policy.choices)
    extension_days = forms.IntegerField(label=_("Days of extension"), min_value=1, max_value=60, initial=7)
    networks = forms.TypedMultipleChoiceField(label=_("Networks taking part"), coerce=int,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, networks=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._networks = {n.pk: n for n in networks}
        self.fields["networks"].choices = [(n.pk, n.name) for n in networks]

    def clean_networks(self) -> list:
        """The chosen networks among those offered (the choices hold only networks the person manages)."""
        return [self._networks[pk] for pk in self.cleaned_data["networks"]]


class ItemForm(SentOnce, BoundedForm):
    """A new item of a campaign: sent twice (a double click), it adds one item."""

    name = forms.CharField(label=_("Item"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=50, initial="unité")
    pack_size = forms.IntegerField(label=_("Units per pack"), min_value=1, max_value=10_000, initial=1)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minimum_total = forms.IntegerField(label=_("Minimum total (units)"), min_value=0, max_value=UNITS_MAX, initial=0)
    maximum_total = forms.IntegerField(label=_("Most units available"), required=False, min_value=1,
                                       max_value=UNITS_MAX)
    cap_fixed = forms.IntegerField(label=_("Cap per company (units)"), required=False, min_value=1,
                                   max_value=UNITS_MAX)
    cap_per_employee = forms.IntegerField(label=_("Cap per employee (units)"), required=False, min_value=1,
                                          max_value=10_000)
    base_price = forms.DecimalField(label=_("Base unit price (€)"), min_value=0, max_value=bounds.MONEY_MAX,
                                    max_digits=8, decimal_places=2)

    def tiers(self) -> list[tuple[int, object]]:
        data = self.cleaned_data
        rows = [(0, data["base_price"])]
        for i in range(1, TIER_ROWS + 1):
            if data.get(f"tier{i}_from") is not None or data.get(f"tier{i}_price") is not None:
                rows.append((data.get(f"tier{i}_from"), data.get(f"tier{i}_price")))
        return rows

    def item_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("tier") and k != "base_price"}


for _i in range(1, TIER_ROWS + 1):
    ItemForm.base_fields[f"tier{_i}_from"] = forms.IntegerField(
        label=format_lazy(_("Tier {n}: from (units in total)"), n=_i), required=False, min_value=1,
        max_value=UNITS_MAX)
    ItemForm.base_fields[f"tier{_i}_price"] = forms.DecimalField(
        label=format_lazy(_("Tier {n}: unit price (€)"), n=_i), required=False, min_value=0,
        max_value=bounds.MONEY_MAX, max_digits=8, decimal_places=2)


class CommitForm(BoundedForm):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=UNITS_MAX,
                                  help_text=_("0 withdraws your commitment"))
    tolerance = forms.IntegerField(label=_("Tolerance"), min_value=0, max_value=UNITS_MAX, initial=0, required=False,
                                   help_text=_("extra units you accept so that packs are full"))
    network = forms.TypedChoiceField(label=_("Collection point"), coerce=int, required=False)

    def __init__(self, *args, points=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = [(p.network_id, f"{p.network.name} — {p.place}" if p.place
                                           else p.network.name) for p in points]
        if len(points) < 2:
            del self.fields["network"]  # one collection point: nothing to choose


class PointForm(BoundedForm):
    place = forms.CharField(label=_("Collection place"), required=False, max_length=200)
    contact_name = forms.CharField(label=_("Contact"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30)


class LineForm(BoundedForm):
    delivery = forms.ChoiceField(label=_("Delivery"), choices=DeliveryStatus.choices)
    payment = forms.ChoiceField(label=_("Payment"), choices=PaymentStatus.choices)
