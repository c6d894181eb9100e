"""Creation forms sent once: the form's one-time key (meute.core.submissions)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from meute.core.submissions import SUBMISSION_MAX, new_key


class SentOnce(forms.Form):
    """Adds the hidden one-time key; a form sent twice then creates one object."""

    submission = forms.CharField(required=False, max_length=SUBMISSION_MAX, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", new_key())


def already_sent(request: HttpRequest, text: str) -> None:
    """Say that the form was already sent, instead of what its first sending's answer said.

    A sending repeated while the first one is on its way makes the browser drop the first answer,
    whose message (« L’événement est publié. ») then waits for the next page: the repeat's message
    says the same, once."""
    for _pending in messages.get_messages(request):  # read: removed when this answer is sent
        pass
    messages.info(request, text)
