"""Creation forms sent once: the form's one-time key (meute.core.submissions)."""

from __future__ import annotations

from typing import Any

from django import forms

from meute.core.submissions import SUBMISSION_MAX, new_key


class SentOnce(forms.Form):
    """Adds the hidden one-time key; a form sent twice then creates one object."""

    submission = forms.CharField(required=False, max_length=SUBMISSION_MAX, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", new_key())
