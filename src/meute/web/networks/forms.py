"""Forms of the network pages: they parse and validate; services change state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.core import bounds
from meute.members.models import FeeStatus, MembershipStatus, NetworkFamily, Role
from meute.members.queries import MemberFilters
from meute.web.bounded import BoundedForm


class NetworkForm(BoundedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    family = forms.ChoiceField(label=_("Family"), choices=NetworkFamily.choices)
    goals = forms.CharField(label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    admission = forms.CharField(label=_("Admission criteria"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    cadence = forms.CharField(label=_("Meeting cadence"), required=False, max_length=100)
    hours_per_month = forms.IntegerField(label=_("Hours per month expected"), required=False, min_value=0,
                                         max_value=200)
    fee_amount = forms.DecimalField(label=_("Fee (€)"), min_value=0, max_value=bounds.MONEY_MAX, max_digits=8,
                                    decimal_places=2)
    max_size = forms.IntegerField(label=_("Maximum size"), required=False, min_value=1,
                                  max_value=bounds.CAPACITY_MAX)
    allows_business = forms.BooleanField(label=_("Deal-making welcome"), required=False)
    contact_name = forms.CharField(label=_("Contact name"), required=False, max_length=150)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    terms = forms.CharField(
        label=_("Terms of membership"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown on the invitation page; each new member accepts them when creating their account."),
    )


class MemberFilterForm(BoundedForm):
    q = forms.CharField(label=_("Name, company or e-mail"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all statuses")), *MembershipStatus.choices])
    fee_status = forms.ChoiceField(label=_("Fee"), required=False, choices=[("", _("all")), *FeeStatus.choices])

    def filters(self) -> MemberFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return MemberFilters(q=data.get("q", ""), status=data.get("status", ""),
                             fee_status=data.get("fee_status", ""))


def bulk_action_choices() -> list:
    return [
        ("", _("Choose an action…")),
        (_("Change the status to"), [(f"status:{v}", label) for v, label in MembershipStatus.choices]),
        (_("Change the fee to"), [(f"fee:{v}", label) for v, label in FeeStatus.choices]),
        (_("Invitations"), [("invite:send", _("Send their pending invitation"))]),
        (_("Export"), [("export:csv", "CSV"), ("export:xlsx", "XLSX")]),
    ]


class BulkActionForm(BoundedForm):
    SELECTED, FILTERED = "selected", "filtered"
    action = forms.ChoiceField(label=_("Action"), choices=bulk_action_choices)
    scope = forms.ChoiceField(
        label=_("On"), initial=SELECTED, widget=forms.RadioSelect,
        choices=[(SELECTED, _("the selected members")), (FILTERED, _("every member matching the filters"))],
    )
    selected = forms.TypedMultipleChoiceField(required=False, coerce=int)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        data = getattr(self, "data", None) or {}
        values = data.getlist("selected") if hasattr(data, "getlist") else []
        self.fields["selected"].choices = [(v, v) for v in values if str(v).isdigit()]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("scope") == self.SELECTED and not data.get("selected"):
            raise forms.ValidationError(_("Select at least one member, or choose every member matching the filters."))
        return data


class RoleGrantForm(BoundedForm):
    email = forms.EmailField(label=_("E-mail of the person"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
