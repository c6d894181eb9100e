"""Forms of the network pages: they parse and validate; services change state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.members.models import NetworkFamily


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    family = forms.ChoiceField(label=_("Family"), choices=NetworkFamily.choices)
    goals = forms.CharField(label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    admission = forms.CharField(label=_("Admission criteria"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    cadence = forms.CharField(label=_("Meeting cadence"), required=False, max_length=100)
    hours_per_month = forms.IntegerField(label=_("Hours per month expected"), required=False, min_value=0,
                                         max_value=200)
    fee_amount = forms.DecimalField(label=_("Fee (€)"), min_value=0, max_digits=8, decimal_places=2)
    max_size = forms.IntegerField(label=_("Maximum size"), required=False, min_value=1)
    allows_business = forms.BooleanField(label=_("Deal-making welcome"), required=False)
    contact_name = forms.CharField(label=_("Contact name"), required=False, max_length=150)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
