"""Reminder e-mails before an event (run daily: ``meute send_event_reminders``)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from meute.core.audit import log_action
from meute.events.mail import send_later
from meute.events.models import Registration, RegistrationStatus, ReminderLog


def due_registrations(*, within: datetime.timedelta) -> list[Registration]:
    now = timezone.now()
    return list(
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED, event__cancelled=False,
            event__starts_at__gt=now, event__starts_at__lte=now + within, reminder__isnull=True,
        ).select_related("event", "user")
    )


def send_reminders(*, within: datetime.timedelta = datetime.timedelta(hours=48)) -> int:
    """E-mail each confirmed participant of an event starting within ``within``, once."""
    sent = 0
    for registration in due_registrations(within=within):
        try:
            with transaction.atomic():
                ReminderLog.objects.create(registration=registration)
                send_later(registration.pk, "reminder")
                log_action("events.reminder.sent", actor=None, obj=registration)
        except IntegrityError:  # another worker sent it
            continue
        sent += 1
    return sent
