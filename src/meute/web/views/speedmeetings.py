"""Speed meetings on the day: planning, printable plan, room screen, personal schedule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.core import jobs
from meute.core.exceptions import MeuteError
from meute.events.checkin import checkin_code, qr_svg
from meute.events.mail import check_send_schedules
from meute.events.models import Event, RegistrationStatus
from meute.events.pdf import (
    confirmed_registrations,
    names,
    rounds_with_names,
    schedule_pdf,
    schedules_pdf,
    table_plan_pdf,
    table_sheets_pdf,
)
from meute.events.queries import access_event, access_managed_event, access_plan, latest_plan_request, schedule_for
from meute.events.rotations import (
    check_cancel_plan,
    check_request_plan,
    check_retry_plan,
    plan_changes,
    present_registrations,
)
from meute.events.services import check_next_round
from meute.web.forms import labelled_errors
from meute.web.forms_events import PlanForm, ReplanForm
from meute.web.pwa.views import offline_readable


def _event(request: HttpRequest, event_id: int, *, manage: bool = False) -> Event:
    event = (access_managed_event if manage else access_event)(request.user, event_id)
    if not event.is_speed_meeting:
        raise Http404
    return event


@login_required
def plan(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id, manage=True)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_request_plan(event, acting_user=request.user, seconds=form.cleaned_data["seconds"],
                               from_round=form.cleaned_data.get("from_round") or 0)
        except MeuteError as exc:
            messages.error(request, exc.message)
        else:
            messages.info(request, _("The plan is being computed."))
        return redirect("web:event_plan", event_id=event.pk)
    current = access_plan(request.user, event)
    latest = latest_plan_request(request.user, event)
    next_round = min(event.current_round + 1, event.rounds)
    return render(request, "web/events/plan.html", {
        "event": event, "form": form, "plan": current, "request": jobs.reap(latest) if latest else None,
        "present": len(present_registrations(event)),
        "rounds": rounds_with_names(current) if current else [],
        "changes": plan_changes(event, current),
        "replan_form": ReplanForm(initial={"from_round": next_round}, rounds=event.rounds),
    })


@login_required
@require_POST
def replan(request: HttpRequest, event_id: int) -> HttpResponse:
    """One click from the stale warning: keep the rounds before the one given, re-seat the rest."""
    event = _event(request, event_id, manage=True)
    form = ReplanForm(request.POST, rounds=event.rounds)
    if not form.is_valid():
        messages.error(request, " ".join(labelled_errors(form)))
        return redirect("web:event_plan", event_id=event.pk)
    keep = form.cleaned_data["from_round"] - 1
    try:
        check_request_plan(event, acting_user=request.user, seconds=form.cleaned_data["seconds"], from_round=keep)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("The plan is being updated: rounds 1 to %(k)s are kept.") % {"k": keep}
                      if keep else _("The plan is being computed."))
    return redirect("web:event_plan", event_id=event.pk)


@login_required
def plan_status(request: HttpRequest, event_id: int) -> JsonResponse:
    event = _event(request, event_id, manage=True)
    latest = latest_plan_request(request.user, event)
    if latest is None:
        return JsonResponse({"status": "none", "active": False})
    latest = jobs.reap(latest)
    return JsonResponse({"status": latest.status, "active": latest.is_active, "repeats": latest.repeats,
                         "message": latest.message})


def _requested_plan(request: HttpRequest, event_id: int, plan_id: int):
    event = _event(request, event_id, manage=True)
    found = event.plans.filter(pk=plan_id).first()
    if found is None:
        raise Http404
    return event, found


@login_required
@require_POST
def plan_cancel(request: HttpRequest, event_id: int, plan_id: int) -> HttpResponse:
    event, found = _requested_plan(request, event_id, plan_id)
    try:
        check_cancel_plan(found, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The plan's computation is cancelled."))
    return redirect("web:event_plan", event_id=event.pk)


@login_required
@require_POST
def plan_retry(request: HttpRequest, event_id: int, plan_id: int) -> HttpResponse:
    event, found = _requested_plan(request, event_id, plan_id)
    try:
        check_retry_plan(jobs.reap(found), acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The plan is queued again, with the same seed and settings."))
    return redirect("web:event_plan", event_id=event.pk)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _printable(request: HttpRequest, event_id: int, render_pdf, filename: str) -> HttpResponse:
    """A staff PDF built from the plan in use; without a plan, a message on the plan page."""
    event = _event(request, event_id, manage=True)
    current = access_plan(request.user, event)
    if current is None:
        messages.error(request, _("There is no plan yet: compute it first."))
        return redirect("web:event_plan", event_id=event.pk)
    return pdf_response(render_pdf(event, current), f"{filename}-{event.pk}.pdf")


@login_required
def plan_pdf(request: HttpRequest, event_id: int) -> HttpResponse:
    return _printable(request, event_id, table_plan_pdf, "plan-tables")


@login_required
def tables_pdf(request: HttpRequest, event_id: int) -> HttpResponse:
    return _printable(request, event_id, table_sheets_pdf, "fiches-tables")


@login_required
def schedules_all_pdf(request: HttpRequest, event_id: int) -> HttpResponse:
    return _printable(request, event_id, lambda event, current: schedules_pdf(
        event, current, confirmed_registrations(event)), "plannings")


@login_required
def room(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id, manage=True)
    current = access_plan(request.user, event)
    seating = []
    if current is not None and 0 < event.current_round <= len(current.rounds):
        people = names(current)
        for table_number, table in enumerate(current.rounds[event.current_round - 1], start=1):
            seating += [(people.get(x, {"name": str(x)})["name"], table_number) for x in table]
        seating.sort()
    ends_at = None
    if event.round_started_at:
        ends_at = event.round_started_at + timezone.timedelta(minutes=event.round_minutes)
    return render(request, "web/events/room.html", {
        "event": event, "plan": current, "seating": seating, "ends_at": ends_at,
        "last_round": len(current.rounds) if current else 0,
    })


@login_required
@require_POST
def room_next(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id, manage=True)
    current = access_plan(request.user, event)
    if current is None:
        messages.error(request, _("There is no plan yet: compute it first."))
        return redirect("web:event_plan", event_id=event.pk)
    seen = request.POST.get("round", "")
    try:
        check_next_round(event, rounds_planned=len(current.rounds), acting_user=request.user,
                         expected_round=int(seen) if seen.isdigit() and len(seen) < 6 else None)
    except MeuteError as exc:
        messages.error(request, exc.message)
    return redirect("web:event_room", event_id=event.pk)


def _my_plan(request: HttpRequest, event: Event):
    current = access_plan(request.user, event)
    registration = event.registrations.filter(user=request.user, status=RegistrationStatus.CONFIRMED).first()
    return current, registration


@login_required
@offline_readable
def my_schedule(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    current, registration = _my_plan(request, event)
    rows = []
    if current is not None:
        people = names(current)
        rows = [(n, t, [people.get(x, {"name": str(x)})["name"] for x in mates])
                for n, t, mates in schedule_for(current, request.user.pk)]
    qr = None
    if registration is not None:
        url = request.build_absolute_uri(reverse("web:event_checkin", args=[event.pk,
                                                                            checkin_code(registration.pk)]))
        qr = qr_svg(url)
    return render(request, "web/events/schedule.html", {"event": event, "plan": current, "rows": rows, "qr": qr,
                                                        "unseated": any(t is None for _n, t, _m in rows)})


@login_required
def my_schedule_pdf(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    current, registration = _my_plan(request, event)
    if current is None or registration is None:
        messages.error(request, _("There is no plan yet: compute it first."))
        return redirect("web:event", event_id=event.pk)
    url = request.build_absolute_uri(reverse("web:event_checkin", args=[event.pk, checkin_code(registration.pk)]))
    return pdf_response(schedule_pdf(event, current, request.user, qr_svg(url)), f"mon-planning-{event.pk}.pdf")


@login_required
@require_POST
def send_schedules(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id, manage=True)
    try:
        count = check_send_schedules(event, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Each of the %(n)s participants is being sent their schedule.") % {"n": count})
    return redirect("web:event_plan", event_id=event.pk)
