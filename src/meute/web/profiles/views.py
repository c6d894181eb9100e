"""Profile pages: a leader's profile, and the edition of one's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meute.core.exceptions import MeuteError
from meute.events.queries import attendance_history
from meute.members.queries import access_leader, visible_contact
from meute.members.services import check_update_profile
from meute.naf.reference import naf_codes
from meute.peergroups.meetings import attendance_rate
from meute.web.forms import add_domain_error
from meute.web.profiles.forms import ProfileForm


@login_required
def profile(request: HttpRequest, leader_id: int) -> HttpResponse:
    leader = access_leader(request.user, leader_id)
    naf = naf_codes().get(leader.company.naf_code) if leader.company else None
    networks = leader.memberships.filter(status="active").select_related("network").order_by("network__name")
    events = attendance_history(request.user, leader.user)
    return render(request, "web/profiles/detail.html", {
        "attendance": events,
        "meetings": attendance_rate(leader) if events is not None else None,
        "leader": leader,
        "contact": visible_contact(request.user, leader),
        "naf": naf,
        "memberships": networks,
        "is_me": leader.user_id == request.user.pk,
    })


def _initial(leader) -> dict:
    company = leader.company
    return {
        "function": leader.function, "phone": leader.phone, "expertise": leader.expertise,
        "tags": leader.tag_list, "listed": leader.listed,
        "email_visibility": leader.email_visibility, "phone_visibility": leader.phone_visibility,
        "website": company.website if company else "", "headcount": company.headcount if company else "",
        "founded_year": company.founded_year if company else None,
        "offers": company.offers if company else "", "needs": company.needs if company else "",
    }


@login_required
def edit_my_profile(request: HttpRequest) -> HttpResponse:
    leader = getattr(request.user, "leader", None)
    if leader is None:
        messages.info(request, _("Your account has no leader profile."))
        return redirect("web:home")
    form = ProfileForm(request.POST or None, initial=_initial(leader))
    if request.method == "POST" and form.is_valid():
        try:
            check_update_profile(leader, acting_user=request.user, **form.cleaned_data)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("web:profile", leader_id=leader.pk)
    return render(request, "web/profiles/edit.html", {"form": form, "leader": leader})
