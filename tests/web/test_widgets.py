"""FastSelect writes the same HTML as Django's Select, without a template per option."""

import re

import pytest
from django import forms

from meute.web.widgets import FastSelect

CHOICES = [("", "tous"), ("33", "33 — Gironde & <b>"), (86, "86 — Vienne")]


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("value", ["", "33", 86, None, "inconnu"])
def test_fast_select_renders_as_django_select(value):
    """Same options, same selection, same escaping as Django's Select."""
    attrs = {"id": "id_department", "aria-describedby": "help"}
    expected = forms.Select(choices=CHOICES).render("department", value, attrs)
    assert _normal(FastSelect(choices=CHOICES).render("department", value, attrs)) == _normal(expected)
