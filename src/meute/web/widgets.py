"""Widgets that render in Python what Django renders through a template per option.

Django's ``Select`` renders each ``<option>`` through a template: about 0.1 ms each, so the
directory's list of 101 départements cost more than the rest of the page. :class:`FastSelect`
writes the same HTML (each value escaped as ``conditional_escape`` does) directly.
"""

from __future__ import annotations

import html
from functools import cache
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString, mark_safe

from meute.territory.reference import departments


class FastSelect(forms.Select):
    """A single ``<select>`` with flat choices, rendered without a template per option."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        choices = list(self.choices)
        if any(isinstance(label, list | tuple) for _value, label in choices):  # option groups: Django's way
            return super().render(name, value, attrs, renderer)
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{_escape(key)}"{" selected" if key in chosen else ""}>{_escape(label)}</option>'
            for key, label in ((str(v) if v is not None else "", label) for v, label in choices))
        return format_html("<select{}>{}</select>", _attributes(final), mark_safe(options))  # each part escaped above


class FastTextInput(forms.TextInput):
    """A text ``<input>`` written as Django's template writes it, without the template (about
    0.1 ms each: a list's filters render three of them on every request)."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        final = {"type": self.input_type, "name": name}
        shown = self.format_value(value)
        if shown is not None:
            final["value"] = str(shown)
        final.update(self.build_attrs(self.attrs, attrs))
        return format_html("<input{}>", _attributes(final))


def _escape(value: Any) -> str:
    """``conditional_escape`` without its lazy-string wrapper: a hundred options are escaped per page."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


def _attributes(attrs: dict) -> SafeString:
    """HTML attributes in their given order, as Django's ``attrs.html`` writes them."""
    bare = [(key,) for key, value in attrs.items() if value is True]
    valued = [(key, value) for key, value in attrs.items() if value not in (True, False, None)]
    order = {key: index for index, key in enumerate(attrs)}
    parts = sorted([(order[k], format_html(' {}="{}"', k, v)) for k, v in valued]
                   + [(order[k], format_html(" {}", k)) for (k,) in bare])
    return mark_safe("".join(part for _index, part in parts))


class Choices(BaseChoiceIterator):
    """Choices already in Django's normal form, ``(value, label)`` pairs: a field given them skips
    ``normalize_choices``, which costs about 3 µs a pair on every form built (the directory's
    101 départements on every search)."""

    def __init__(self, pairs: list[tuple[Any, Any]]) -> None:
        self.pairs = pairs

    def __iter__(self) -> Any:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


@cache
def department_choices() -> list[tuple[str, str]]:
    """Every département as « 33 — Gironde », in code order (read once per process)."""
    return [(code, f"{code} — {d.name}") for code, d in sorted(departments().items())]
