"""Forms of the member import pages and of "add one member"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.members.models import Company, FeeStatus, MembershipStatus
from meute.members.spreadsheet import FIELDS
from meute.web.bounded import BoundedForm
from meute.web.lookups.fields import ActivityField, lookup_input


class ImportForm(BoundedForm):
    file = forms.FileField(label=_("CSV or XLSX file"))


def field_choices() -> list[tuple[str, str]]:
    return [("", _("— ignore this column —")), *((name, label) for name, (label, _s) in FIELDS.items())]


class MappingForm(BoundedForm):
    """One select per column of the file: which of meute's fields it holds."""

    def __init__(self, *args, header: list[str], mapping: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = field_choices()
        for index, title in enumerate(header):
            self.fields[f"column-{index}"] = forms.ChoiceField(
                label=title or _("(untitled column %(n)s)") % {"n": index + 1}, choices=choices, required=False,
                initial=mapping[index] if index < len(mapping) else "",
            )

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"column-{i}", "") for i in range(len(self.fields))]


class AddMemberForm(BoundedForm):
    """One member typed by staff; checked by the same rules as one import row."""

    email = forms.CharField(label=_("E-mail"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    company = forms.CharField(label=_("Company name"), max_length=Company._meta.get_field("name").max_length)
    siret = forms.CharField(label="SIRET", max_length=30)
    naf = ActivityField(label=_("Activity (NAF code)"),
                        help_text=_("A trade in plain words or a code: plombier, 43.22A"))
    commune = forms.CharField(label=_("Commune"), max_length=120, help_text=_("Name or INSEE code"),
                              widget=lookup_input("commune"))
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    function = forms.CharField(label=_("Function"), max_length=150, required=False)
    status = forms.ChoiceField(label=_("Membership status"), choices=MembershipStatus.choices,
                               initial=MembershipStatus.ACTIVE)
    fee = forms.ChoiceField(label=_("Fee"), choices=FeeStatus.choices, initial=FeeStatus.DUE)
