"""The peer-group programme for its staff: candidates, formation runs and their review, fees, plenaries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.core import jobs
from meute.core.bounds import parse_id
from meute.core.exceptions import MeuteError
from meute.core.submissions import Resubmitted
from meute.members.models import Network
from meute.members.queries import access_network, list_networks
from meute.peergroups.formation import FormationParams, left_out_reason, pool_by_zone, review
from meute.peergroups.models import GroupMember, RunStatus
from meute.peergroups.queries import access_programme, access_run, fee_report, list_candidates
from meute.peergroups.services import (
    check_add_candidate,
    check_apply,
    check_cancel_run,
    check_create_plenary,
    check_move,
    check_publish,
    check_request_run,
    check_rerun,
    check_retry_run,
    check_set_fee,
    check_swap,
    check_toggle_lock,
)
from meute.territory.models import Commune
from meute.web.exports import render_export
from meute.web.forms import add_domain_error
from meute.web.forms_peergroups import AddCandidateForm, FormationForm, PlenaryForm, PublishForm, ZoneForm
from meute.web.once import already_sent


def _programme(request: HttpRequest, slug: str) -> Network:
    return access_programme(request.user, access_network(request.user, slug))



@login_required
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    network = _programme(request, slug)
    zone_form = ZoneForm(request.GET or None)
    around = None
    if zone_form.is_valid() and zone_form.cleaned_data.get("commune"):
        around = Commune.objects.filter(pk=zone_form.cleaned_data["commune"].strip()).first()
        if around is None:
            zone_form.add_error("commune", _("Unknown INSEE code."))
    radius = (zone_form.cleaned_data.get("radius") if zone_form.is_valid() else None) or 30
    return render(request, "web/peergroups/programme.html", {
        "network": network, "zones": pool_by_zone(network, around=around, radius_km=radius),
        "zone_form": zone_form, "candidates": list_candidates(request.user, network),
        "form": FormationForm(), "add_form": AddCandidateForm(),
        "runs": network.formation_runs.all()[:10], "groups": network.peer_groups.order_by("ended", "name"),
    })


@login_required
@require_POST
def add_candidate(request: HttpRequest, slug: str) -> HttpResponse:
    network = _programme(request, slug)
    form = AddCandidateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This e-mail address is not valid: check it."))
        return redirect("web:programme", slug=slug)
    try:
        membership = check_add_candidate(network, form.cleaned_data["email"], acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s is now a candidate.") % {"n": membership.leader.full_name})
    return redirect("web:programme", slug=slug)


@login_required
@require_POST
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """A leader applies to the programme from the network's page."""
    network = access_network(request.user, slug)
    leader = getattr(request.user, "leader", None)
    if leader is None:
        raise Http404
    try:
        check_apply(network, leader, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your application is registered: the staff will contact you."))
    return redirect("web:network", slug=slug)


@login_required
def venues(request: HttpRequest, slug: str) -> HttpResponse:
    """The places where the programme's groups can meet; staff add to the list."""
    from meute.peergroups.life import check_add_venue
    from meute.web.forms_peergroups import VenueForm

    network = _programme(request, slug)
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_add_venue(network, acting_user=request.user, name=data["name"], kind=data["kind"],
                            commune_code=data["commune"], address=data["address"])
        except MeuteError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Venue added: formation runs may choose it as a meeting place."))
            return redirect("web:programme_venues", slug=slug)
    return render(request, "web/peergroups/venues.html", {
        "network": network, "form": form, "venues": network.venues.select_related("commune")})


@login_required
def facilitators(request: HttpRequest, slug: str) -> HttpResponse:
    """What each facilitator offers the programme: capacity and monthly slots; staff set them."""
    from meute.peergroups.facilitators import check_set_facilitator_offer, list_facilitator_offers
    from meute.peergroups.formation import slot_label
    from meute.web.forms_peergroups import FacilitatorOfferForm

    network = _programme(request, slug)
    offers = list_facilitator_offers(request.user, network)
    form = FacilitatorOfferForm(request.POST or None, facilitators=[user for user, _offer in offers])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_set_facilitator_offer(network, data["facilitator"], capacity=data["capacity"],
                                        slots=data["slots"], acting_user=request.user)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Saved: the next formation runs follow this offer."))
            return redirect("web:programme_facilitators", slug=slug)
    rows = [(user, offer, [slot_label(s) for s in offer.slot_list] if offer else []) for user, offer in offers]
    return render(request, "web/peergroups/facilitators.html", {"network": network, "form": form, "rows": rows})


@login_required
@require_POST
def start_run(request: HttpRequest, slug: str) -> HttpResponse:
    network = _programme(request, slug)
    form = FormationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the formation settings."))
        return redirect("web:programme", slug=slug)
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    try:
        run = check_request_run(network, FormationParams(**data), acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
        return redirect("web:programme", slug=slug)
    return redirect("web:formation_run", run_id=run.pk)


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = jobs.reap(access_run(request.user, run_id))
    reviews, problems = [], []
    if run.status in (RunStatus.DONE, RunStatus.PUBLISHED) and run.proposal:
        reviews, problems = review(run.network, run.proposal, FormationParams.from_json(run.params), run.locks,
                                   published=run.status == RunStatus.PUBLISHED)
    everyone = [row["leader"] for g in reviews for row in g.members]
    warned = [g for g in reviews if g.warnings]
    left_out = _left_out(run)
    return render(request, "web/peergroups/run.html", {
        "run": run, "reviews": reviews, "problems": problems, "everyone": everyone, "warned": warned,
        "left_out": left_out, "params": FormationParams.from_json(run.params),
        "publish_form": PublishForm(), "group_numbers": range(1, len(reviews) + 1),
    })


def _left_out(run) -> list[dict]:
    """The candidates the hard distance left out of the run, with their names."""
    from meute.members.models import Leader

    rows = (run.proposal or {}).get("left_out") or []
    names = {x.pk: x for x in Leader.objects.filter(pk__in=[r["leader"] for r in rows]).select_related(
        "company__commune")}
    return [{**r, "person": names.get(r["leader"]), "why": left_out_reason(r)} for r in rows]


@login_required
def run_status(request: HttpRequest, run_id: int) -> JsonResponse:
    run = jobs.reap(access_run(request.user, run_id))
    return JsonResponse({"status": run.status, "active": run.is_active, "progress": run.progress,
                         "message": run.message})


@login_required
@require_POST
def run_cancel(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_run(request.user, run_id)
    try:
        check_cancel_run(run, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The run is cancelled."))
    return redirect("web:formation_run", run_id=run.pk)


@login_required
@require_POST
def run_retry(request: HttpRequest, run_id: int) -> HttpResponse:
    run = jobs.reap(access_run(request.user, run_id))
    try:
        check_retry_run(run, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The run is queued again, with the same seed and settings."))
    return redirect("web:formation_run", run_id=run.pk)


@login_required
@require_POST
def run_edit(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_run(request.user, run_id)
    action = request.POST.get("action")
    try:
        if action == "move":
            check_move(run, int(request.POST["leader"]), int(request.POST["group"]) - 1, acting_user=request.user)
        elif action == "swap":
            check_swap(run, int(request.POST["a"]), int(request.POST["b"]), acting_user=request.user)
        elif action == "lock":
            check_toggle_lock(run, int(request.POST["leader"]), acting_user=request.user)
        elif action == "rerun":
            new = check_rerun(run, acting_user=request.user)
            return redirect("web:formation_run", run_id=new.pk)
        else:
            raise Http404
    except (KeyError, ValueError):
        messages.error(request, _("Choose who to move and where."))
    except MeuteError as exc:
        messages.error(request, exc.message)
    return redirect("web:formation_run", run_id=run.pk)


@login_required
@require_POST
def run_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_run(request.user, run_id)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        groups = check_publish(run, acting_user=request.user, reason=form.cleaned_data.get("reason", ""))
    except MeuteError as exc:
        messages.error(request, exc.message)
        return redirect("web:formation_run", run_id=run.pk)
    messages.success(request, _("%(n)s groups published; their members are notified.") % {"n": len(groups)})
    return redirect("web:programme", slug=run.network.slug)


@login_required
def fees(request: HttpRequest, slug: str) -> HttpResponse:
    network = _programme(request, slug)
    if request.method == "POST":
        member_id = parse_id(request.POST.get("member"))
        member = GroupMember.objects.filter(pk=member_id, group__network=network).first() if member_id else None
        if member is None:
            raise Http404
        try:
            check_set_fee(member, request.POST.get("status", ""), acting_user=request.user)
        except MeuteError as exc:
            messages.error(request, exc.message)
        return redirect("web:programme_fees", slug=slug)
    members = (GroupMember.objects.filter(group__network=network, group__ended=False)
               .select_related("leader__user", "group").order_by("group__name", "leader__sort_name"))
    if request.GET.get("format") == "csv":
        rows = ({_("Group"): m.group.name, _("Member"): m.leader.full_name, _("E-mail"): m.leader.user.email,
                 _("Fee"): m.get_fee_status_display(), _("Paid on"): m.fee_paid_on or "",
                 _("Amount (€)"): network.fee_amount} for m in members)
        return render_export(rows, "csv", f"cotisations-{network.slug}")
    return render(request, "web/peergroups/fees.html", {
        "network": network, "lines": fee_report(request.user, network), "members": members,
    })


@login_required
def plenaries(request: HttpRequest, slug: str) -> HttpResponse:
    network = _programme(request, slug)
    groups = network.peer_groups.filter(ended=False)
    others = list_networks(request.user).exclude(pk=network.pk)
    form = PlenaryForm(request.POST or None, groups=groups, networks=others)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_create_plenary(
                network, acting_user=request.user, level=data["level"], title=data["title"],
                starts_at=data["starts_at"], ends_at=data["ends_at"], place=data["place"],
                groups=list(groups.filter(pk__in=data["groups"])),
                presented=list(others.filter(pk__in=data["presented"])), submission=data["submission"],
            )
        except Resubmitted:  # the first plenary is on this page's list, where a first sending goes
            already_sent(request, _("This form was already sent: the plenary was created once."))
            return redirect("web:programme_plenaries", slug=slug)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The plenary is scheduled."))
            return redirect("web:programme_plenaries", slug=slug)
    return render(request, "web/peergroups/plenaries.html", {
        "network": network, "form": form, "plenaries": network.plenaries.prefetch_related("groups",
                                                                                          "presented_networks"),
    })
