"""A person's data: the readable page, the JSON download, the erasure request; staff confirm erasures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meute.core.exceptions import MeuteError
from meute.core.permissions import not_found
from meute.members import permissions
from meute.members.models import ErasureRequest, ErasureStatus, Leader, NetworkRole
from meute.members.privacy import (
    check_confirm_erasure,
    check_request_erasure,
    list_pending_erasures,
    personal_data,
    personal_data_json,
)
from meute.members.queries import list_my_memberships, visible_contact


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    pending = ErasureRequest.objects.filter(user=request.user, status=ErasureStatus.PENDING).first()
    return render(request, "web/privacy/my_data.html", {
        "data": personal_data(request.user), "pending": pending,
        "leader": Leader.objects.filter(user=request.user).first(),
        "memberships": list_my_memberships(request.user),
        "roles": NetworkRole.objects.filter(user=request.user).select_related("network").order_by("network__name"),
        "manages": permissions.manages_any_network(request.user),
    })


@login_required
def my_data_json(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(personal_data_json(request.user), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meute-mes-donnees.json"'
    return response


@login_required
@require_POST
def request_erasure(request: HttpRequest) -> HttpResponse:
    try:
        check_request_erasure(request.user, reason=request.POST.get("reason", "").strip(), acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request is recorded. The staff of your networks will confirm it; "
                                    "your data is then erased and you can no longer log in."))
    return redirect("web:my_data")


@login_required
@require_http_methods(["GET", "POST"])
def erasure_requests(request: HttpRequest) -> HttpResponse:
    """Staff: the pending erasure requests of their networks' people; confirming anonymises."""
    if not permissions.manages_any_network(request.user):
        raise not_found()
    pending = list_pending_erasures(request.user)
    if request.method == "POST":
        chosen = pending.filter(pk=request.POST.get("request") or 0).first()
        if chosen is None:
            raise not_found()
        try:
            check_confirm_erasure(chosen, acting_user=request.user)
        except MeuteError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The person's data is erased."))
        return redirect("web:erasure_requests")
    rows = []
    for item in pending:
        leader = getattr(item.user, "leader", None)
        rows.append((item, leader, visible_contact(request.user, leader) if leader else {}))
    return render(request, "web/privacy/requests.html", {"rows": rows})
