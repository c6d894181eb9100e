"""Forms of the profile pages: they parse and validate; services change state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.members.models import HeadcountBand, ProfileTag, Visibility


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
