"""Forms whose every field is bounded, with messages that name the field as the form labels it.

Every form of the web interface derives from :class:`BoundedForm`. A number with no maximum
gets the database's (``INT_MAX``, ``MONEY_MAX``); a long text with no maximum length gets
``TEXT_MAX`` and a character counter (``web/counter.js`` reads ``data-counter``); a date gets
the year range; an amount is read and shown with the language's decimal separator. Out of
range is a field error, such as « Capacité » : au maximum 2147483647.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxLengthValidator, MaxValueValidator
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from meute.core.bounds import INT_MAX, MONEY_MAX, TEXT_MAX, YearRangeValidator, parse_id

URL_MAX, EMAIL_MAX = 200, 254  # the lengths of Django's URLField and EmailField columns


def _messages(field: forms.Field) -> dict[str, str]:
    """French-first messages for the codes of this field, with its label in them."""
    texts = {
        "min_value": _("%(label)s: at least %(limit_value)s."),
        "max_value": _("%(label)s: at most %(limit_value)s."),
        "max_length": _("%(label)s: at most %(limit_value)s characters (it has %(show_value)s)."),
        "max_digits": _("%(label)s: at most %(max)s digits in all."),
        "max_whole_digits": _("%(label)s: at most %(max)s digits before the decimal point."),
        "max_decimal_places": _("%(label)s: at most %(max)s decimals."),
        "year_range": _("%(label)s: the year must be between %(low)s and %(high)s."),
    }
    if isinstance(field, forms.FloatField | forms.DecimalField):  # both derive from IntegerField: first
        texts["invalid"] = _("%(label)s: enter a number.")
    elif isinstance(field, forms.IntegerField):
        texts["invalid"] = _("%(label)s: enter a whole number.")
    elif isinstance(field, forms.DateTimeField):
        texts["invalid"] = _("%(label)s: enter a valid date and time.")
    elif isinstance(field, forms.DateField):
        texts["invalid"] = _("%(label)s: enter a valid date.")
    elif isinstance(field, forms.URLField):
        texts["invalid"] = _("%(label)s: enter a valid web address, such as https://example.org.")
    elif isinstance(field, forms.EmailField):
        texts["invalid"] = _("%(label)s: enter a valid e-mail address.")
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):  # an option the page did not offer
        texts["invalid_choice"] = _("%(label)s: choose from the list.")
    if field.widget.is_hidden:  # written by the page, not typed: a wrong value is a stale or altered form
        expired = _("This form has expired: open it again.")
        return dict.fromkeys((*texts, "invalid_choice", "required"), expired)
    label = str(field.label or "").replace("%", "%%")
    keep = {name: f"%({name})s" for name in ("limit_value", "show_value", "max", "low", "high")}
    messages = {code: text % {"label": label, **keep} for code, text in texts.items()}
    limits = {"min_value": getattr(field, "min_value", None), "max_value": getattr(field, "max_value", None)}
    for code, limit in limits.items():
        if limit is not None:  # « Capacité » : au maximum 100 000 (grouped as the language writes numbers)
            shown = number_format(limit, force_grouping=True).replace("%", "%%")
            messages[code] = messages[code].replace("%(limit_value)s", shown)
    return messages


def _decimal_comma(field: forms.DecimalField) -> None:
    """An amount is read as the language writes it (« 12,50 » in French; a point is still taken) and
    shown the same way, in a text box with the phone's decimal keypad: a number box would refuse
    or blank the comma."""
    field.localize = True
    attrs = {k: v for k, v in field.widget.attrs.items() if k not in ("min", "max", "step")}
    field.widget = forms.TextInput(attrs={**attrs, "inputmode": "decimal"})
    field.widget.is_localized = True


class _DigitsInRange:
    """An amount's count of digits, checked only within its range: beyond it, « au maximum
    999 999,99 » already says what « 6 chiffres au maximum avant la virgule » would say again."""

    def __init__(self, digits: DecimalValidator, field: forms.DecimalField) -> None:
        self.digits, self.field = digits, field

    def __call__(self, value: Any) -> None:
        low, high = self.field.min_value, self.field.max_value
        if (high is not None and value > high) or (low is not None and value < low):
            return
        self.digits(value)


def _add_max(field: forms.Field, limit: object) -> None:
    field.max_value = limit
    field.validators.append(MaxValueValidator(limit))
    field.widget.attrs.setdefault("max", str(limit))


def bound_fields(form: forms.BaseForm) -> None:
    """Give every field of ``form`` its bounds and messages naming it."""
    for field in form.fields.values():
        if isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField | forms.DecimalField):
            if field.max_value is None or field.max_value > INT_MAX:
                _add_max(field, INT_MAX)
        elif isinstance(field, forms.DecimalField):
            if field.max_value is None:
                _add_max(field, MONEY_MAX)
            if field.max_digits is None:
                field.max_digits, field.decimal_places = 8, 2
                field.validators.append(DecimalValidator(8, 2))
            field.validators = [_DigitsInRange(v, field) if isinstance(v, DecimalValidator) else v
                                for v in field.validators]
            _decimal_comma(field)
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators.append(YearRangeValidator())
        elif isinstance(field, forms.URLField | forms.EmailField) and field.max_length is None:
            field.max_length = URL_MAX if isinstance(field, forms.URLField) else EMAIL_MAX  # the model's default
            field.validators.append(MaxLengthValidator(field.max_length))
            field.widget.attrs["maxlength"] = str(field.max_length)
        elif isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
            if field.max_length is None:
                field.max_length = TEXT_MAX
                field.validators.append(MaxLengthValidator(TEXT_MAX))
            field.widget.attrs.update({"maxlength": str(field.max_length), "data-counter": "1"})
        field.error_messages = {**field.error_messages, **_messages(field)}


class BoundedForm(forms.Form):
    """A form whose numbers, texts and dates are bounded (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_fields(self)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of rows by id where an id beyond the database is an invalid choice.

    Django's own field runs ``pk__in`` with the raw numbers, which SQLite refuses with an
    ``OverflowError`` beyond 64 bits. The Django admin uses this field for its many-to-many fields.
    """

    def _check_values(self, value: Any) -> Any:
        if not self.to_field_name and isinstance(value, list | tuple):
            for pk in value:
                if parse_id(pk) is None:
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                          params={"pk": str(pk)[:20]})
        return super()._check_values(value)
