"""Forms of the advisor pages: the questionnaire, the directory of networks and its entries."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.advisor.models import AgeBracket, Goal
from meute.core import bounds
from meute.members.models import FeePeriod, HeadcountBand, NetworkFamily, ProfileTag, ScopeLevel
from meute.web.bounded import BoundedForm
from meute.web.lookups.fields import ActivityField, CommuneField
from meute.web.widgets import department_choices


class QuestionnaireForm(BoundedForm):
    """Parsed loosely on purpose: :func:`meute.advisor.profile.parse_profile` gives the messages."""

    goals = forms.MultipleChoiceField(label=_("What do you expect from a network?"), required=False,
                                      choices=Goal.choices, widget=forms.CheckboxSelectMultiple)
    naf = ActivityField(label=_("Activity"), required=False,
                        help_text=_("Your trade in plain words or its NAF code: plombier, expert-comptable, 62.01Z."))
    headcount = forms.ChoiceField(label=_("Headcount"), required=False,
                                  choices=[("", "—"), *HeadcountBand.choices])
    commune = CommuneField(label=_("Commune"), required=False)
    age_bracket = forms.ChoiceField(label=_("Age"), required=False, choices=[("", "—"), *AgeBracket.choices])
    tags = forms.MultipleChoiceField(label=_("Profile"), required=False, choices=ProfileTag.choices,
                                     widget=forms.CheckboxSelectMultiple)
    hours_per_month = forms.CharField(label=_("Hours a month you can give"), required=False, max_length=10)
    budget_eur = forms.CharField(label=_("Budget per year (€)"), required=False, max_length=10)
    text = forms.CharField(label=_("In your own words: what are you looking for?"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in self.fields if data.get(name) not in ("", None, [])}


class SendAdviceForm(BoundedForm):
    email = forms.EmailField(label=_("Send the result to (leader's e-mail)"), required=False)


class TerritoryFilterForm(BoundedForm):
    q = forms.CharField(label=_("Name or keyword"), required=False, max_length=100)
    family = forms.ChoiceField(label=_("Family"), required=False, choices=[("", _("all families")),
                                                                           *NetworkFamily.choices])
    department = forms.ChoiceField(label=_("Département"), required=False)
    goal = forms.ChoiceField(label=_("Goal"), required=False, choices=[("", _("any goal")), *Goal.choices])
    free_only = forms.BooleanField(label=_("Free only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("all départements")), *department_choices()]


class TerritoryNetworkForm(BoundedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    family = forms.ChoiceField(label=_("Family"), choices=NetworkFamily.choices)
    goals = forms.CharField(label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    scope = forms.ChoiceField(label=_("Territory scope"), choices=ScopeLevel.choices)
    departments = forms.MultipleChoiceField(label=_("Départements"), required=False)
    home_commune = forms.CharField(label=_("Main place (INSEE code)"), required=False, max_length=5)
    places = forms.CharField(label=_("Meeting places"), required=False, max_length=300)
    admission = forms.CharField(label=_("Admission criteria"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    audience_tags = forms.MultipleChoiceField(label=_("Reserved to profiles"), required=False,
                                              choices=ProfileTag.choices, widget=forms.CheckboxSelectMultiple)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=18, max_value=99)
    naf_prefixes = forms.CharField(label=_("Reserved to activities (NAF prefixes, e.g. 41 42 43)"),
                                   required=False, max_length=200)
    max_headcount = forms.ChoiceField(label=_("Largest headcount admitted"), required=False,
                                      choices=[("", "—"), *HeadcountBand.choices])
    goals_served = forms.MultipleChoiceField(label=_("Goals served (empty: those of its family)"), required=False,
                                             choices=Goal.choices, widget=forms.CheckboxSelectMultiple)
    cadence = forms.CharField(label=_("Meeting cadence"), required=False, max_length=100)
    hours_per_month = forms.IntegerField(label=_("Hours per month expected"), required=False, min_value=0,
                                         max_value=200)
    fee_amount = forms.DecimalField(label=_("Fee (€)"), min_value=0, max_value=bounds.MONEY_MAX, max_digits=8,
                                    decimal_places=2, initial=0)
    fee_period = forms.ChoiceField(label=_("Fee period"), choices=FeePeriod.choices)
    max_size = forms.IntegerField(label=_("Maximum size"), required=False, min_value=1,
                                  max_value=bounds.CAPACITY_MAX)
    declared_size = forms.IntegerField(label=_("Number of members"), required=False, min_value=0,
                                       max_value=bounds.CAPACITY_MAX)
    allows_business = forms.BooleanField(label=_("Deal-making welcome"), required=False, initial=True)
    contact_name = forms.CharField(label=_("Contact name"), required=False, max_length=150)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = department_choices()

    def clean_home_commune(self) -> str | None:
        from meute.territory.reference import UnknownCommune, commune

        code = self.cleaned_data["home_commune"].strip()
        if not code:
            return None
        try:
            return commune(code).insee
        except UnknownCommune:
            raise forms.ValidationError(_("%(code)s is not a French commune (INSEE code).") % {"code": code}
                                        ) from None

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["max_headcount"] = data.get("max_headcount") or ""
        return data


class IntroductionRequestForm(BoundedForm):
    message = forms.CharField(label=_("A word for them"), required=False, max_length=bounds.MESSAGE_MAX,
                              widget=forms.Textarea(attrs={"rows": 2}))
