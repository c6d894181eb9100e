"""Event catalogue, registration, staff lists and check-in."""

from __future__ import annotations

import calendar as pycalendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.accounts.models import User
from meute.core.bounds import YEAR_MAX, YEAR_MIN, parse_int
from meute.core.exceptions import MeuteError
from meute.core.submissions import Resubmitted
from meute.documents.queries import documents_of_event
from meute.events import permissions
from meute.events.checkin import registration_id_from
from meute.events.mail import check_send_mailing, recipients
from meute.events.models import Registration, RegistrationStatus
from meute.events.pdf import badges_pdf, confirmed_registrations, event_attendance_pdf, meeting_attendance_pdf
from meute.events.queries import (
    EventFilters,
    access_event,
    access_managed_event,
    list_events,
    list_month,
    list_registrations,
    list_wish_choices,
    my_registration,
    people_met,
    plan_in_use,
    waiting_position,
)
from meute.events.rotations import plan_changes
from meute.events.services import (
    check_cancel,
    check_create_event,
    check_follow_up,
    check_register,
    check_register_by_staff,
    check_set_presence,
    check_update_event,
)
from meute.members.queries import access_network, visible_contact
from meute.web.forms import add_domain_error
from meute.web.forms_events import (
    EventCreateForm,
    EventFilterForm,
    EventForm,
    FollowUpForm,
    MailingForm,
    RegistrationForm,
    StaffRegistrationForm,
)
from meute.web.once import already_sent
from meute.web.pagecache import kept_for_viewer
from meute.web.paging import capped_page
from meute.web.views.speedmeetings import pdf_response


def _event(request: HttpRequest, event_id: int, *, manage: bool = False):
    if manage:
        return access_managed_event(request.user, event_id)
    return access_event(request.user, event_id)


@kept_for_viewer
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = EventFilters(kind=data.get("kind", ""), when=data.get("when") or "upcoming", q=data.get("q", ""))
    page = capped_page(list_events(request.user, filters), 20, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/events/list.html", {"form": form, "page": page, "query": query.urlencode()})


def event_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = parse_int(request.GET.get("year", today.year), low=YEAR_MIN, high=YEAR_MAX)
    month = parse_int(request.GET.get("month", today.month), low=1, high=12)
    if year is None or month is None:  # a month out of the calendar's range shows this month
        year, month = today.year, today.month
    by_day: dict[int, list] = {}
    for event in list_month(request.user, year, month):
        by_day.setdefault(timezone.localtime(event.starts_at).day, []).append(event)
    weeks = [[(day, by_day.get(day, [])) for day in week] for week in pycalendar.Calendar().monthdayscalendar(
        year, month)]
    previous = datetime.date(year, month, 1) - datetime.timedelta(days=1)
    following = datetime.date(year, month, 28) + datetime.timedelta(days=7)
    return render(request, "web/events/calendar.html", {
        "weeks": weeks, "month": datetime.date(year, month, 1), "previous": previous, "following": following,
    })


def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    registration = my_registration(request.user, event)
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    form = None
    if request.user.is_authenticated and (registration is None or registration.status == "cancelled"):
        form = _registration_form(request, event)
    return render(request, "web/events/detail.html", {
        "event": event, "registration": registration, "confirmed": confirmed, "form": form,
        "seats_left": None if event.capacity is None else max(0, event.capacity - confirmed),
        "position": waiting_position(registration) if registration else None,
        "can_manage": permissions.can_manage_event(request.user, event),
        "is_past": event.ends_at < timezone.now(),
        "plan_stale": _plan_stale(request, event),
        "linked_documents": documents_of_event(request.user, event),
    })


def _plan_stale(request: HttpRequest, event) -> bool:
    if not (event.is_speed_meeting and permissions.can_manage_event(request.user, event)):
        return False
    return plan_changes(event, plan_in_use(event)).stale


def _registration_form(request: HttpRequest, event, data=None) -> RegistrationForm:
    return RegistrationForm(data, wish_choices=list_wish_choices(request.user, event), speed=event.is_speed_meeting)


@login_required
@require_POST
def event_register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    form = _registration_form(request, event, request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say what you offer and what you look for."))
        return redirect("web:event", event_id=event.pk)
    wishes = list(User.objects.filter(pk__in=form.cleaned_data.get("wishes") or []))
    try:
        registration = check_register(event, request.user, offers=form.cleaned_data.get("offers", ""),
                                      needs=form.cleaned_data.get("needs", ""), wishes=wishes)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("You are registered."))
        else:
            messages.info(request, _("The event is full: you are on the waiting list."))
    return redirect("web:event", event_id=event.pk)


@login_required
@require_POST
def event_cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    registration = my_registration(request.user, event)
    if registration is None:
        raise Http404
    try:
        check_cancel(registration, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("web:event", event_id=event.pk)


def _prefilled(request: HttpRequest) -> dict:
    """A new event's form filled from the link that opened it (the cockpit's "create a workshop")."""
    from meute.events.models import EventKind

    initial = {key: request.GET.get(key, "")[:200] for key in ("title", "themes") if request.GET.get(key)}
    if request.GET.get("kind") in EventKind.values:
        initial["kind"] = request.GET["kind"]
    return initial


@login_required
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug, manage=True)
    form = EventCreateForm(request.POST or None, initial=_prefilled(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = check_create_event(network, acting_user=request.user, **form.cleaned_data)
        except Resubmitted as repeat:
            already_sent(request, _("This form was already sent: the event was created once."))
            return redirect("web:event", event_id=repeat.obj.pk)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The event is published."))
            return redirect("web:event", event_id=event.pk)
    return render(request, "web/events/edit.html", {"form": form, "network": network})


@login_required
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id, manage=True)
    initial = {name: getattr(event, name) for name in EventForm.base_fields}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            check_update_event(event, acting_user=request.user, **form.cleaned_data)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("web:event", event_id=event.pk)
    return render(request, "web/events/edit.html", {"form": form, "network": event.network, "event": event})


@login_required
def event_registrations(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id, manage=True)
    registrations = list_registrations(request.user, event)
    form = StaffRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = check_register_by_staff(event, form.cleaned_data["email"], acting_user=request.user)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(n)s is registered.") % {
                "n": registration.user.get_full_name() or registration.user.email})
            return redirect("web:event_registrations", event_id=event.pk)
    return render(request, "web/events/registrations.html", {
        "event": event, "form": form,
        "confirmed": [r for r in registrations if r.status == RegistrationStatus.CONFIRMED],
        "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
    })


