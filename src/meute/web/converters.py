"""Path converters of the URL confs: an id beyond what the database can hold is a 404, never a query.

Every ``<id:...>`` in the URL confs goes through :class:`IdConverter`. Primary keys are
``BigAutoField`` (64-bit on SQLite and PostgreSQL), so a larger number cannot name a row:
the resolver answers 404 before any view or query runs.
"""

from __future__ import annotations

from django.urls import register_converter

from meute.core.bounds import ID_MAX


class IdConverter:
    regex = "[0-9]{1,20}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= ID_MAX:
            raise ValueError(value)  # the resolver tries the next pattern, then answers 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(IdConverter, "id")
