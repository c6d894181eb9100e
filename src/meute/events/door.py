"""Check-in at the door: a scanned QR code, a name found by search, a walk-in for a free seat.

A code is checked under the registration's row lock (two phones scanning the same badge check
the person in once); a walk-in takes the event's row lock, as a registration does, so the
capacity holds when two staff members seat the last walk-ins at once. Each action leaves an
audit entry; a refusal changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import User
from meute.core.audit import log_action
from meute.events import permissions
from meute.events.checkin import registration_id_from
from meute.events.exceptions import RegistrationError
from meute.events.models import Event, Registration, RegistrationStatus

MAX_CODE = 500


def code_from(scanned: str) -> str:
    """The signed code in what was scanned: the whole check-in URL, or the code alone."""
    text = scanned.strip()[:MAX_CODE]
    if "/checkin/" in text:
        text = text.split("/checkin/", 1)[1]
    return text.split("?", 1)[0].strip("/")


def _name(registration: Registration) -> str:
    return registration.user.get_full_name() or registration.user.email


def check_scan(event: Event, scanned: str, *, acting_user: Any) -> Registration:
    """Check in the person whose code was scanned, if the code is theirs for this event and unused."""
    if not permissions.can_manage_event(acting_user, event):
        raise RegistrationError(_("Only the network's staff may check participants in."))
    registration_id = registration_id_from(code_from(scanned))
    if registration_id is None:
        raise RegistrationError(_("This is not a check-in code of this site."), field="code")
    registration = Registration.objects.select_related("user", "event").filter(pk=registration_id).first()
    if registration is None:
        raise RegistrationError(_("This check-in code matches no registration."), field="code")
    if registration.event_id != event.pk:
        if not permissions.can_manage_event(acting_user, registration.event):  # not theirs to name
            raise RegistrationError(_("This code is for another event."), field="code")
        raise RegistrationError(_("This code is for another event: “%(t)s”.") % {"t": registration.event.title},
                                field="code")
    return do_check_in(registration, acting_user=acting_user)


def check_check_in(registration: Registration, *, acting_user: Any) -> Registration:
    """Check in a person found by name at the door (once)."""
    if not permissions.can_manage_event(acting_user, registration.event):
        raise RegistrationError(_("Only the network's staff may check participants in."))
    return do_check_in(registration, acting_user=acting_user)


@transaction.atomic
def do_check_in(registration: Registration, *, acting_user: Any) -> Registration:
    locked = Registration.objects.select_for_update(of=("self",)).select_related("user").get(pk=registration.pk)
    if locked.status != RegistrationStatus.CONFIRMED:
        raise RegistrationError(_("%(n)s's registration is not confirmed (%(s)s).")
                                % {"n": _name(locked), "s": locked.get_status_display()})
    if locked.checked_in_at is not None:
        raise RegistrationError(_("%(n)s was already checked in at %(h)s: this code has been used.")
                                % {"n": _name(locked), "h": timezone.localtime(locked.checked_in_at).strftime("%H:%M")})
    before = [locked.checked_in_at, locked.absent]
    locked.checked_in_at, locked.absent = timezone.now(), False
    locked.save(update_fields=["checked_in_at", "absent"])
    log_action("events.registration.presence", actor=acting_user, obj=locked, data={"present": True, "door": True},
               changes={"checked_in_at": [before[0], locked.checked_in_at], "absent": [before[1], False]})
    return locked


def check_walk_in(event: Event, user: User, *, acting_user: Any) -> Registration:
    """Register and check in someone who came without a seat, if a seat is free."""
    if not permissions.can_manage_event(acting_user, event):
        raise RegistrationError(_("Only the network's staff may check participants in."))
    if event.cancelled:
        raise RegistrationError(_("This event is cancelled."))
    if event.ends_at <= timezone.now():
        raise RegistrationError(_("This event is over."))
    if not permissions.can_register(user, event):
        raise RegistrationError(_("%(n)s is not a member of the network: this event is reserved for its members.")
                                % {"n": user.get_full_name() or user.email})
    return do_walk_in(event, user, acting_user=acting_user)


@transaction.atomic
def do_walk_in(event: Event, user: User, *, acting_user: Any) -> Registration:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    existing = Registration.objects.filter(event=locked, user=user).first()
    if existing is not None and existing.status == RegistrationStatus.CONFIRMED:
        raise RegistrationError(_("%(n)s is already registered: check them in instead.")
                                % {"n": user.get_full_name() or user.email})
    confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if locked.capacity is not None and confirmed >= locked.capacity:
        raise RegistrationError(_("The event is full (%(c)s seats): there is no seat for a walk-in.")
                                % {"c": locked.capacity})
    locked.registration_seq += 1
    Event.objects.filter(pk=locked.pk).update(registration_seq=locked.registration_seq)
    registration = existing or Registration(event=locked, user=user)
    old = existing.status if existing else None
    registration.status, registration.seq = RegistrationStatus.CONFIRMED, locked.registration_seq
    registration.checked_in_at, registration.absent = timezone.now(), False
    registration.save()
    log_action("events.registration.walk_in", actor=acting_user, obj=registration,
               changes={"status": [old, registration.status], "checked_in_at": [None, registration.checked_in_at]})
    return registration


def search_door(event: Event, q: str, *, limit: int = 20) -> tuple[list[Registration], list[User]]:
    """Registrations matching ``q``, and members of the network who could walk in: each word of ``q`` is
    found in the first or last name, the e-mail, the company or its town ("Dupont Lyon")."""
    q = q.strip()[:100]
    if len(q) < 2:
        return [], []
    words = Q()
    for word in q.split()[:4]:
        words &= (Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
                  | Q(leader__company__name__icontains=word) | Q(leader__company__commune__name__icontains=word))
    registrations = list(event.registrations.exclude(status=RegistrationStatus.CANCELLED)
                         .filter(user__in=User.objects.filter(words)).select_related("user__leader__company")
                         .order_by("user__last_name")[:limit])
    return registrations, list(_walk_in_candidates(event, words)[:limit])


def _walk_in_candidates(event: Event, words: Q) -> QuerySet[User]:
    from meute.members.models import MembershipStatus

    taken = event.registrations.exclude(status=RegistrationStatus.CANCELLED).values("user_id")
    return (User.objects.filter(words, leader__memberships__network=event.network,
                                leader__memberships__status=MembershipStatus.ACTIVE)
            .exclude(pk__in=taken).select_related("leader__company").distinct().order_by("last_name"))


def door_counts(event: Event) -> dict[str, int | None]:
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    total = confirmed.count()
    return {"confirmed": total, "present": confirmed.filter(checked_in_at__isnull=False).count(),
            "seats_left": None if event.capacity is None else max(0, event.capacity - total)}
