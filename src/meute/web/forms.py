"""Forms of the web interface: they parse and validate; services change state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.members.models import Network, ProfileTag
from meute.members.queries import DirectoryFilters
from meute.naf.reference import sections
from meute.web.bounded import BoundedForm
from meute.web.lookups.fields import lookup_input
from meute.web.widgets import Choices, FastSelect, FastTextInput, department_choices


class DirectoryForm(BoundedForm):
    q = forms.CharField(label=_("Name, company or keyword"), required=False, max_length=100, widget=FastTextInput)
    naf = forms.CharField(
        label=_("Activity"), required=False, max_length=100,
        widget=lookup_input("activity", placeholder=_("e.g. plombier, 62.01Z, 43 or F")),
    )
    department = forms.ChoiceField(label=_("Département"), required=False, widget=FastSelect)
    network = forms.TypedChoiceField(label=_("Network"), required=False, coerce=int, empty_value=None,
                                     widget=FastSelect)
    expertise = forms.CharField(label=_("Expertise"), required=False, max_length=100, widget=FastTextInput)
    tag = forms.ChoiceField(label=_("Profile"), required=False, widget=FastSelect,
                            choices=[("", _("any profile")), *ProfileTag.choices])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = Choices([("", _("all départements")), *department_choices()])
        networks = Network.objects.filter(managed=True).order_by("name").values_list("pk", "name")
        self.fields["network"].choices = Choices([("", _("all networks")), *networks])

    def clean_naf(self) -> str:
        value = self.cleaned_data["naf"].strip()
        if len(value) == 1:
            value = value.upper()
        if value and len(value) == 1 and value not in sections():
            raise forms.ValidationError(_("Unknown NAF section."))
        return value

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DirectoryFilters(
            q=data.get("q", ""), naf=data.get("naf", ""), department=data.get("department", ""),
            network=data.get("network"), expertise=data.get("expertise", ""), tag=data.get("tag", ""),
        )




def add_domain_error(form: forms.Form, exc: object) -> None:
    """Show a domain error on the field it names, or on the form when the field is not in it."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, getattr(exc, "message", str(exc)))


def labelled_errors(form: forms.Form) -> list[str]:
    """A form's errors as sentences that name each field as the form labels it (« Action » : …),
    for a page that shows them as messages rather than beside the fields."""
    out = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else ""
        for error in errors:
            named = not label or name == forms.forms.NON_FIELD_ERRORS or f"« {label} »" in str(error)
            out.append(str(error) if named else f"« {label} » : {error}")
    return out
