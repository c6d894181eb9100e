"""What a closed pooled purchase produces: the supplier's order, the delivery list of each network
and each company's summary (rows for CSV/XLSX through ``web.exports``, and the order as a PDF)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from meute.purchases.models import Campaign, OrderLine


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def supplier_order(campaign: Campaign) -> list[dict[str, Any]]:
    """One row per item: packs, units, unit price and amount (what the supplier delivers and bills)."""
    totals: dict[int, dict[str, Any]] = {}
    for line in OrderLine.objects.filter(campaign=campaign).select_related("item"):
        row = totals.setdefault(line.item_id, {"item": line.item, "units": 0, "amount": Decimal(0),
                                               "unit_price": line.unit_price})
        row["units"] += line.quantity
        row["amount"] += line.amount
    return [{
        _("Item"): row["item"].name, _("Unit"): row["item"].unit, _("Units per pack"): row["item"].pack_size,
        _("Packs"): row["units"] // row["item"].pack_size, _("Units"): row["units"],
        _("Unit price (€)"): _money(row["unit_price"]), _("Amount (€)"): _money(row["amount"]),
    } for row in sorted(totals.values(), key=lambda r: (r["item"].position, r["item"].pk))]


def delivery_list(lines: Any) -> list[dict[str, Any]]:
    """One row per company and item, by collection point: what to hand over to whom."""
    points = {}
    rows = []
    for line in lines.select_related("company", "network", "item", "campaign").order_by("network__name",
                                                                                  "company__name"):
        if line.network_id not in points:
            points[line.network_id] = line.campaign.points.filter(network_id=line.network_id).first()
        point = points[line.network_id]
        rows.append({_("Collection point"): line.network.name, _("Place"): point.place if point else "",
                     _("Company"): line.company.name, _("Item"): line.item.name, _("Units"): line.quantity,
                     _("Delivery"): line.get_delivery_display()})
    return rows


def company_summary(lines: Any) -> list[dict[str, Any]]:
    """One row per company and item: committed, completed from tolerance, cut, final, price, saving, statuses."""
    return [{
        _("Company"): line.company.name, _("Collection point"): line.network.name, _("Item"): line.item.name,
        _("Committed"): line.committed, _("From tolerance"): line.tolerance_used, _("Cut"): line.cut,
        _("Units"): line.quantity, _("Unit price (€)"): _money(line.unit_price), _("Amount (€)"): _money(line.amount),
        _("Saving (€)"): _money(line.saving), _("Delivery"): line.get_delivery_display(),
        _("Payment"): line.get_payment_display(),
    } for line in lines.select_related("company", "network", "item").order_by("company__name", "item__position")]


def savings(lines: Any) -> dict[str, Any]:
    """What a campaign brought: the saving in all, per network and per company, against the base price."""
    per_network: dict[str, Decimal] = defaultdict(Decimal)
    per_company: dict[str, Decimal] = defaultdict(Decimal)
    total = Decimal(0)
    for line in lines.select_related("company", "network"):
        per_network[line.network.name] += line.saving
        per_company[line.company.name] += line.saving
        total += line.saving
    return {"total": total, "networks": sorted(per_network.items()), "companies": sorted(per_company.items())}


def _printed(value: Any, *, money: bool = False) -> Any:
    """A number as the language prints it (« 1 747,20 » in French); text as it is. The spreadsheets
    keep the plain figures (« 1747.20 »), which a spreadsheet reads as numbers."""
    if money:
        return number_format(Decimal(value), decimal_pos=2, force_grouping=True)
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return value


def supplier_order_pdf(campaign: Campaign) -> bytes:
    from weasyprint import HTML

    rows = supplier_order(campaign)
    money = {_("Unit price (€)"), _("Amount (€)")}
    total = sum((Decimal(r[_("Amount (€)")]) for r in rows), Decimal(0))
    html = render_to_string("web/purchases/order_pdf.html", {
        "campaign": campaign, "header": list(rows[0]) if rows else [],
        "rows": [[_printed(value, money=key in money) for key, value in r.items()] for r in rows],
        "total": _printed(_money(total), money=True), "points": campaign.points.select_related("network")})
    return HTML(string=html).write_pdf()
