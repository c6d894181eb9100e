"""Declared conflicts: a member declares privately, the programme's staff confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.core.exceptions import MeuteError
from meute.members.models import Leader
from meute.members.queries import access_network
from meute.peergroups import permissions
from meute.peergroups.conflicts import check_confirm_conflict, check_declare_conflict
from meute.peergroups.queries import access_declared_conflict, list_declared_conflicts
from meute.web.conflicts.forms import ConflictForm


def _leader_by_email(email: str) -> Leader | None:
    return Leader.objects.filter(user__email__iexact=(email or "").strip()).first() if email else None


@login_required
def conflicts(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the form (and, for staff, every declaration); POST: a declaration."""
    network = access_network(request.user, slug)
    if not (network.runs_peer_groups and permissions.may_declare_conflicts(request.user, network)):
        raise Http404
    staff = permissions.runs_programme(request.user, network)
    form = ConflictForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        leader = _leader_by_email(data["about"]) if data.get("about") else getattr(request.user, "leader", None)
        other = _leader_by_email(data["email"])
        try:
            if leader is None:
                raise_unknown()
            check_declare_conflict(network, leader, other.pk if other else None, data["kind"],
                                   acting_user=request.user, note=data["note"])
        except MeuteError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Declared. Only the programme's staff see it; they confirm it before "
                                        "the next formation run."))
            return redirect("web:programme_conflicts", slug=slug)
    rows = list_declared_conflicts(request.user, network) if staff else []
    return render(request, "web/conflicts/conflicts.html", {"network": network, "form": form, "staff": staff,
                                                            "rows": rows})


def raise_unknown() -> None:
    from meute.peergroups.exceptions import PeerGroupError

    raise PeerGroupError(_("Unknown person: choose a leader from the list."), field="about")


@login_required
@require_POST
def confirm(request: HttpRequest, slug: str, conflict_id: int) -> HttpResponse:
    network = access_network(request.user, slug)
    found = access_declared_conflict(request.user, network, conflict_id)
    try:
        check_confirm_conflict(found, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Confirmed: the next formation runs keep them apart."))
    return redirect("web:programme_conflicts", slug=slug)
