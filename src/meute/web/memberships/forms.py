"""Forms of a network's member page for its staff: they parse and validate; services change state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.members.models import FeeStatus, MembershipStatus, Role
from meute.web.bounded import BoundedForm


class DateInput(forms.DateInput):
    """The browser's date picker: its value is always ISO (2025-01-31), whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MembershipForm(BoundedForm):
    status = forms.ChoiceField(label=_("Status"), choices=MembershipStatus.choices)
    fee_status = forms.ChoiceField(label=_("Fee"), choices=FeeStatus.choices)
    fee_paid_on = forms.DateField(label=_("Fee paid on"), required=False, widget=DateInput)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DateInput)
    left_on = forms.DateField(label=_("Left on"), required=False, widget=DateInput)


class EndMembershipForm(BoundedForm):
    left_on = forms.DateField(label=_("Left on"), required=False, widget=DateInput,
                              help_text=_("today if left empty"))


class MemberRoleForm(BoundedForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
