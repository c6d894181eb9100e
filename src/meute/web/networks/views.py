"""Network pages: the public description, its edition and the member list for staff."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from meute.core.exceptions import MeuteError
from meute.members import permissions
from meute.members.backoffice import check_bulk_update_memberships, check_grant_role_by_email, check_revoke_role
from meute.members.exporting import membership_rows
from meute.members.models import InvitationStatus
from meute.members.queries import (
    access_network,
    access_role,
    list_network_invitations,
    list_network_members_filtered,
    list_network_roles,
    list_networks,
)
from meute.members.sending import send_invitations
from meute.members.services import check_update_network
from meute.referrals.queries import list_published_figures
from meute.web.exports import render_export
from meute.web.forms import add_domain_error, labelled_errors
from meute.web.networks.forms import BulkActionForm, MemberFilterForm, NetworkForm, RoleGrantForm
from meute.web.paging import CappedPaginator, capped_page


def _network(request: HttpRequest, slug: str, *, manage: bool = False):
    return access_network(request.user, slug, manage=manage)


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/networks/list.html", {"networks": list_networks(request.user)})


@login_required
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network(request, slug)
    return render(request, "web/networks/detail.html", {
        "network": network,
        "can_manage": permissions.can_manage_network(request.user, network),
        "active_count": network.memberships.filter(status="active").count(),
        "business_figures": list_published_figures(network),
    })


@login_required
def network_edit(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network(request, slug, manage=True)
    initial = {name: getattr(network, name) for name in NetworkForm.base_fields}
    form = NetworkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            check_update_network(network, acting_user=request.user, **form.cleaned_data)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The network is saved."))
            return redirect("web:network", slug=network.slug)
    return render(request, "web/networks/edit.html", {"form": form, "network": network})


def _member_query(request: HttpRequest, form: MemberFilterForm) -> str:
    data = form.cleaned_data if form.is_valid() else {}
    return urlencode({k: v for k, v in data.items() if v})


@login_required
def network_members(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network(request, slug, manage=True)
    form = MemberFilterForm(request.GET or None)
    memberships = list_network_members_filtered(request.user, network, form.filters())
    page = capped_page(memberships, 50, request.GET.get("page"))
    query = _member_query(request, form)
    return render(request, "web/networks/members.html", {
        "network": network, "page": page, "form": form, "query": query,
        "bulk_form": BulkActionForm(), "filtered": bool(query),
        "total": CappedPaginator(network.memberships.order_by("pk"), 50),
    })


@login_required
@require_POST
def network_members_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    """One action on the selected members, or on every member matching the list's filters."""
    network = _network(request, slug, manage=True)
    filters = MemberFilterForm(request.POST)
    form = BulkActionForm(request.POST)
    back = reverse("web:network_members", args=[network.slug]) + "?" + _member_query(request, filters)
    if not form.is_valid():
        for error in labelled_errors(form):
            messages.error(request, error)
        return redirect(back)
    memberships = list_network_members_filtered(request.user, network, filters.filters())
    if form.cleaned_data["scope"] == BulkActionForm.SELECTED:
        memberships = memberships.filter(pk__in=form.cleaned_data["selected"])
    kind, value = form.cleaned_data["action"].split(":", 1)
    if kind == "export":
        return render_export(membership_rows(memberships), value, f"membres-{network.slug}")
    if kind == "invite":
        _send_member_invitations(request, network, memberships)
        return redirect(back)
    ids = list(memberships.values_list("pk", flat=True))
    try:
        count = check_bulk_update_memberships(
            network, ids, acting_user=request.user,
            status=value if kind == "status" else None, fee_status=value if kind == "fee" else None,
        )
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ngettext(
            "%(n)s membership changed (of %(m)s).", "%(n)s memberships changed (of %(m)s).", count
        ) % {"n": count, "m": len(ids)})
    return redirect(back)


def _send_member_invitations(request: HttpRequest, network, memberships) -> None:
    """Send the pending invitation of each chosen member (those without one are counted apart)."""
    invitations = list_network_invitations(request.user, network).filter(
        status=InvitationStatus.PENDING, user_id__in=memberships.values("leader__user_id")
    )
    try:
        report = send_invitations(invitations, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
        return
    without = memberships.count() - report.sent - report.queued - report.skipped
    messages.success(request, _(
        "Invitations: %(sent)s sent, %(queued)s being sent in the background, %(skipped)s already answered; "
        "%(none)s of these members have no pending invitation."
    ) % {"sent": report.sent, "queued": report.queued, "skipped": report.skipped, "none": max(without, 0)})


@login_required
def network_members_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    network = _network(request, slug, manage=True)
    form = MemberFilterForm(request.GET or None)
    rows = membership_rows(list_network_members_filtered(request.user, network, form.filters()))
    return render_export(rows, fmt, f"membres-{network.slug}")


@login_required
def network_roles(request: HttpRequest, slug: str) -> HttpResponse:
    """The network's roles: staff, facilitators, sponsors; give one by e-mail, remove one."""
    network = _network(request, slug, manage=True)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = check_grant_role_by_email(network, form.cleaned_data["email"], form.cleaned_data["role"],
                                              acting_user=request.user)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(p)s is now %(r)s.") % {
                "p": grant.user.get_full_name() or grant.user.email, "r": grant.get_role_display()})
            return redirect("web:network_roles", slug=network.slug)
    return render(request, "web/networks/roles.html", {
        "network": network, "form": form, "roles": list_network_roles(request.user, network),
    })


@login_required
@require_POST
def network_role_remove(request: HttpRequest, slug: str, role_id: int) -> HttpResponse:
    network = _network(request, slug, manage=True)
    grant = access_role(request.user, network, role_id)
    try:
        check_revoke_role(grant, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The role is removed."))
    target = request.POST.get("next", "")
    # Only a path of this site: redirect() would read a bare word as a view name (a 500 when it is none).
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("web:network_roles", args=[network.slug])
    return HttpResponseRedirect(target)
