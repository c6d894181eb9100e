"""Forms of the web interface: they parse and validate; services change state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.members.models import HeadcountBand, Network, NetworkFamily, ProfileTag, Visibility
from meute.members.queries import DirectoryFilters
from meute.naf.reference import sections
from meute.territory.reference import departments


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name, company or keyword"), required=False, max_length=100)
    naf = forms.CharField(
        label=_("Activity (NAF code or section)"), required=False, max_length=6,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 62.01Z, 43 or F"), "list": "naf-sections"}),
    )
    department = forms.ChoiceField(label=_("Département"), required=False)
    network = forms.TypedChoiceField(label=_("Network"), required=False, coerce=int, empty_value=None)
    expertise = forms.CharField(label=_("Expertise"), required=False, max_length=100)
    tag = forms.ChoiceField(label=_("Profile"), required=False,
                            choices=[("", _("any profile")), *ProfileTag.choices])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("all départements"))] + [
            (code, f"{code} — {d.name}") for code, d in sorted(departments().items())
        ]
        self.fields["network"].choices = [("", _("all networks"))] + [
            (n.pk, n.name) for n in Network.objects.filter(managed=True).order_by("name")
        ]

    def clean_naf(self) -> str:
        value = self.cleaned_data["naf"].strip().upper()
        if value and len(value) == 1 and value not in sections():
            raise forms.ValidationError(_("Unknown NAF section."))
        return value

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DirectoryFilters(
            q=data.get("q", ""), naf=data.get("naf", ""), department=data.get("department", ""),
            network=data.get("network"), expertise=data.get("expertise", ""), tag=data.get("tag", ""),
        )


class ProfileForm(forms.Form):
    function = forms.CharField(label=_("Function"), required=False, max_length=100)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    expertise = forms.CharField(label=_("Expertise I can share"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.MultipleChoiceField(label=_("Profile tags"), required=False, choices=ProfileTag.choices,
                                     widget=forms.CheckboxSelectMultiple)
    listed = forms.BooleanField(label=_("Show me in the members' directory"), required=False)
    email_visibility = forms.ChoiceField(label=_("Who sees my e-mail"), choices=Visibility.choices)
    phone_visibility = forms.ChoiceField(label=_("Who sees my phone"), choices=Visibility.choices)
    website = forms.URLField(label=_("Company website"), required=False, assume_scheme="https")
    headcount = forms.ChoiceField(label=_("Headcount"), choices=HeadcountBand.choices)
    founded_year = forms.IntegerField(label=_("Founding year"), required=False, min_value=1800, max_value=2100)
    offers = forms.CharField(label=_("What my company offers"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    needs = forms.CharField(label=_("What my company looks for"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


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


def add_domain_error(form: forms.Form, exc: object) -> None:
    """Show a domain error on the field it names, or on the form when the field is not in it."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, getattr(exc, "message", str(exc)))
