"""Background jobs of the events app (django-tasks, database backend). Tasks take ids.

The plan row itself is claimed once (:mod:`meute.core.jobs`): a duplicate enqueue or a second
worker returns without computing anything.
"""

from django_tasks import task


@task()
def compute_plan(plan_id: int) -> int | None:
    from meute.events.rotations import run_plan

    plan = run_plan(plan_id)
    return plan.pk if plan is not None else None


@task()
def send_event_mail(registration_id: int, kind: str) -> bool:
    """One e-mail to a participant (confirmation, waiting list, promotion, reminder)."""
    from meute.events.mail import deliver

    return deliver(registration_id, kind)


@task()
def send_event_mailing(event_id: int, audience: list[str], subject: str, body: str) -> int:
    """A staff message to the event's participants; each message is sent and logged on its own."""
    from meute.events.mail import deliver, recipients
    from meute.events.models import Event

    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    return sum(deliver(r.pk, "message", subject=subject, body=body) for r in recipients(event, audience))


@task()
def send_event_schedules(event_id: int) -> int:
    """Each present participant's schedule, from the plan in use when the task runs."""
    from meute.events.mail import deliver
    from meute.events.models import Registration, RegistrationStatus

    ids = Registration.objects.filter(event_id=event_id, status=RegistrationStatus.CONFIRMED,
                                      absent=False).values_list("pk", flat=True)
    return sum(deliver(pk, "schedule") for pk in ids)
