"""Forms of the profile pages: they parse and validate; services change state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.core import bounds
from meute.members.models import HeadcountBand, ProfileTag, Visibility
from meute.web.bounded import BoundedForm
from meute.web.lookups.fields import ActivityField

# The company's headcount band; the blank choice stores "not given", never a guessed band.
HEADCOUNT_CHOICES = [("", _("not given")), *HeadcountBand.choices]


class ProfileForm(BoundedForm):
    expertise = forms.CharField(label=_("Expertise I can share"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.MultipleChoiceField(label=_("Profile tags"), required=False, choices=ProfileTag.choices,
                                     widget=forms.CheckboxSelectMultiple)
    listed = forms.BooleanField(label=_("Show me in the members' directory"), required=False)
    email_visibility = forms.ChoiceField(label=_("Who sees my e-mail"), choices=Visibility.choices)
    phone_visibility = forms.ChoiceField(label=_("Who sees my phone"), choices=Visibility.choices)
    website = forms.URLField(label=_("Company website"), required=False, assume_scheme="https")
    headcount = forms.ChoiceField(label=_("Headcount"), choices=HEADCOUNT_CHOICES, required=False)
    founded_year = forms.IntegerField(label=_("Founding year"), required=False, min_value=1800,
                                      max_value=bounds.YEAR_MAX)
    offers = forms.CharField(label=_("What my company offers"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    needs = forms.CharField(label=_("What my company looks for"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class PersonForm(BoundedForm):
    first_name = forms.CharField(label=_("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    function = forms.CharField(label=_("Function"), required=False, max_length=100)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)


class CompanyForm(BoundedForm):
    """A company's identity; the commune is found from its postal code and name."""

    name = forms.CharField(label=_("Company name"), max_length=200)
    siret = forms.CharField(label=_("SIRET"), max_length=20, help_text=_("14 digits"))
    naf_code = ActivityField(label=_("Activity (NAF code)"),
                             help_text=_("A trade in plain words or a code: plombier, 62.01Z"))
    postal_code = forms.CharField(label=_("Postal code"), max_length=5)
    city = forms.CharField(label=_("Commune"), max_length=100, required=False)
    headcount = forms.ChoiceField(label=_("Headcount"), choices=HEADCOUNT_CHOICES, required=False)
    website = forms.URLField(label=_("Company website"), required=False, assume_scheme="https")

    def clean(self) -> dict:
        from meute.core.exceptions import MeuteError
        from meute.members.validation import find_commune

        data = super().clean()
        if data.get("postal_code"):
            try:
                data["commune"] = find_commune("", postal_code=data["postal_code"], city=data.get("city", ""))
            except MeuteError as exc:
                self.add_error("city" if data.get("city") else "postal_code", exc.message)
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("name", "siret", "naf_code", "commune", "headcount", "website")}

    @staticmethod
    def initial_for(company) -> dict:
        if company is None:
            return {}
        codes = company.commune.postal_codes.split()
        return {
            "name": company.name, "siret": company.siret or "", "naf_code": company.naf_code,
            "postal_code": codes[0] if codes else "", "city": company.commune.name,
            "headcount": company.headcount, "website": company.website,
        }


class EmailChangeForm(BoundedForm):
    email = forms.EmailField(label=_("New e-mail address"))
