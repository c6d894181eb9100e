"""The audit page's filters: every value bounded; a bad one is a field error and filters nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meute.core.queries import AuditFilters
from meute.web.bounded import BoundedForm

FIRST_YEAR, LAST_YEAR = 2000, 2100


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(BoundedForm):
    person = forms.CharField(label=_("Who"), required=False, max_length=150,
                             widget=forms.TextInput(attrs={"placeholder": _("name or e-mail")}))
    obj = forms.CharField(label=pgettext_lazy("audit", "Object"), required=False, max_length=200)
    action = forms.ChoiceField(label=pgettext_lazy("audit", "Action"), required=False)
    since = forms.DateField(label=pgettext_lazy("audit", "From"), required=False,
                            widget=DateInput(format="%Y-%m-%d"))
    until = forms.DateField(label=pgettext_lazy("audit", "To"), required=False,
                            widget=DateInput(format="%Y-%m-%d"))

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = sorted({a.split(".", 1)[0] for a in actions})
        self.fields["action"].choices = [
            ("", _("every action")),
            (pgettext_lazy("audit", "Areas"), [(area, f"{area}.*") for area in areas]),
            (pgettext_lazy("audit", "Actions"), [(a, a) for a in actions]),
        ]

    def _clean_day(self, name: str) -> datetime.date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(_("Choose a date between %(a)s and %(b)s.") % {"a": FIRST_YEAR, "b": LAST_YEAR})
        return day

    def clean_since(self) -> datetime.date | None:
        return self._clean_day("since")

    def clean_until(self) -> datetime.date | None:
        return self._clean_day("until")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date comes before the start date."))
        return data

    def filters(self) -> AuditFilters:
        """The valid filters (an invalid field is left out and shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return AuditFilters(person=data.get("person", ""), obj=data.get("obj", ""), action=data.get("action", ""),
                            since=data.get("since"), until=data.get("until"))
