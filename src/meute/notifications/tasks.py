"""Background jobs of notifications (django-tasks, database backend). Tasks take ids."""

from django_tasks import task


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail notifications at once; each is sent at most once."""
    from meute.notifications.mail import deliver_notification

    return sum(deliver_notification(pk) for pk in notification_ids)


@task()
def send_digest(digest_id: int) -> bool:
    from meute.notifications.mail import deliver_digest

    return deliver_digest(digest_id)


@task()
def deliver_announcement(announcement_id: int) -> int | None:
    """Deliver an announcement to its segment (claimed once, see :mod:`meute.core.jobs`)."""
    from meute.notifications.announcements import run_announcement

    announcement = run_announcement(announcement_id)
    return announcement.recipients if announcement is not None else None

