"""The bounds of every value a person or a file can set, the same on SQLite and PostgreSQL.

PostgreSQL refuses an integer beyond its column (``DataError``) while SQLite stores up to
64 bits, and neither bounds a ``TextField``. So the models carry explicit validators
(built here), the forms take their limits from the same constants, and ids from requests go
through :func:`parse_id` before any query.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import Model

    from meute.core.exceptions import MeuteError

ID_MAX = 2**63 - 1  # BigAutoField: the largest primary key either database holds
INT_MAX = 2**31 - 1  # PositiveIntegerField on PostgreSQL
SMALL_MAX = 2**15 - 1  # PositiveSmallIntegerField on PostgreSQL
CAPACITY_MAX = 100_000  # seats of an event, members of a network
TABLE_MAX, ROUNDS_MAX = 20, 30  # speed meetings: people per table, rounds
HOURS_MAX = 200  # hours a month a network expects
SECONDS_MAX = 120  # computing time of a plan or a formation run
GROUPS_MAX = 200  # groups asked of one formation run
MONEY_MAX = Decimal("999999.99")  # DecimalField(max_digits=8, decimal_places=2)
YEAR_MIN, YEAR_MAX = 1900, 2100  # dates people set: events, meetings, cycles, fees, founding years
TEXT_MAX = 5000  # long free texts: descriptions, goals, what one offers or looks for
MINUTES_MAX = 20000  # the minutes of a meeting
MESSAGE_MAX = 2000  # a message to another person, a reason


def int_range(low: int, high: int) -> list:
    """Validators of an integer model field: ``low <= value <= high``."""
    return [MinValueValidator(low), MaxValueValidator(high)]


def money() -> list:
    """Validators of an amount in euros."""
    return [MinValueValidator(Decimal(0)), MaxValueValidator(MONEY_MAX)]


def text(limit: int = TEXT_MAX) -> list:
    """Validators of a free text (a ``TextField`` has no bound of its own)."""
    return [MaxLengthValidator(limit)]


@deconstructible
class YearRangeValidator:
    """A date (or date and time) whose year lies in ``[YEAR_MIN, YEAR_MAX]``."""

    code = "year_range"

    def __call__(self, value: datetime.date | None) -> None:
        if value is not None and not YEAR_MIN <= value.year <= YEAR_MAX:
            raise ValidationError(_("The year must be between %(low)s and %(high)s."), code=self.code,
                                  params={"low": YEAR_MIN, "high": YEAR_MAX, "value": value})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, YearRangeValidator)


def dates() -> list:
    """Validators of a date people set."""
    return [YearRangeValidator()]


def parse_id(value: object) -> int | None:
    """An id read from a form or a query string, or None when it cannot name a row."""
    return parse_int(value, low=1, high=ID_MAX)


def parse_int(value: object, *, low: int, high: int) -> int | None:
    """A whole number in ``[low, high]`` read from a request, or None."""
    text_value = str(value).strip()
    if len(text_value) > 20:
        return None
    try:
        number = int(text_value)
    except ValueError:
        return None
    return number if low <= number <= high else None


def check_bounds(model: type[Model], values: Mapping[str, Any], error: type[MeuteError]) -> None:
    """Raise ``error`` on the first value out of its model field's bounds (validators only).

    Services call it in their ``check_*`` step, so a value that did not come through a form
    (a command, a file, a future API) is refused the same way on SQLite and PostgreSQL.
    """
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not getattr(field, "concrete", False) or getattr(field, "is_relation", False):
            continue
        try:
            field.run_validators(value)
        except ValidationError as exc:
            message = gettext("%(label)s: %(error)s") % {"label": capfirst(field.verbose_name),
                                                         "error": " ".join(exc.messages)}
            raise error(message, field=name) from None
