"""Form of a declared conflict."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.peergroups.models import ConflictKind
from meute.web.bounded import BoundedForm


class ConflictForm(BoundedForm):
    """A member declares for themselves; the programme's staff may name the member it is for."""

    email = forms.EmailField(label=_("E-mail of the person you must not sit with"))
    kind = forms.ChoiceField(label=_("Why"), choices=ConflictKind.choices)
    note = forms.CharField(label=_("Note (only the programme's staff read it)"), max_length=300, required=False)
    about = forms.EmailField(label=_("Declared for (staff: e-mail of the member; empty: yourself)"), required=False)

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["about"]
