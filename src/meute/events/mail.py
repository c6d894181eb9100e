"""E-mails to participants: French HTML and text, absolute links, the event's iCal invitation.

Every message goes out from a background task (tasks take ids and re-fetch) and leaves an
audit entry ``events.mail.sent`` on the registration. Kinds:

* ``confirmed`` / ``waiting``: the answer to a registration;
* ``promoted``: a seat freed up for someone on the waiting list;
* ``reminder``: the event is close;
* ``schedule``: a speed meeting's personal schedule (table per round);
* ``message``: a message the event's staff wrote to its participants.

A staff message is recorded as a :class:`~meute.events.models.Mailing` carrying its form's one-time
key (:mod:`meute.core.submissions`): the form sent twice records one mailing, and only the sending
that recorded it queues the e-mails, so each person receives the message once.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.core.links import absolute_url
from meute.core.submissions import create_once
from meute.events import ical
from meute.events.models import Mailing, Registration, RegistrationStatus
from meute.notifications.unsubscribe import unsubscribe_headers, unsubscribe_url

KINDS = ("confirmed", "waiting", "promoted", "reminder", "schedule", "message")
# e-mails that are a notification's e-mail (events kind -> notification kind): they carry an unsubscribe link
NOTIFICATION_KINDS = {"promoted": "promoted"}
WITH_INVITATION = {"confirmed", "promoted", "reminder", "schedule", "message"}


def _subject(kind: str, title: str, subject: str) -> str:
    if kind == "message":
        return f"{subject} — {title}"
    template = {
        "confirmed": _("Registration confirmed: %(t)s"),
        "waiting": _("On the waiting list: %(t)s"),
        "promoted": _("A seat is yours: %(t)s"),
        "reminder": _("Reminder: %(t)s"),
        "schedule": _("Your schedule: %(t)s"),
    }[kind]
    return template % {"t": title}


def invitation_ics(event: Any) -> bytes:
    domain = urlsplit(settings.SITE_URL).hostname or "meute"
    return ical.calendar([ical.vevent(event, domain=domain)], name=event.title)


def _schedule_rows(registration: Registration) -> list[dict[str, Any]]:
    from meute.events.pdf import names, round_start
    from meute.events.queries import plan_in_use, schedule_for

    plan = plan_in_use(registration.event)
    if plan is None:
        return []
    people = names(plan)
    return [{"number": n, "starts": round_start(registration.event, n), "table": t,
             "mates": [people.get(x, {"name": str(x)})["name"] for x in mates]}
            for n, t, mates in schedule_for(plan, registration.user_id)]


def deliver(registration_id: int, kind: str, *, subject: str = "", body: str = "") -> bool:
    """Write and send one e-mail to a registration's person; False if it no longer applies."""
    registration = (Registration.objects.select_related("event__network", "event__commune", "user")
                    .filter(pk=registration_id).first())
    if registration is None or kind not in KINDS or not registration.user.email:
        return False
    event, person = registration.event, registration.user
    unsubscribe = unsubscribe_url(person.pk, NOTIFICATION_KINDS[kind]) if kind in NOTIFICATION_KINDS else ""
    with translation.override(person.language or settings.LANGUAGE_CODE):
        context = {
            "kind": kind, "event": event, "person": person, "registration": registration,
            "starts": timezone.localtime(event.starts_at), "ends": timezone.localtime(event.ends_at),
            "link": absolute_url("web:event", event.pk), "body": body,
            "schedule_link": absolute_url("web:event_schedule", event.pk) if event.is_speed_meeting else "",
            "rows": _schedule_rows(registration) if kind == "schedule" else [],
            "unsubscribe": unsubscribe,
        }
        message = EmailMultiAlternatives(_subject(kind, event.title, subject),
                                         render_to_string("events/email/event.txt", context), None, [person.email],
                                         headers=unsubscribe_headers(unsubscribe) if unsubscribe else None)
        message.attach_alternative(render_to_string("events/email/event.html", context), "text/html")
    if kind in WITH_INVITATION and registration.status == RegistrationStatus.CONFIRMED:
        message.attach(f"evenement-{event.pk}.ics", invitation_ics(event), "text/calendar")
    message.send()
    log_action("events.mail.sent", actor=None, obj=registration, data={"kind": kind, "subject": message.subject})
    return True


