"""The charts of "what the network brings": the figures' months as SVG columns (``web/charts.py``),
each with its table beside it on the page."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meute.cockpit.figures import Figure
from meute.members.models import Leader
from meute.web.charts import Chart, draw

MONTHS_SHOWN = 24  # a longer period is summed in the totals; the charts show its last 24 months


def monthly_charts(rows: list, *, mine: bool = False) -> list[tuple[Figure, Chart]]:
    """Referrals given and business closed, per month (``rows`` from ``referrals.figures.monthly``)."""
    rows = rows[-MONTHS_SHOWN:]
    labels = [date_format(m, "M Y") for m, *_rest in rows]
    given = Figure("referrals-given", _("Referrals I gave, per month") if mine else _("Referrals given, per month"),
                   _("Month"), (_("given"), _("won")),
                   [(label, (g, w)) for label, (_m, g, w, _s) in zip(labels, rows, strict=True)], kind="columns")
    value = Figure("business-closed", _("Business I closed through referrals, per month") if mine
                   else _("Business closed between members, per month"), _("Month"), (_("thousand €"),),
                   [(label, (round(float(s) / 1000, 1),)) for label, (_m, _g, _w, s) in zip(labels, rows, strict=True)],
                   unit="k€", kind="columns")  # in thousands, so that twelve values fit over their columns at 390 px
    return [(f, draw(f)) for f in (given, value)]


def top_rows(rows: list[tuple[int, int, int]]) -> list[tuple[str, int, int]]:
    """``(name, given, won)`` of the members who gave the most (counts only)."""
    names = {pk: leader.full_name for pk, leader in Leader.objects.select_related("user").in_bulk(
        [r[0] for r in rows]).items()}
    return [(names.get(pk, "—"), given, won) for pk, given, won in rows]
