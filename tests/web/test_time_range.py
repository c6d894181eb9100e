"""When something happens, as the pages write it: the end's date is shown when it is another day."""

import datetime

from django.utils import timezone, translation

from meute.web.templatetags.time_tags import time_range


def at(day, hour):
    return timezone.make_aware(datetime.datetime(2025, 10, day, hour, 30))


def test_a_range_within_a_day_shows_the_end_time_only():
    """08:30 to 10:30 the same day reads « …, 08:30 – 10:30 »."""
    with translation.override("fr"):
        assert time_range(at(7, 8), at(7, 10), "l j F Y, H:i") == "mardi 7 octobre 2025, 08:30 – 10:30"


def test_a_range_over_several_days_shows_the_end_date():
    """From the 7th to the 27th the end's date is written: the twenty days are not hidden."""
    with translation.override("fr"):
        assert time_range(at(7, 8), at(27, 8), "H:i") == "08:30 – lundi 27 octobre 2025, 08:30"