def send_later(registration_id: int, kind: str) -> None:
    """Queue one e-mail once the current transaction commits."""
    from meute.events.tasks import send_event_mail

    transaction.on_commit(lambda: send_event_mail.enqueue(registration_id, kind))


AUDIENCES = ("confirmed", "waiting", "present")
MAX_SUBJECT, MAX_BODY = 150, 5000


def recipients(event: Any, audience: list[str]) -> list[Registration]:
    """The registrations a staff message goes to: confirmed, waiting and/or checked in."""
    wanted = set(audience)
    found = []
    for r in event.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("user").order_by("seq"):
        if (r.status in wanted) or ("present" in wanted and r.checked_in_at is not None):
            found.append(r)
    return found


def check_send_mailing(event: Any, *, audience: list[str], subject: str, body: str, acting_user: Any,
                       submission: str | None = None) -> Mailing:
    """Staff write to the event's participants; the messages go out in the background."""
    from meute.events import permissions
    from meute.events.exceptions import EventError

    if not permissions.can_manage_event(acting_user, event):
        raise EventError(_("Only the network's staff may write to this event's participants."))
    subject, body = subject.strip(), body.strip()
    if not subject or len(subject) > MAX_SUBJECT:
        raise EventError(_("Give a subject of at most %(n)s characters.") % {"n": MAX_SUBJECT}, field="subject")
    if not body or len(body) > MAX_BODY:
        raise EventError(_("Write a message of at most %(n)s characters.") % {"n": MAX_BODY}, field="body")
    if not audience or set(audience) - set(AUDIENCES):
        raise EventError(_("Choose who receives the message."), field="audience")
    count = len(recipients(event, audience))
    if not count:
        raise EventError(_("Nobody matches: no message is sent."), field="audience")
    return do_send_mailing(event, audience=audience, subject=subject, body=body, acting_user=acting_user,
                           count=count, submission=submission)


def do_send_mailing(event: Any, *, audience: list[str], subject: str, body: str, acting_user: Any,
                    count: int, submission: str | None = None) -> Mailing:
    """Record the mailing and queue its e-mails; the same form sent again raises ``Resubmitted`` with the
    first mailing and queues nothing."""
    from meute.events.tasks import send_event_mailing

    def create(key: str | None) -> Mailing:
        mailing = Mailing.objects.create(event=event, sender=acting_user, subject=subject, recipients=count,
                                         submission=key)
        log_action("events.mailing.requested", actor=acting_user, obj=event,
                   data={"audience": sorted(audience), "subject": subject, "recipients": count,
                         "mailing": mailing.pk})
        transaction.on_commit(lambda: send_event_mailing.enqueue(event.pk, sorted(audience), subject, body))
        return mailing

    return create_once(Mailing.objects.filter(event=event, sender=acting_user), submission, create)


def check_send_schedules(event: Any, *, acting_user: Any) -> int:
    """E-mail each participant present their schedule from the plan in use (in the background)."""
    from meute.events import permissions
    from meute.events.exceptions import PlanError
    from meute.events.queries import plan_in_use
    from meute.events.tasks import send_event_schedules

    if not permissions.can_manage_event(acting_user, event):
        raise PlanError(_("Only the network's staff may plan this speed meeting."))
    if plan_in_use(event) is None:
        raise PlanError(_("There is no plan yet: compute it first."))
    count = event.registrations.filter(status=RegistrationStatus.CONFIRMED, absent=False).count()
    with transaction.atomic():
        log_action("events.mailing.schedules", actor=acting_user, obj=event, data={"recipients": count})
        transaction.on_commit(lambda: send_event_schedules.enqueue(event.pk))
    return count
