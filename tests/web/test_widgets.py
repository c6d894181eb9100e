"""FastSelect writes the same HTML as Django's Select, without a template per option."""

import re

import pytest
from django import forms

from meute.web.widgets import Choices, FastSelect, FastTextInput, department_choices

CHOICES = [("", "tous"), ("33", "33 — Gironde & <b>"), (86, "86 — Vienne")]


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("value", ["", "33", 86, None, "inconnu"])
def test_fast_select_renders_as_django_select(value):
    """Same options, same selection, same escaping as Django's Select."""
    attrs = {"id": "id_department", "aria-describedby": "help"}
    expected = forms.Select(choices=CHOICES).render("department", value, attrs)
    assert _normal(FastSelect(choices=CHOICES).render("department", value, attrs)) == _normal(expected)


def test_prebuilt_choices_select_and_validate_as_a_list():
    """A field given ready pairs renders and validates as with the same pairs in a list."""
    field = forms.ChoiceField(choices=Choices(CHOICES), widget=FastSelect, required=False)
    plain = forms.ChoiceField(choices=CHOICES, widget=FastSelect, required=False)
    assert field.widget.render("d", "33") == plain.widget.render("d", "33")
    assert field.clean("86") == "86"
    with pytest.raises(forms.ValidationError):
        field.clean("99")


def test_departments_are_offered_in_code_order():
    """Every département once, « 33 — Gironde », in code order."""
    choices = department_choices()
    assert ("33", "33 — Gironde") in choices
    assert [code for code, _label in choices] == sorted(code for code, _label in choices)
    assert len(choices) == 101


@pytest.mark.parametrize("value", ["", None, "plombier", 'a "quoted" <b>value</b> & co', 42])
def test_fast_text_input_renders_as_django_text_input(value):
    """Same attributes, value and escaping as Django's TextInput."""
    attrs = {"id": "id_q", "maxlength": "100", "required": True, "disabled": False, "data-lookup": "activity"}
    own = {"placeholder": "ex. <plombier>"}
    expected = forms.TextInput(attrs=own).render("q", value, attrs)
    assert _normal(FastTextInput(attrs=own).render("q", value, attrs)) == _normal(expected)
