"""``{% time_range start end "l j F Y, H:i" %}``: when something happens, true across midnight.

On one day: the start as the format writes it, then the end's time (« mardi 7 octobre 2025, 08:30 – 10:30 »).
Over several days the end gets its date too (« mardi 7 octobre 2025, 08:30 – lundi 27 octobre 2025, 08:30 »),
where a start and an end time alone would hide the days between.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()


@register.simple_tag
def time_range(start: datetime.datetime | None, end: datetime.datetime | None, start_format: str) -> str:
    if start is None:
        return ""
    start = timezone.localtime(start)
    shown = date_format(start, start_format)
    if end is None:
        return shown
    end = timezone.localtime(end)
    if end.date() == start.date():
        return f"{shown} – {date_format(end, 'H:i')}"
    return f"{shown} – {date_format(end, 'l j F Y, H:i')}"