@login_required
@require_POST
def event_presence(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    event = _event(request, event_id, manage=True)
    registration = list_registrations(request.user, event).filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    try:
        check_set_presence(registration, present=request.POST.get("present") == "1", acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    return redirect("web:event_registrations", event_id=event.pk)


@login_required
def event_checkin(request: HttpRequest, event_id: int, code: str) -> HttpResponse:
    """The URL in a participant's QR code: staff who open it check the person in."""
    event = _event(request, event_id, manage=True)
    registration_id = registration_id_from(code)
    registration = Registration.objects.filter(pk=registration_id, event=event).select_related("user").first()
    if registration is None:
        messages.error(request, _("This check-in code is not valid for this event."))
        return redirect("web:event_registrations", event_id=event.pk)
    if request.method == "POST":
        try:
            check_set_presence(registration, present=True, acting_user=request.user)
        except MeuteError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s is checked in.") % {"name": registration.user})
        return redirect("web:event_registrations", event_id=event.pk)
    return render(request, "web/events/checkin.html", {"event": event, "registration": registration})


@login_required
def event_people_met(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    met = people_met(request.user, event)
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        other = next((u for u in met if form.is_valid() and u.pk == form.cleaned_data["other"]), None)
        if other is None:
            raise Http404
        try:
            check_follow_up(event, request.user, other, note=form.cleaned_data["note"],
                            done=form.cleaned_data["done"])
        except MeuteError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Follow-up saved."))
        return redirect("web:event_people_met", event_id=event.pk)
    follow_ups = {f.other_id: f for f in request.user.follow_ups.filter(event=event)}
    rows = []
    for person in met:
        leader = getattr(person, "leader", None)
        contact = visible_contact(request.user, leader) if leader is not None else {}
        rows.append({"person": person, "leader": leader, "contact": contact, "follow_up": follow_ups.get(person.pk)})
    return render(request, "web/events/people_met.html", {"event": event, "rows": rows})


@login_required
def badges(request: HttpRequest, event_id: int) -> HttpResponse:
    """Name badges of the confirmed participants, with their check-in QR codes (staff)."""
    event = _event(request, event_id, manage=True)
    registrations = confirmed_registrations(event)
    if not registrations:
        messages.error(request, _("Nobody is confirmed yet: there is no badge to print."))
        return redirect("web:event", event_id=event.pk)
    return pdf_response(badges_pdf(event, registrations), f"badges-{event.pk}.pdf")


@login_required
def attendance_sheet(request: HttpRequest, event_id: int) -> HttpResponse:
    """The sign-in sheet of any event (staff)."""
    event = _event(request, event_id, manage=True)
    return pdf_response(event_attendance_pdf(event), f"emargement-{event.pk}.pdf")


@login_required
def meeting_attendance_sheet(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The sign-in sheet of a peer-group meeting, for whoever leads its meetings."""
    from meute.peergroups.permissions import can_lead_meetings
    from meute.peergroups.queries import access_meeting
    meeting = access_meeting(request.user, meeting_id)
    if not can_lead_meetings(request.user, meeting.group):
        raise Http404
    return pdf_response(meeting_attendance_pdf(meeting), f"emargement-reunion-{meeting.pk}.pdf")


@login_required
def event_mailing(request: HttpRequest, event_id: int) -> HttpResponse:
    """Staff write to the event's participants; the messages go out in the background."""
    event = _event(request, event_id, manage=True)
    form = MailingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mailing = check_send_mailing(event, acting_user=request.user, **form.cleaned_data)
        except Resubmitted:
            already_sent(request, _("This form was already sent: the message went out once."))
            return redirect("web:event", event_id=event.pk)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The message is being sent to %(n)s people.") % {"n": mailing.recipients})
            return redirect("web:event", event_id=event.pk)
    counts = {key: len(recipients(event, [key])) for key in ("confirmed", "waiting", "present")}
    return render(request, "web/events/mailing.html", {"event": event, "form": form, "counts": counts})
