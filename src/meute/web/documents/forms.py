"""Forms of the library pages: they parse and validate; services check the files and change state."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from meute.core import bounds
from meute.documents.models import Scope
from meute.files.checks import FORMATS, max_upload_bytes
from meute.web.bounded import BoundedForm
from meute.web.once import SentOnce

ACCEPT = ",".join(f".{ext}" for ext in FORMATS)


def _file_field(label) -> forms.FileField:
    return forms.FileField(
        label=label, max_length=1000, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=format_lazy(_("PDF, office file (Word, Excel, PowerPoint, LibreOffice), image or text; "
                                "at most {}."), filesizeformat(max_upload_bytes())))


class DocumentFieldsForm(BoundedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=bounds.MESSAGE_MAX,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.CharField(label=_("Tags"), required=False, max_length=500,
                           help_text=_("separated by commas, e.g. DUERP, ressources humaines"))
    scope = forms.ChoiceField(label=_("Who may read it"), choices=Scope.choices, initial=Scope.NETWORK)
    group = forms.TypedChoiceField(label=_("Peer group"), coerce=int, required=False, empty_value=None,
                                   help_text=_("when only a peer group may read it"))

    def __init__(self, *args, groups=(), scopes=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._groups = {g.pk: g for g in groups}
        self.fields["group"].choices = [("", "—"), *((g.pk, g.name) for g in groups)]
        if scopes is not None:
            self.fields["scope"].choices = [(value, label) for value, label in Scope.choices if value in scopes]
        if not groups:
            del self.fields["group"]

    def clean_group(self):
        pk = self.cleaned_data.get("group")
        return self._groups.get(pk) if pk else None

    def document_fields(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "description": data.get("description", ""), "tags": data.get("tags", ""),
                "scope": data["scope"], "group": data.get("group")}


class DocumentForm(SentOnce, DocumentFieldsForm):
    file = _file_field(_("File"))
    note = forms.CharField(label=_("Note on this version"), required=False, max_length=300)

    field_order = ["file", "title", "description", "tags", "scope", "group", "note"]


class VersionForm(BoundedForm):
    file = _file_field(_("New version"))
    note = forms.CharField(label=_("What changed"), required=False, max_length=300)


def _day(moment: object) -> str:
    return date_format(localtime(moment), "SHORT_DATE_FORMAT")


class LinkForm(BoundedForm):
    """Where to show the document: an event or a meeting among those the person manages."""

    target = forms.ChoiceField(label=_("Show it on"))

    def __init__(self, *args, events=(), meetings=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._targets = {f"event-{e.pk}": ("event", e) for e in events}
        self._targets.update({f"meeting-{m.pk}": ("meeting", m) for m in meetings})
        event_choices = [(f"event-{e.pk}", f"{e.title} — {_day(e.starts_at)}") for e in events]
        meeting_choices = [(f"meeting-{m.pk}", f"{m.group.name} — {_day(m.starts_at)}")
                           for m in meetings]
        self.fields["target"].choices = [
            *([(_("Events"), event_choices)] if event_choices else []),
            *([(_("Group meetings"), meeting_choices)] if meeting_choices else []),
        ]

    def chosen(self) -> dict:
        kind, obj = self._targets[self.cleaned_data["target"]]
        return {kind: obj}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)
    network = forms.IntegerField(required=False, min_value=1, max_value=bounds.ID_MAX, widget=forms.HiddenInput)
