"""Pooled purchases: the list, a campaign's page with its live progress, commitments, closing,
and what a closed campaign produces (the supplier's order, delivery lists, each company's summary)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.core.exceptions import MeuteError
from meute.core.submissions import Resubmitted
from meute.members.models import Company
from meute.members.queries import access_network, list_managed_networks
from meute.purchases import documents
from meute.purchases.models import CampaignStatus, CollectionPoint
from meute.purchases.permissions import can_manage_campaign, member_point_ids, staff_point_ids
from meute.purchases.queries import (
    access_campaign,
    access_item,
    access_order_line,
    list_campaigns,
    list_commitments,
    list_order_lines,
    my_commitments,
    progress,
    supplier_sales,
)
from meute.purchases.services import (
    check_add_item,
    check_commit,
    check_create_campaign,
    check_update_point,
    do_set_line_status,
    is_open,
)
from meute.web.exports import render_export
from meute.web.forms import add_domain_error
from meute.web.once import already_sent
from meute.web.purchases.forms import CampaignForm, CommitForm, ItemForm, LineForm, PointForm
from meute.web.views.speedmeetings import pdf_response


@login_required
def purchases(request: HttpRequest) -> HttpResponse:
    campaigns = list(list_campaigns(request.user).order_by("-closes_at")[:200])
    return render(request, "web/purchases/list.html", {
        "campaigns": campaigns, "managed": list(list_managed_networks(request.user)), "now": timezone.now()})


@login_required
def purchase_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug, manage=True)
    managed = list(list_managed_networks(request.user))
    form = CampaignForm(request.POST or None, networks=managed, initial={"networks": [network.pk]})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        siret = "".join(ch for ch in data.pop("supplier_siret") if ch.isdigit())
        supplier = Company.objects.filter(siret=siret).first() if siret else None
        points = [{"network": n} for n in data.pop("networks")]
        try:
            if siret and supplier is None:
                raise MeuteError(_("No member company has this SIRET."), field="supplier_siret")
            campaign = check_create_campaign(network, acting_user=request.user, points=points, supplier=supplier,
                                             **data)
        except Resubmitted as repeat:
            already_sent(request, _("This form was already sent: the pooled purchase was created once."))
            return redirect("web:purchase_item_create", campaign_id=repeat.obj.pk)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The pooled purchase is created: add what is bought."))
            return redirect("web:purchase_item_create", campaign_id=campaign.pk)
    return render(request, "web/purchases/edit.html", {"form": form, "network": network})


def _page(request: HttpRequest, campaign, *, commit_errors=None) -> dict:
    user = request.user
    manage = can_manage_campaign(user, campaign)
    staff_of = staff_point_ids(user, campaign)
    points = list(campaign.points.select_related("network"))
    mine = my_commitments(user, campaign)
    my_points = [p for p in points if p.network_id in member_point_ids(user, campaign)]
    rows = []
    for item_progress in progress(campaign):
        item = item_progress.item
        commitment = mine.get(item.pk)
        form = (commit_errors or {}).get(item.pk) or CommitForm(
            points=my_points, prefix=f"item{item.pk}",
            initial={"quantity": commitment.quantity if commitment else None,
                     "tolerance": commitment.tolerance if commitment else 0,
                     "network": commitment.network_id if commitment else (my_points[0].network_id if my_points
                                                                           else None)})
        rows.append({"progress": item_progress, "commitment": commitment, "form": form})
    lines = list_order_lines(user, campaign)
    ordered = documents.supplier_order(campaign) if campaign.status == CampaignStatus.ORDERED else []
    return {
        "order": (list(ordered[0]), [list(r.values()) for r in ordered]) if ordered else None,
        "campaign": campaign, "manage": manage, "staff_of": staff_of, "points": points, "rows": rows,
        "open": is_open(campaign), "can_commit": bool(my_points), "due": campaign.closes_at <= timezone.now(),
        "lines": list(lines), "line_forms": staff_of, "commitments": list(list_commitments(user, campaign)),
        "savings": documents.savings(lines) if campaign.status == CampaignStatus.ORDERED else None,
        "supplier_sales": supplier_sales(campaign.supplier) if campaign.supplier_id and staff_of else None,
        "point_forms": [(p, PointForm(initial={k: getattr(p, k) for k in PointForm.base_fields}, prefix=f"p{p.pk}"))
                        for p in points if p.network_id in staff_of],
    }


@login_required
def purchase(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id)
    return render(request, "web/purchases/detail.html", _page(request, campaign))


@login_required
def purchase_progress(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The live progress bars (polled by htmx on the campaign's page)."""
    campaign = access_campaign(request.user, campaign_id)
    return render(request, "web/purchases/_progress.html", {"campaign": campaign, "rows": [
        {"progress": p} for p in progress(campaign)]})


