"""Form fields that take what people know: a commune by its name, an activity in plain words.

Each widget carries ``data-lookup`` so that ``web/lookup.js`` offers suggestions as one types
(from ``web:commune_lookup`` / ``web:activity_lookup``); without scripts the field still reads
what was typed.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from meute.core.exceptions import MeuteError
from meute.naf.activities import search_activities
from meute.naf.reference import UnknownNafCode, normalise_naf
from meute.web.widgets import FastTextInput

_LEADING_CODE = re.compile(r"\s*(\d{2}[.\s]?\d{2}\s?[A-Za-z])(?:\s|$)")


def lookup_input(kind: str, **attrs: Any) -> forms.TextInput:
    url = reverse_lazy("web:commune_lookup" if kind == "commune" else "web:activity_lookup")
    return FastTextInput(attrs={"data-lookup": kind, "data-lookup-url": url, "autocomplete": "off", **attrs})


class CommuneField(forms.CharField):
    """A commune typed by its name ("Poitiers", "Poitiers (86000)", "86000 Poitiers") or INSEE code;
    cleans to the INSEE code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("widget", lookup_input("commune", placeholder=_("e.g. Poitiers")))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        from meute.members.validation import resolve_commune

        try:
            return resolve_commune(text).insee
        except MeuteError as exc:
            raise forms.ValidationError(exc.message) from None


def activity_code(text: str) -> str:
    """The NAF code that ``text`` names: a code ("43.22A", "4322a", "43.22A Travaux …") or words
    that find exactly one activity ("plombier"). Raises ``ValidationError`` otherwise."""
    match = _LEADING_CODE.match(text)
    candidate = match[1] if match else text
    try:
        return normalise_naf(candidate)
    except UnknownNafCode:
        pass
    found = search_activities(text, limit=6)
    if len(found) == 1:
        return found[0].code
    if not found:
        raise forms.ValidationError(
            _("No activity matches “%(text)s”: type a trade (e.g. plombier) or a NAF code (e.g. 43.22A).")
            % {"text": text})
    raise forms.ValidationError(
        _("Several activities match “%(text)s”: choose one (%(choices)s).")
        % {"text": text, "choices": "; ".join(str(n) for n in found[:5])})


class ActivityField(forms.CharField):
    """One NAF activity, typed as a code or in plain words; cleans to the code (``"43.22A"``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("widget", lookup_input("activity", placeholder=_("e.g. plombier or 43.22A")))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return activity_code(text) if text else ""
