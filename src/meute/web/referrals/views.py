"""Referrals: my referrals (received and given), giving one (from a suggestion, a profile or a
meeting, in a few taps on a phone), a referral's page and its steps, suggestions, one-to-ones,
and what the network brings (for me; for a network's and a group's staff)."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.core.bounds import parse_id
from meute.core.exceptions import MeuteError, NotFound
from meute.core.submissions import Resubmitted
from meute.members.queries import access_leader, access_network
from meute.referrals import figures, onetoones, services, suggestions
from meute.referrals.models import PublishedFigure, Status
from meute.referrals.permissions import can_see_network_figures, leader_of, side
from meute.referrals.queries import (
    access_one_to_one,
    access_referral,
    list_given,
    list_one_to_ones,
    list_received,
    list_receivers,
    shown_amount,
)
from meute.web.forms import add_domain_error, labelled_errors
from meute.web.once import already_sent
from meute.web.referrals import charts
from meute.web.referrals.forms import (
    NeedForm,
    OneToOneForm,
    PeriodForm,
    PublishForm,
    ReasonForm,
    ReferralForm,
    ShareForm,
    WonForm,
)

LIST_MAX = 200


def _member(request: HttpRequest):
    leader = leader_of(request.user)
    if leader is None:
        raise Http404
    return leader


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    _member(request)
    received = list(list_received(request.user)[:LIST_MAX])
    given = list(list_given(request.user)[:LIST_MAX])
    return render(request, "web/referrals/list.html", {
        "received": received, "given": [(r, shown_amount(request.user, r)) for r in given]})


def _receivers(request: HttpRequest, chosen: int | None, meeting) -> list:
    """The people offered as receivers: a meeting's group, else the members of my networks; plus the one chosen."""
    if meeting is not None:
        from meute.peergroups.models import GroupMemberStatus

        people = [m.leader for m in meeting.group.members.filter(status=GroupMemberStatus.ACTIVE)
                  .select_related("leader__user", "leader__company").order_by("leader__sort_name")
                  if m.leader.user_id != request.user.pk]
    else:
        people = list(list_receivers(request.user))
    if chosen is not None and chosen not in {p.pk for p in people}:
        with contextlib.suppress(NotFound):
            people.insert(0, access_leader(request.user, chosen))
    return people


@login_required
def referral_new(request: HttpRequest) -> HttpResponse:
    me = _member(request)
    source = request.POST if request.method == "POST" else request.GET
    meeting = None
    meeting_id = parse_id(source.get("meeting"))
    if meeting_id is not None:
        from meute.peergroups.queries import access_meeting

        meeting = access_meeting(request.user, meeting_id)
    event = None
    event_id = parse_id(source.get("event"))
    if event_id is not None:
        from meute.events.queries import access_event

        event = access_event(request.user, event_id)
    chosen = parse_id(source.get("receiver"))
    initial = {"receiver": chosen, "meeting": meeting.pk if meeting else None, "event": event.pk if event else None}
    prospect_id = parse_id(request.GET.get("for"))
    if prospect_id is not None:  # from a suggestion: the member whose need it is becomes the prospect
        try:
            prospect = access_leader(request.user, prospect_id)
        except NotFound:
            prospect = None
        if prospect is not None and prospect.pk != me.pk:
            initial.update(prospect_name=prospect.full_name,
                           prospect_company=prospect.company.name if prospect.company else "",
                           need=(prospect.company.needs if prospect.company else "")[:2000])
    if request.GET.get("need") and "need" not in initial:
        initial["need"] = request.GET["need"][:2000]
    form = ReferralForm(request.POST or None, receivers=_receivers(request, chosen, meeting), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.check_give_referral(
                request.user, receiver_id=data["receiver"], need=data["need"], prospect_name=data["prospect_name"],
                prospect_company=data["prospect_company"], prospect_email=data["prospect_email"],
                prospect_phone=data["prospect_phone"], prospect_agreed=data["prospect_agreed"],
                warmth=data["warmth"], meeting_id=meeting.pk if meeting else None,
                event_id=event.pk if event else None,
                submission=data.get("submission") or None)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Thank you: your referral is given, %(n)s is told.")
                             % {"n": referral.receiver.full_name})
            if meeting is not None:
                return redirect("web:meeting", meeting_id=meeting.pk)
            return redirect("web:referral", referral_id=referral.pk)
    return render(request, "web/referrals/new.html", {"form": form, "meeting": meeting, "event": event},
                  status=400 if form.errors else 200)


