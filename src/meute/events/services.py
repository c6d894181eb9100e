"""Changes to events and registrations.

Registration takes the event's row lock (``select_for_update``; on SQLite the write
transaction itself serialises), so capacity is never exceeded and the waiting list keeps
the order in which registrations arrived. Cancelling a confirmed seat promotes the first
person waiting, who is told by e-mail after the commit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meute.core.audit import diff, log_action, snapshot
from meute.core.bounds import check_bounds
from meute.core.submissions import create_once
from meute.events import permissions
from meute.events.exceptions import EventError, RegistrationError
from meute.events.mail import send_later
from meute.events.models import Event, FollowUp, Registration, RegistrationStatus

EVENT_FIELDS = {
    "kind", "title", "description", "themes", "speakers", "starts_at", "ends_at", "place", "commune", "visio_url",
    "audience", "capacity", "price_member", "price_public", "table_size", "rounds", "round_minutes",
}


def _validate_event(fields: dict[str, Any], *, creating: bool) -> None:
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise EventError(_("Unknown field: %(f)s") % {"f": ", ".join(sorted(unknown))})
    check_bounds(Event, fields, EventError)
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if starts and ends and ends <= starts:
        raise EventError(_("The event must end after it starts."), field="ends_at")
    if creating and starts and starts < timezone.now():
        raise EventError(_("An event cannot be created in the past."), field="starts_at")
    if fields.get("table_size") is not None and fields["table_size"] < 2:
        raise EventError(_("A table seats at least two people."), field="table_size")
    rounds, minutes = fields.get("rounds"), fields.get("round_minutes")
    if fields.get("kind") == "speed_meeting" and starts and ends and rounds and minutes:
        available = (ends - starts).total_seconds() / 60
        if rounds * minutes > available:
            raise EventError(_("%(r)s rounds of %(m)s minutes take %(t)s minutes: more than the event's "
                               "%(d)s minutes. Shorten the rounds, drop some, or end the event later.")
                             % {"r": rounds, "m": minutes, "t": rounds * minutes, "d": int(available)},
                             field="rounds")


def check_create_event(network: Any, *, acting_user: Any, submission: str | None = None, **fields: Any) -> Event:
    from meute.members.permissions import can_manage_network

    if not can_manage_network(acting_user, network):
        raise EventError(_("Only the staff of %(n)s may create its events.") % {"n": network.name})
    _validate_event(fields, creating=True)
    return do_create_event(network, acting_user=acting_user, submission=submission, **fields)


def do_create_event(network: Any, *, acting_user: Any, submission: str | None = None, **fields: Any) -> Event:
    """Create the event; the same form sent again raises ``Resubmitted`` with the first one."""

    def create(key: str | None) -> Event:
        event = Event.objects.create(network=network, submission=key, **fields)
        log_action("events.event.created", actor=acting_user, obj=event, data={"kind": event.kind},
                   changes={name: [None, value] for name, value in fields.items()})
        return event

    return create_once(Event.objects.filter(network=network), submission, create)


def check_update_event(event: Event, *, acting_user: Any, **fields: Any) -> Event:
    if not permissions.can_manage_event(acting_user, event):
        raise EventError(_("Only the network's staff may change this event."))
    current = {name: getattr(event, name) for name in ("kind", "starts_at", "ends_at", "rounds", "round_minutes")}
    _validate_event({**current, **fields}, creating=False)
    capacity = fields.get("capacity")
    if capacity is not None and capacity < event.registrations.filter(status=RegistrationStatus.CONFIRMED).count():
        raise EventError(_("More people are already confirmed than this capacity."), field="capacity")
    return do_update_event(event, acting_user=acting_user, **fields)


@transaction.atomic
def do_update_event(event: Event, *, acting_user: Any, **fields: Any) -> Event:
    changed = {}
    for name, value in fields.items():
        if getattr(event, name) != value:
            changed[name] = [getattr(event, name), value]
            setattr(event, name, value)
    event.save()
    log_action("events.event.updated", actor=acting_user, obj=event, changes=changed)
    return event


def _check_open(event: Event) -> None:
    if event.cancelled:
        raise RegistrationError(_("This event is cancelled."))
    if event.starts_at <= timezone.now():
        raise RegistrationError(_("This event has already started: registrations are closed."))


def check_register(event: Event, user: Any, *, offers: str = "", needs: str = "", wishes: list | None = None
                   ) -> Registration:
    """Register ``user``: a seat if one is free, else a place on the waiting list."""
    if not permissions.can_register(user, event):
        raise RegistrationError(_("This event is reserved for the network's members."))
    check_bounds(Registration, {"offers": offers, "needs": needs}, RegistrationError)
    _check_open(event)
    return do_register(event, user, offers=offers, needs=needs, wishes=wishes or [])


def check_register_by_staff(event: Event, email: str, *, acting_user: Any) -> Registration:
    """The event's staff register someone by e-mail: only a person known to the networks they manage.

    An unknown e-mail and a person the actor does not manage get the same answer.
    """
    from meute.accounts.models import User
    from meute.members.permissions import may_name_person
    from meute.members.services import UNKNOWN_PERSON_MESSAGE

    if not permissions.can_manage_event(acting_user, event):
        raise RegistrationError(_("Only the network's staff may register someone else."))
    user = User.objects.filter(email__iexact=str(email or "").strip()).first()
    if user is None or not may_name_person(acting_user, user):
        raise RegistrationError(UNKNOWN_PERSON_MESSAGE, field="email")
    if not permissions.can_register(user, event):
        raise RegistrationError(_("This event is reserved for the network's members."))
    _check_open(event)
    return do_register(event, user, offers="", needs="", wishes=[], acting_user=acting_user)


@transaction.atomic
def do_register(event: Event, user: Any, *, offers: str, needs: str, wishes: list, acting_user: Any = None,
                notify: bool = True
                ) -> Registration:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    existing = Registration.objects.filter(event=locked, user=user).first()
    if existing and existing.status != RegistrationStatus.CANCELLED:
        raise RegistrationError(_("You are already registered for this event."))
    confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    full = locked.capacity is not None and confirmed >= locked.capacity
    locked.registration_seq += 1
    Event.objects.filter(pk=locked.pk).update(registration_seq=locked.registration_seq)
    registration = existing or Registration(event=locked, user=user)
    registration.status = RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED
    registration.seq = locked.registration_seq
    registration.offers, registration.needs = offers, needs
    registration.save()
    registration.wishes.set([w for w in wishes if w.pk != user.pk])
    log_action("events.registration.created", actor=acting_user or user, obj=registration,
               data={"status": registration.status, "user": user.pk},
               changes={"status": [existing.status if existing else None, registration.status]})
    if notify:
        send_later(registration.pk, "confirmed" if registration.status == RegistrationStatus.CONFIRMED else "waiting")
    return registration


def check_cancel(registration: Registration, *, acting_user: Any) -> Registration:
    if registration.user_id != acting_user.pk and not permissions.can_manage_event(acting_user, registration.event):
        raise RegistrationError(_("You may not cancel this registration."))
    if registration.status == RegistrationStatus.CANCELLED:
        raise RegistrationError(_("This registration is already cancelled."))
    if registration.event.starts_at <= timezone.now():
        raise RegistrationError(_("This event has already started."))
    return do_cancel(registration, acting_user=acting_user)


@transaction.atomic
def do_cancel(registration: Registration, *, acting_user: Any) -> Registration:
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration.refresh_from_db()
    previous_status = registration.status
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    log_action("events.registration.cancelled", actor=acting_user, obj=registration,
               changes={"status": [previous_status, registration.status]})
    if was_confirmed:
        _promote_waiting(event, acting_user=acting_user)
    return registration


def _promote_waiting(event: Event, *, acting_user: Any) -> Registration | None:
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if event.capacity is not None and confirmed >= event.capacity:
        return None
    first = event.registrations.filter(status=RegistrationStatus.WAITING).order_by("seq").first()
    if first is None:
        return None
    first.status = RegistrationStatus.CONFIRMED
    first.promoted_at = timezone.now()
    first.save(update_fields=["status", "promoted_at"])
    log_action("events.registration.promoted", actor=acting_user, obj=first,
               changes={"status": [RegistrationStatus.WAITING, first.status]})
    _notify_promoted(event, first, acting_user=acting_user)
    return first


def _notify_promoted(event: Event, registration: Registration, *, acting_user: Any) -> None:
    """The person promoted is told per their choice; their e-mail at once is the events e-mail (with the .ics)."""
    from meute.notifications.models import Kind
    from meute.notifications.services import Text, notify

    notify([registration.user_id], Kind.PROMOTED, obj=event, url=reverse("web:event", args=[event.pk]),
           title=Text(gettext_lazy("A seat is yours: %(t)s"), t=event.title),
           body=Text(gettext_lazy("A seat freed up for “%(t)s”: your registration is now confirmed."), t=event.title),
           actor=acting_user, send_email=lambda _user_id: send_later(registration.pk, "promoted"))


def check_set_presence(registration: Registration, *, present: bool, acting_user: Any) -> Registration:
    """Staff check a participant in at the door, or mark them absent (no-show)."""
    if not permissions.can_manage_event(acting_user, registration.event):
        raise RegistrationError(_("Only the network's staff may check participants in."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise RegistrationError(_("Only confirmed participants can be checked in."))
    return do_set_presence(registration, present=present, acting_user=acting_user)


@transaction.atomic
def do_set_presence(registration: Registration, *, present: bool, acting_user: Any) -> Registration:
    before = snapshot(registration, ["checked_in_at", "absent"])
    registration.checked_in_at = timezone.now() if present else None
    registration.absent = not present
    registration.save(update_fields=["checked_in_at", "absent"])
    log_action("events.registration.presence", actor=acting_user, obj=registration, data={"present": present},
               changes=diff(before, snapshot(registration, ["checked_in_at", "absent"])))
    return registration


def check_follow_up(event: Event, user: Any, other: Any, *, note: str, done: bool) -> FollowUp:
    from meute.events.queries import people_met

    if other.pk not in {u.pk for u in people_met(user, event)}:
        raise RegistrationError(_("You can only follow up with people you met at this event."))
    return do_follow_up(event, user, other, note=note, done=done)


@transaction.atomic
def do_follow_up(event: Event, user: Any, other: Any, *, note: str, done: bool) -> FollowUp:
    follow_up, _created = FollowUp.objects.update_or_create(
        event=event, user=user, other=other, defaults={"note": note[:300], "done": done}
    )
    log_action("events.follow_up.saved", actor=user, obj=follow_up, data={"done": done})
    return follow_up


def check_next_round(event: Event, *, rounds_planned: int, acting_user: Any,
                     expected_round: int | None = None) -> Event:
    """The room screen moves to the next round (staff only; never past the last planned round).

    ``expected_round`` is the round the screen showed: under the event's row lock, a second
    click (or a second screen) that saw the same round is refused instead of skipping a round.
    """
    if not permissions.can_manage_event(acting_user, event):
        raise EventError(_("Only the network's staff may run the room screen."))
    if rounds_planned < 1:
        raise EventError(_("There is no plan yet: compute it first."))
    with transaction.atomic():
        current = Event.objects.select_for_update().values_list("current_round", flat=True).get(pk=event.pk)
        if expected_round is not None and current != expected_round:
            event.current_round = current
            raise EventError(_("The room screen has already moved to round %(n)s.") % {"n": current})
        event.current_round = min(current + 1, rounds_planned)
        event.round_started_at = timezone.now()
        event.save(update_fields=["current_round", "round_started_at"])
        log_action("events.room.round_started", actor=acting_user, obj=event,
                   data={"round": event.current_round, "from": current},
                   changes={"current_round": [current, event.current_round]})
    return event
