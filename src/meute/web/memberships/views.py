"""A network's member, seen by its staff: the person, their company, the membership and roles.

One page, several small forms; each POST names its form (``form=person`` …) and calls one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meute.core.exceptions import MeuteError
from meute.members import permissions
from meute.members.backoffice import (
    check_end_membership,
    check_update_company,
    check_update_membership,
    check_update_person,
)
from meute.members.queries import access_membership, access_network, list_network_roles
from meute.members.services import check_grant_role
from meute.web.forms import add_domain_error
from meute.web.memberships.forms import EndMembershipForm, MemberRoleForm, MembershipForm
from meute.web.profiles.forms import CompanyForm, PersonForm

FORMS = {
    "person": PersonForm, "company": CompanyForm, "membership": MembershipForm,
    "end": EndMembershipForm, "role": MemberRoleForm,
}


def _initial(membership) -> dict[str, dict]:
    leader = membership.leader
    return {
        "person": {"first_name": leader.user.first_name, "last_name": leader.user.last_name,
                   "function": leader.function, "phone": leader.phone},
        "company": CompanyForm.initial_for(leader.company),
        "membership": {name: getattr(membership, name) for name in MembershipForm.base_fields},
        "end": {}, "role": {},
    }


def _apply(name: str, form, membership, user) -> str:
    """Call the service of form ``name``; returns the success message."""
    leader, data = membership.leader, form.cleaned_data
    if name == "person":
        check_update_person(leader, acting_user=user, **data)
        return _("The profile is saved.")
    if name == "company":
        check_update_company(leader, acting_user=user, **form.changes())
        return _("The company is saved.")
    if name == "membership":
        check_update_membership(membership, acting_user=user, **data)
        return _("The membership is saved.")
    if name == "end":
        check_end_membership(membership, acting_user=user, left_on=data.get("left_on"))
        return _("The membership is ended.")
    grant = check_grant_role(membership.network, leader.user, data["role"], acting_user=user)
    return _("%(p)s is now %(r)s.") % {"p": leader.full_name, "r": grant.get_role_display()}


@login_required
def member_detail(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    network = access_network(request.user, slug, manage=True)
    membership = access_membership(request.user, network, membership_id)
    leader = membership.leader
    initial = _initial(membership)
    forms = {name: cls(initial=initial[name], prefix=name) for name, cls in FORMS.items()}
    posted = request.POST.get("form") if request.method == "POST" else None
    if posted in FORMS:
        form = forms[posted] = FORMS[posted](request.POST, initial=initial[posted], prefix=posted)
        if form.is_valid():
            try:
                message = _apply(posted, form, membership, request.user)
            except MeuteError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, message)
                return redirect("web:network_member", slug=network.slug, membership_id=membership.pk)
    return render(request, "web/memberships/detail.html", {
        "network": network, "membership": membership, "leader": leader, "forms": forms,
        "may_edit_person": permissions.may_edit_person(request.user, leader.user),
        "may_edit_company": permissions.may_edit_leader_company(request.user, leader),
        "roles": list_network_roles(request.user, network).filter(user=leader.user),
    })
