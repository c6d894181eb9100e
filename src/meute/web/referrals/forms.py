"""Forms of the referral pages: they parse and validate; services change state."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.core import bounds
from meute.referrals.models import Business, Warmth
from meute.web.bounded import BoundedForm
from meute.web.forms_events import DateTimeInput
from meute.web.once import SentOnce
from meute.web.widgets import FastSelect


class ReferralForm(BoundedForm):
    receiver = forms.TypedChoiceField(label=_("To whom"), coerce=int, widget=FastSelect)
    prospect_name = forms.CharField(label=_("Prospect's name"), max_length=200)
    prospect_company = forms.CharField(label=_("Prospect's company"), max_length=200, required=False)
    prospect_email = forms.EmailField(label=_("Prospect's e-mail"), required=False)
    prospect_phone = forms.CharField(label=_("Prospect's phone"), max_length=30, required=False,
                                     widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    prospect_agreed = forms.BooleanField(
        label=_("The prospect agreed to be contacted"), required=False,
        help_text=_("without it, this is only a lead: the receiver should not call before you have asked"))
    need = forms.CharField(label=_("What is needed"), max_length=bounds.MESSAGE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))
    warmth = forms.ChoiceField(label=_("How warm"), choices=Warmth.choices, initial=Warmth.CONTACT,
                               widget=forms.RadioSelect)
    meeting = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=bounds.INT_MAX)
    event = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=bounds.INT_MAX)
    submission = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, receivers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].choices = [("", "—"), *((r.pk, _label(r)) for r in receivers)]
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4().hex)


def _label(leader) -> str:
    company = leader.company.name if leader.company_id else ""
    return f"{leader.full_name} — {company}" if company else leader.full_name


class ReasonForm(BoundedForm):
    reason = forms.CharField(label=_("Why"), max_length=bounds.MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class WonForm(BoundedForm):
    amount = forms.CharField(label=_("Amount won (€, excluding tax)"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    business = forms.ChoiceField(label=_("Business"), choices=Business.choices, initial=Business.NEW,
                                 widget=forms.RadioSelect)
    share = forms.BooleanField(label=_("Show the amount to the giver"), required=False,
                               help_text=_("otherwise the giver sees « won » only; staff only ever see sums"))


class ShareForm(BoundedForm):
    share = forms.BooleanField(label=_("Show the amount to the giver"), required=False)


class OneToOneForm(SentOnce, BoundedForm):
    """Scheduling a one-to-one: sent twice (a double click), it schedules one."""

    other = forms.TypedChoiceField(label=_("With whom"), coerce=int, widget=FastSelect)
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    visio = forms.BooleanField(label=_("By video"), required=False)

    def __init__(self, *args, people=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [("", "—"), *((p.pk, _label(p)) for p in people)]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # the browser's date picker reads ISO dates


class PeriodForm(BoundedForm):
    start = forms.DateField(label=_("From"), required=False, widget=_date_input())
    end = forms.DateField(label=_("To"), required=False, widget=_date_input())


class PublishForm(BoundedForm):
    year = forms.IntegerField(label=_("Year"), min_value=bounds.YEAR_MIN, max_value=bounds.YEAR_MAX)
    advisor_consent = forms.BooleanField(
        label=_("The advisor may quote it to leaders choosing a network"), required=False)


class NeedForm(BoundedForm):
    need = forms.CharField(label=_("What is your contact looking for?"), max_length=bounds.MESSAGE_MAX,
                           required=False)
