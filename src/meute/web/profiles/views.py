"""Profile pages: a leader's profile, and the edition of one's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meute.accounts.email_change import (
    check_confirm_email_change,
    check_request_email_change,
    pending_email_change,
)
from meute.advisor.queries import list_my_introductions
from meute.core.exceptions import MeuteError
from meute.events.queries import attendance_history
from meute.members.backoffice import check_update_company, check_update_person
from meute.members.models import Leader
from meute.members.queries import access_leader, visible_contact
from meute.members.services import check_update_profile
from meute.naf.reference import naf_codes
from meute.peergroups.meetings import attendance_rate
from meute.questions.queries import accepted_counts
from meute.web.forms import add_domain_error
from meute.web.forms_advisor import IntroductionRequestForm
from meute.web.profiles.forms import CompanyForm, EmailChangeForm, PersonForm, ProfileForm


@login_required
def profile(request: HttpRequest, leader_id: int) -> HttpResponse:
    leader = access_leader(request.user, leader_id)
    naf = naf_codes().get(leader.company.naf_code) if leader.company else None
    networks = leader.memberships.filter(status="active").select_related("network").order_by("network__name")
    events = attendance_history(request.user, leader.user)
    is_me = leader.user_id == request.user.pk
    asks = not is_me and Leader.objects.filter(user_id=request.user.pk).exists()
    return render(request, "web/profiles/detail.html", {
        "can_ask_introduction": asks,
        "introduction": list_my_introductions(request.user).filter(
            Q(requester=leader) | Q(target=leader)).first() if asks else None,
        "introduction_form": IntroductionRequestForm(auto_id="intro-%s") if asks else None,
        "attendance": events,
        "meetings": attendance_rate(leader) if events is not None else None,
        "leader": leader,
        "contact": visible_contact(request.user, leader),
        "naf": naf,
        "memberships": networks,
        "is_me": is_me,
        "accepted_answers": accepted_counts([leader.user_id]).get(leader.user_id, 0),
    })


def _initial(leader) -> dict:
    company = leader.company
    return {
        "expertise": leader.expertise,
        "tags": leader.tag_list, "listed": leader.listed,
        "email_visibility": leader.email_visibility, "phone_visibility": leader.phone_visibility,
        "website": company.website if company else "", "headcount": company.headcount if company else "",
        "founded_year": company.founded_year if company else None,
        "offers": company.offers if company else "", "needs": company.needs if company else "",
    }


def _person_initial(leader) -> dict:
    return {"first_name": leader.user.first_name, "last_name": leader.user.last_name,
            "function": leader.function, "phone": leader.phone}


def _my_leader(request: HttpRequest):
    leader = getattr(request.user, "leader", None)
    if leader is None:
        messages.info(request, _("Your account has no leader profile."))
    return leader


@login_required
def edit_my_profile(request: HttpRequest) -> HttpResponse:
    leader = _my_leader(request)
    if leader is None:
        return redirect("web:home")
    posted = request.POST.get("form", "profile") if request.method == "POST" else None
    person = PersonForm(request.POST if posted == "person" else None, initial=_person_initial(leader),
                        prefix="person")
    form = ProfileForm(request.POST if posted == "profile" else None, initial=_initial(leader))
    if posted == "person" and person.is_valid():
        try:
            check_update_person(leader, acting_user=request.user, **person.cleaned_data)
        except MeuteError as exc:
            add_domain_error(person, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("web:profile", leader_id=leader.pk)
    if posted == "profile" and form.is_valid():
        try:
            check_update_profile(leader, acting_user=request.user, **form.cleaned_data)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("web:profile", leader_id=leader.pk)
    return render(request, "web/profiles/edit.html", {"form": form, "person": person, "leader": leader})


@login_required
def edit_my_company(request: HttpRequest) -> HttpResponse:
    """A member changes their company's identity (SIRET-checked; a shared company by its people only)."""
    leader = _my_leader(request)
    if leader is None:
        return redirect("web:home")
    form = CompanyForm(request.POST or None, initial=CompanyForm.initial_for(leader.company))
    if request.method == "POST" and form.is_valid():
        try:
            check_update_company(leader, acting_user=request.user, **form.changes())
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The company is saved."))
            return redirect("web:profile", leader_id=leader.pk)
    return render(request, "web/profiles/company.html", {"form": form, "leader": leader})


@login_required
def change_my_email(request: HttpRequest) -> HttpResponse:
    """Ask for a new login e-mail: a link goes to the new address; nothing changes until it is opened."""
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_request_email_change(request.user, form.cleaned_data["email"], acting_user=request.user)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _(
                "If this address can be used, a confirmation link was sent to it. "
                "Your address changes when you open that link."
            ))
            return redirect("web:my_email")
    return render(request, "web/profiles/email.html", {"form": form})


def confirm_email_change(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail: shows what changes, and applies it on confirmation."""
    error, payload = None, None
    try:
        payload = pending_email_change(token)
    except MeuteError as exc:
        error = exc.message
    if request.method == "POST" and error is None:
        try:
            check_confirm_email_change(token)
        except MeuteError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your e-mail address is changed: log in with the new one from now on."))
            return redirect("web:home")
    return render(request, "web/profiles/email_confirm.html", {"error": error, "payload": payload},
                  status=400 if error else 200)
