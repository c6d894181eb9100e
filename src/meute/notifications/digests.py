"""The weekly digest: each person's unread notifications of the kinds they want weekly, once a week.

``send_digests()`` (command ``meute send-digests``, run weekly by cron or a systemd timer) makes
at most one :class:`Digest` per person and ISO week: the person's row is locked, an existing
digest of the week means nothing more is done, so running it twice (or twice at once) sends
each digest once. Notifications created after this week's digest wait for next week's. A
notification whose object the person can no longer see is left out, and so is a kind the
person no longer wants weekly.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from meute.notifications.models import Channel, Digest, Notification


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s ISO week."""
    return day - datetime.timedelta(days=day.weekday())


def _pending(user_id: int) -> Any:
    return Notification.objects.filter(recipient_id=user_id, channel=Channel.DIGEST, digest__isnull=True,
                                       read_at__isnull=True, emailed_at__isnull=True)


def do_make_digest(user_id: int, week: datetime.date) -> Digest | None:
    """This week's digest for one person, made once; None if already made or nothing to tell."""
    from meute.accounts.models import User
    from meute.notifications.queries import my_preferences, only_visible
    from meute.notifications.tasks import send_digest

    with transaction.atomic():
        person = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if person is None or Digest.objects.filter(user_id=user_id, week=week).exists():
            return None
        weekly = {kind for kind, channel in my_preferences(person).items() if channel == Channel.DIGEST}
        items = only_visible(person, list(_pending(user_id).filter(kind__in=weekly)))
        if not items:
            return None
        digest = Digest.objects.create(user_id=user_id, week=week, count=len(items))
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(digest=digest, emailed_at=timezone.now())
        transaction.on_commit(lambda: send_digest.enqueue(digest.pk))
    return digest


def send_digests(*, today: datetime.date | None = None) -> int:
    """Make and queue this week's digests; returns how many were made by this call."""
    week = week_of(today or timezone.localdate())
    people = (Notification.objects.filter(channel=Channel.DIGEST, digest__isnull=True, read_at__isnull=True,
                                          emailed_at__isnull=True)
              .exclude(recipient__in=Digest.objects.filter(week=week).values("user_id"))
              .order_by().values_list("recipient_id", flat=True).distinct())
    return sum(1 for user_id in list(people) if do_make_digest(user_id, week) is not None)
