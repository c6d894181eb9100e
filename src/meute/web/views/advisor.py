"""Advisor pages: "which network for me?", the territory's directory of networks, people to meet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.advisor import permissions
from meute.advisor.cafe import do_set_cafe
from meute.advisor.exceptions import InvalidProfile
from meute.advisor.introductions import check_answer_introduction, check_request_introduction, list_suggestions
from meute.advisor.models import CafeSubscription
from meute.advisor.profile import parse_profile
from meute.advisor.queries import (
    TerritoryFilters,
    access_introduction,
    access_territory_network,
    advice_for,
    leader_answers,
    list_my_introductions,
    list_staff_introductions,
    list_territory_networks,
    network_profile,
)
from meute.advisor.services import check_save_advice, check_save_network_entry
from meute.core.exceptions import MeuteError
from meute.members.models import Leader
from meute.members.permissions import manages_any_network
from meute.territory.models import Department
from meute.web.forms import add_domain_error
from meute.web.forms_advisor import (
    IntroductionRequestForm,
    QuestionnaireForm,
    SendAdviceForm,
    TerritoryFilterForm,
    TerritoryNetworkForm,
)


def _my_leader(request: HttpRequest) -> Leader | None:
    return Leader.objects.select_related("company").filter(user_id=request.user.pk).first()


@login_required
def questionnaire(request: HttpRequest) -> HttpResponse:
    """The questionnaire and, once answered, the ranked networks with their reasons and a strategy."""
    adviser = permissions.is_territory_staff(request.user)
    leader = _my_leader(request)
    initial = leader_answers(leader) if leader and not adviser else {}
    form = QuestionnaireForm(request.POST or None, initial=initial)
    send_form = SendAdviceForm(request.POST or None) if adviser else None
    result = None
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        if leader and not adviser:
            answers["current_networks"] = initial.get("current_networks", [])
        try:
            profile = parse_profile(answers)
        except InvalidProfile as exc:
            add_domain_error(form, exc)
        else:
            result = advice_for(profile)
            if adviser and "save" in request.POST and send_form.is_valid():
                email = send_form.cleaned_data["email"]
                try:
                    check_save_advice(profile, result, acting_user=request.user, email=email)
                except MeuteError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("The advice is saved and sent.") if email
                                     else _("The advice is saved."))
    return render(request, "web/advisor/questionnaire.html", {
        "form": form, "send_form": send_form, "result": result, "adviser": adviser,
    })


@login_required
def territory_networks(request: HttpRequest) -> HttpResponse:
    """Every network of the territory, filtered, grouped by département."""
    form = TerritoryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    networks = list(list_territory_networks(request.user, TerritoryFilters(
        q=data.get("q", ""), family=data.get("family", ""), department=data.get("department", ""),
        goal=data.get("goal", ""), free_only=bool(data.get("free_only")))))
    names = dict(Department.objects.values_list("code", "name"))
    groups: dict[str, list] = {}
    for network in networks:
        codes = sorted(d.code for d in network.departments.all()) or [""]
        for code in codes:
            if not data.get("department") or code == data["department"]:
                groups.setdefault(code, []).append(network)
    by_department = [(code, names.get(code, _("Without département")), groups[code]) for code in sorted(groups)]
    return render(request, "web/advisor/territory_list.html", {
        "form": form, "count": len(networks), "by_department": by_department,
        "can_add": permissions.is_territory_staff(request.user),
    })


def _territory_network(request: HttpRequest, slug: str, *, manage: bool = False):
    return access_territory_network(request.user, slug, manage=manage)


@login_required
def territory_network(request: HttpRequest, slug: str) -> HttpResponse:
    network = _territory_network(request, slug)
    return render(request, "web/advisor/territory_detail.html", {
        "network": network, "profile": network_profile(network),
        "departments": network.departments.all(),
        "size": network.memberships.filter(status="active").count() if network.managed else None,
        "can_edit": permissions.can_manage_territory_network(request.user, network),
    })


def _entry_initial(network) -> dict:
    profile = network_profile(network)
    initial = {name: getattr(network, name) for name in TerritoryNetworkForm.base_fields if hasattr(network, name)}
    initial.update(
        departments=list(network.departments.values_list("code", flat=True)),
        home_commune=network.home_commune_id or "", audience_tags=profile.audience_tags.split(),
        goals_served=profile.goals_served.split(), max_age=profile.max_age, naf_prefixes=profile.naf_prefixes,
        max_headcount=profile.max_headcount, declared_size=profile.declared_size, places=profile.places,
    )
    return initial


@login_required
def territory_network_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Territory staff add a network not run in meute, or update an entry."""
    network = _territory_network(request, slug, manage=True) if slug else None
    if network is None and not permissions.is_territory_staff(request.user):
        raise Http404
    form = TerritoryNetworkForm(request.POST or None, initial=_entry_initial(network) if network else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = check_save_network_entry(network, acting_user=request.user, **form.changes())
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The network is saved."))
            return redirect("web:territory_network", slug=saved.slug)
    return render(request, "web/advisor/territory_form.html", {"form": form, "network": network})


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    """People you should meet, your introductions, and the monthly café."""
    leader = _my_leader(request)
    suggestions = list_suggestions(request.user) if leader else []
    cafe = CafeSubscription.objects.filter(leader=leader, active=True).exists() if leader else False
    return render(request, "web/introductions/index.html", {
        "leader": leader, "suggestions": suggestions, "introductions": list_my_introductions(request.user),
        "cafe": cafe, "form": IntroductionRequestForm(), "is_staff": manages_any_network(request.user),
    })


@login_required
@require_POST
def introduction_request(request: HttpRequest, leader_id: int) -> HttpResponse:
    form = IntroductionRequestForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        check_request_introduction(leader_id, message=message, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request is sent; you will hear when they answer."))
    if request.POST.get("from") == "profile":  # asked from the person's profile: back to it
        return redirect("web:profile", leader_id=leader_id)
    return redirect("web:meetings")


@login_required
@require_POST
def introduction_answer(request: HttpRequest, introduction_id: int) -> HttpResponse:
    introduction = access_introduction(request.user, introduction_id)
    accept = request.POST.get("answer") == "accept"
    try:
        check_answer_introduction(introduction, accept=accept, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Introduction accepted: you will receive each other's contact.") if accept
                         else _("Introduction declined."))
    return redirect("web:meetings")


@login_required
def introductions_staff(request: HttpRequest) -> HttpResponse:
    """The introductions involving the members of the networks one runs."""
    if not manages_any_network(request.user):
        raise Http404
    return render(request, "web/introductions/staff.html", {
        "introductions": list_staff_introductions(request.user)[:500]})


@login_required
@require_POST
def cafe_toggle(request: HttpRequest) -> HttpResponse:
    leader = _my_leader(request)
    if leader is None:
        raise Http404
    active = request.POST.get("active") == "1"
    do_set_cafe(leader, active=active, acting_user=request.user)
    messages.success(request, _("You take part in the monthly café.") if active
                     else _("You no longer take part in the monthly café."))
    return redirect("web:meetings")
