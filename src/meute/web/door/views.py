"""Check-in at the door, for staff on a phone: scan a QR code, find a name, seat a walk-in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.accounts.models import User
from meute.core.exceptions import MeuteError
from meute.events.door import check_check_in, check_scan, check_walk_in, door_counts, search_door
from meute.events.queries import access_managed_event, list_registrations, plan_in_use
from meute.events.rotations import plan_changes


def _back(event_id: int, q: str = "") -> HttpResponse:
    url = reverse("web:event_door", args=[event_id])
    return redirect(f"{url}?{urlencode({'q': q[:100]})}" if q else url)


@login_required
def door(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_managed_event(request.user, event_id)
    q = request.GET.get("q", "")[:100]
    registrations, candidates = search_door(event, q)
    stale = event.is_speed_meeting and plan_changes(event, plan_in_use(event)).stale
    return render(request, "web/door/door.html", {
        "event": event, "q": q, "registrations": registrations, "candidates": candidates,
        "counts": door_counts(event), "plan_stale": stale,
    })


@login_required
@require_POST
def door_scan(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_managed_event(request.user, event_id)
    try:
        registration = check_scan(event, request.POST.get("code", ""), acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": registration.user})
    return _back(event.pk)


@login_required
@require_POST
def door_present(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    event = access_managed_event(request.user, event_id)
    registration = list_registrations(request.user, event).filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    try:
        checked = check_check_in(registration, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": checked.user})
    return _back(event.pk, request.POST.get("q", ""))


@login_required
@require_POST
def door_walk_in(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_managed_event(request.user, event_id)
    user_id = request.POST.get("user", "")
    user = User.objects.filter(pk=int(user_id)).first() if user_id.isdigit() and len(user_id) < 12 else None
    if user is None:
        messages.error(request, _("Choose the person to seat from the search results."))
        return _back(event.pk, request.POST.get("q", ""))
    try:
        check_walk_in(event, user, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s is registered and checked in.") % {"name": user})
    return _back(event.pk)