@login_required
def item_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id)
    if not can_manage_campaign(request.user, campaign):
        raise Http404
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_add_item(campaign, acting_user=request.user, tiers=form.tiers(), **form.item_fields())
        except Resubmitted:  # the first item is on the campaign's page, where a first sending goes
            already_sent(request, _("This form was already sent: the item was added once."))
            return redirect("web:purchase", campaign_id=campaign.pk)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The item is added."))
            return redirect("web:purchase", campaign_id=campaign.pk)
    return render(request, "web/purchases/item.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def commit(request: HttpRequest, campaign_id: int, item_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id)
    item = access_item(request.user, campaign, item_id)
    points = [p for p in campaign.points.select_related("network")
              if p.network_id in member_point_ids(request.user, campaign)]
    form = CommitForm(request.POST, points=points, prefix=f"item{item.pk}")
    if form.is_valid():
        network = next((p.network for p in points if p.network_id == form.cleaned_data.get("network")), None)
        try:
            result = check_commit(item, request.user, quantity=form.cleaned_data["quantity"],
                                  tolerance=form.cleaned_data.get("tolerance") or 0, network=network)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your commitment is saved.") if result else _("Your commitment is withdrawn."))
            return redirect("web:purchase", campaign_id=campaign.pk)
    return render(request, "web/purchases/detail.html", _page(request, campaign, commit_errors={item.pk: form}),
                  status=400)


@login_required
@require_POST
def point_edit(request: HttpRequest, campaign_id: int, point_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id)
    point = CollectionPoint.objects.filter(campaign=campaign, pk=point_id).select_related("campaign").first()
    if point is None or point.network_id not in staff_point_ids(request.user, campaign):
        raise Http404
    form = PointForm(request.POST, prefix=f"p{point.pk}")
    if form.is_valid():
        try:
            check_update_point(point, acting_user=request.user, **form.cleaned_data)
        except MeuteError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The collection point is saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("web:purchase", campaign_id=campaign.pk)


@login_required
@require_POST
def close(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Staff ask for the deadline to be applied now that it has passed (the worker does it)."""
    from meute.purchases.tasks import close_campaign

    campaign = access_campaign(request.user, campaign_id)
    if not can_manage_campaign(request.user, campaign):
        raise Http404
    if campaign.status != CampaignStatus.OPEN or campaign.closes_at > timezone.now():
        messages.error(request, _("This pooled purchase is not due for closing."))
    else:
        close_campaign.enqueue(campaign.pk)
        messages.success(request, _("The closing is under way: refresh this page in a moment."))
    return redirect("web:purchase", campaign_id=campaign.pk)


@login_required
@require_POST
def line_edit(request: HttpRequest, campaign_id: int, line_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id)
    line = access_order_line(request.user, campaign, line_id)
    form = LineForm(request.POST, prefix=f"l{line.pk}")
    if form.is_valid():
        do_set_line_status(line, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Saved for %(company)s.") % {"company": line.company.name})
    return redirect("web:purchase", campaign_id=campaign.pk)


@login_required
def order_pdf(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_id)
    if not can_manage_campaign(request.user, campaign) or campaign.status != CampaignStatus.ORDERED:
        raise Http404
    return pdf_response(documents.supplier_order_pdf(campaign), f"commande-{campaign.pk}.pdf")


@login_required
def document(request: HttpRequest, campaign_id: int, document: str, fmt: str) -> HttpResponse:
    """``order`` (organisers), ``delivery`` and ``summary`` (the staff of each network, for its companies)."""
    campaign = access_campaign(request.user, campaign_id)
    if campaign.status != CampaignStatus.ORDERED or not staff_point_ids(request.user, campaign):
        raise Http404
    lines = list_order_lines(request.user, campaign)
    if document == "order" and can_manage_campaign(request.user, campaign):
        rows = documents.supplier_order(campaign)
    elif document == "delivery":
        rows = documents.delivery_list(lines)
    elif document == "summary":
        rows = documents.company_summary(lines)
    else:
        raise Http404
    return render_export(rows, fmt, f"achat-{campaign.pk}-{document}")
