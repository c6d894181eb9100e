"""Network pages: the public description, its edition and the member list for staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meute.core.exceptions import MeuteError
from meute.members import permissions
from meute.members.exporting import membership_rows
from meute.members.queries import access_network, list_network_members, list_networks
from meute.members.services import check_update_network
from meute.web.exports import render_export
from meute.web.forms import add_domain_error
from meute.web.networks.forms import NetworkForm


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


@login_required
def network_members(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network(request, slug, manage=True)
    memberships = list_network_members(request.user, network)
    status = request.GET.get("status", "")
    if status:
        memberships = memberships.filter(status=status)
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    return render(request, "web/networks/members.html", {"network": network, "page": page, "status": status})


@login_required
def network_members_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    network = _network(request, slug, manage=True)
    rows = membership_rows(list_network_members(request.user, network))
    return render_export(rows, fmt, f"membres-{network.slug}")