@login_required
def referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = access_referral(request.user, referral_id)
    part = side(request.user, referral)
    return render(request, "web/referrals/detail.html", {
        "referral": referral, "side": part, "amount": shown_amount(request.user, referral),
        "reason_form": ReasonForm(), "won_form": WonForm(), "share_form": ShareForm(
            initial={"share": referral.amount_shared}),
        "can_accept": part == "receiver" and referral.status == Status.GIVEN,
        "can_contact": part == "receiver" and referral.status in (Status.GIVEN, Status.ACCEPTED),
        "can_close": part == "receiver" and referral.is_open,
        "can_lose": part == "receiver" and referral.status in (Status.ACCEPTED, Status.CONTACTED),
    })


ACTIONS = {"accept", "decline", "contacted", "won", "lost", "share"}


@login_required
@require_POST
def referral_action(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = access_referral(request.user, referral_id)
    action = request.POST.get("action")
    if action not in ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect("web:referral", referral_id=referral.pk)
    form = {"decline": ReasonForm, "lost": ReasonForm, "won": WonForm, "share": ShareForm}.get(action)
    bound = form(request.POST) if form else None
    if bound is not None and not bound.is_valid():
        for message in labelled_errors(bound):
            messages.error(request, message)
        return redirect("web:referral", referral_id=referral.pk)
    data = bound.cleaned_data if bound is not None else {}
    user = request.user
    try:
        if action == "accept":
            services.check_accept(referral, acting_user=user)
        elif action == "decline":
            services.check_decline(referral, acting_user=user, reason=data["reason"])
        elif action == "contacted":
            services.check_mark_contacted(referral, acting_user=user)
        elif action == "won":
            services.check_mark_won(referral, acting_user=user, amount=data["amount"], business=data["business"],
                                    share=data["share"])
        elif action == "lost":
            services.check_mark_lost(referral, acting_user=user, reason=data["reason"])
        else:
            services.check_share_amount(referral, acting_user=user, share=data["share"])
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved: the giver is told.") if action != "share" else _("Saved."))
    return redirect("web:referral", referral_id=referral.pk)


@login_required
def referral_suggestions(request: HttpRequest) -> HttpResponse:
    _member(request)
    form = NeedForm(request.GET or None)
    need, prospect = "", None
    prospect_id = parse_id(request.GET.get("for"))
    if prospect_id is not None:
        try:
            prospect = access_leader(request.user, prospect_id)
        except NotFound:
            prospect = None
        need = prospect.company.needs if prospect is not None and prospect.company else ""
    elif form.is_valid():
        need = form.cleaned_data["need"]
    return render(request, "web/referrals/suggestions.html", {
        "form": form, "need": need, "prospect": prospect,
        "serve": suggestions.who_could_serve(request.user, need, prospect=prospect) if need else [],
        "mine": suggestions.whose_need_i_serve(request.user),
        "needs": suggestions.needs_in_my_networks(request.user),
    })


# ----------------------------------------------------------------------------- one-to-ones

@login_required
def one_to_ones(request: HttpRequest) -> HttpResponse:
    _member(request)
    chosen = parse_id((request.POST if request.method == "POST" else request.GET).get("other"))
    people = _receivers(request, chosen, None)
    form = OneToOneForm(request.POST or None, people=people, initial={"other": chosen})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            onetoones.check_schedule(request.user, other_id=data["other"], starts_at=data["starts_at"],
                                     place=data["place"], visio=data["visio"], submission=data.get("submission"))
        except Resubmitted:
            already_sent(request, _("This form was already sent: the one-to-one was scheduled once."))
            return redirect("web:one_to_ones")
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The one-to-one is scheduled; the other member is told."))
            return redirect("web:one_to_ones")
    me = leader_of(request.user)
    rows = [(o, o.other if o.requester_id == me.pk else o.requester,
             o.requester_confirmed if o.requester_id == me.pk else o.other_confirmed)
            for o in list_one_to_ones(request.user)[:LIST_MAX]]
    return render(request, "web/referrals/one_to_ones.html", {"form": form, "rows": rows, "now": timezone.now()},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def one_to_one_action(request: HttpRequest, one_to_one_id: int) -> HttpResponse:
    one = access_one_to_one(request.user, one_to_one_id)
    action = request.POST.get("action")
    try:
        if action == "held":
            onetoones.check_confirm_held(one, acting_user=request.user)
            messages.success(request, _("Thank you: it counts once you have both confirmed."))
        elif action == "cancel":
            onetoones.check_cancel(one, acting_user=request.user)
            messages.success(request, _("The one-to-one is cancelled; the other member is told."))
        else:
            messages.error(request, _("Unknown action."))
    except MeuteError as exc:
        messages.error(request, exc.message)
    return redirect("web:one_to_ones")


# ----------------------------------------------------------------------------- what the network brings

def _period(request: HttpRequest) -> tuple[PeriodForm, figures.Period]:
    form = PeriodForm(request.GET or None)
    period = figures.Period.last_year()
    if form.is_bound and form.is_valid():
        start = form.cleaned_data.get("start") or period.start
        end = form.cleaned_data.get("end") or period.end
        if start <= end and (end - start).days <= 3660:
            period = figures.Period(start, end)
        else:
            messages.error(request, _("The period must start before it ends and last at most ten years."))
    if not form.is_bound:
        form = PeriodForm(initial={"start": period.start, "end": period.end})
    return form, period


@login_required
def my_figures(request: HttpRequest) -> HttpResponse:
    me = _member(request)
    form, period = _period(request)
    totals = figures.member_totals(me.pk, period)
    rows = figures.member_monthly(me.pk, period)
    return render(request, "web/referrals/figures.html", {
        "form": form, "period": period, "totals": totals, "given_won": figures.given_won(me.pk, period),
        "charts": charts.monthly_charts(rows, mine=True), "mine": True,
        "title": _("What my networks bring me")})


@login_required
def network_figures(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug)
    if not can_see_network_figures(request.user, network):
        raise Http404
    publish = PublishForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and publish.is_valid():
        try:
            services.check_publish_figure(network, acting_user=request.user, **publish.cleaned_data)
        except MeuteError as exc:
            add_domain_error(publish, exc)
        else:
            messages.success(request, _("The figure is published."))
            return redirect("web:network_referral_figures", slug=network.slug)
    form, period = _period(request)
    return render(request, "web/referrals/figures.html", {
        "form": form, "period": period, "network": network, "publish": publish,
        "totals": figures.network_totals(network.pk, period),
        "charts": charts.monthly_charts(figures.network_monthly(network.pk, period)),
        "top": charts.top_rows(figures.top_members(network.pk, period)),
        "published": PublishedFigure.objects.filter(network=network),
        "title": _("What %(n)s brings its members") % {"n": network.name}},
        status=400 if publish.errors else 200)


@login_required
def group_figures(request: HttpRequest, group_id: int) -> HttpResponse:
    from meute.peergroups.queries import access_group

    group = access_group(request.user, group_id)
    if not can_see_network_figures(request.user, group.network):
        raise Http404
    form, period = _period(request)
    ids = list(group.members.values_list("leader_id", flat=True))
    return render(request, "web/referrals/figures.html", {
        "form": form, "period": period, "group": group,
        "totals": figures.network_totals(group.network_id, period, ids),
        "charts": charts.monthly_charts(figures.network_monthly(group.network_id, period, ids)),
        "top": charts.top_rows(figures.top_members(group.network_id, period, ids)),
        "title": _("What the group %(g)s brings its members") % {"g": group.name}})
