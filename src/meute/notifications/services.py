"""Telling people things: :func:`notify`, the public service other apps call, and each person's choices.

``notify(recipients, kind, *, obj=None, url, title, body="", actor=None, send_email=None)``
creates one :class:`~meute.notifications.models.Notification` per distinct active recipient,
with title and text written in that person's language, and applies their channel for the kind:

* ``in_app``: nothing else;
* ``email``: an e-mail at once, queued after the transaction commits (the owning app's own
  e-mail when it passes ``send_email``, e.g. the waiting-list promotion with its calendar file);
* ``digest``: the next weekly digest (:mod:`meute.notifications.digests`).

Marking read is the person's own view state: it is not audited (an entry per click would
drown the log); preference changes and unsubscriptions are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.core.bounds import TEXT_MAX
from meute.notifications.exceptions import NotificationError
from meute.notifications.kinds import default_channel
from meute.notifications.models import Channel, Kind, Notification, Preference

BATCH = 1000
EMAIL_BATCH = 200  # notifications per e-mail task


def _user_ids(recipients: Iterable[Any]) -> list[int]:
    seen: dict[int, None] = {}
    for person in recipients:
        pk = person if isinstance(person, int) else getattr(person, "pk", None)
        if pk is not None:
            seen.setdefault(pk, None)
    return list(seen)


def _rendered(text: Any, language: str, cache: dict) -> str:
    key = (id(text), language)
    if key not in cache:
        with translation.override(language):
            cache[key] = str(text)
    return cache[key]


def notify(recipients: Iterable[Any], kind: str, *, obj: Any = None, url: str, title: Any, body: Any = "",
           actor: Any = None, send_email: Callable[[int], None] | None = None) -> int:
    """Tell each of ``recipients`` (users or user ids; duplicates and inactive accounts dropped) about ``obj``.

    ``title`` and ``body`` are strings or lazy translations (``gettext_lazy``, or a
    :class:`~meute.notifications.services.Text`), rendered in each recipient's language. ``url``
    is a site path (``/events/3/``). ``send_email(user_id)``, when given, replaces the generic
    e-mail for recipients who chose "e-mail at once" (it must queue its e-mail after commit).
    Returns how many notifications were created.
    """
    from meute.accounts.models import User

    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    total, cache = 0, {}
    ids = _user_ids(recipients)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        chosen = dict(Preference.objects.filter(user_id__in=chunk, kind=kind).values_list("user_id", "channel"))
        people = User.objects.filter(pk__in=chunk, is_active=True).values_list("pk", "language")
        rows = []
        for pk, language in people:
            language = language or settings.LANGUAGE_CODE
            rows.append(Notification(
                recipient_id=pk, kind=kind, content_type=content_type, object_id=getattr(obj, "pk", None),
                url=url[:500], title=_rendered(title, language, cache)[:300],
                body=_rendered(body, language, cache)[:TEXT_MAX], channel=chosen.get(pk, default_channel(kind)),
                actor_id=getattr(actor, "pk", None)))
        Notification.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=kind == Kind.ANNOUNCEMENT)
        total += len(rows)
        _email_at_once([r.recipient_id for r in rows if r.channel == Channel.EMAIL], kind, content_type,
                       getattr(obj, "pk", None), send_email)
    return total


class Text:
    """A translatable text with values, rendered in the recipient's language: ``Text(_lazy("%(t)s"), t=...)``."""

    def __init__(self, template: Any, **values: Any) -> None:
        self.template, self.values = template, values

    def __str__(self) -> str:
        return str(self.template) % {k: str(v) for k, v in self.values.items()}


class When:
    """A date or moment written as the reader's language writes it, for a :class:`Text`'s values:
    « 03/12/2026 18:30 » in French, « 12/03/2026 6:30 p.m. » in English (in the site's time zone)."""

    def __init__(self, moment: datetime.date | datetime.datetime, *, time: bool = True) -> None:
        self.moment, self.time = moment, time

    def __str__(self) -> str:
        moment = self.moment
        if isinstance(moment, datetime.datetime):
            moment = timezone.localtime(moment)
            if not self.time:
                moment = moment.date()
        return date_format(moment, "SHORT_DATETIME_FORMAT" if isinstance(moment, datetime.datetime) else
                           "SHORT_DATE_FORMAT")


def _email_at_once(user_ids: list[int], kind: str, content_type: Any, object_id: int | None,
                   send_email: Callable[[int], None] | None) -> None:
    if not user_ids:
        return
    wanted = Notification.objects.filter(recipient_id__in=user_ids, kind=kind, content_type=content_type,
                                         object_id=object_id, channel=Channel.EMAIL, emailed_at__isnull=True)
    if send_email is not None:
        wanted.update(emailed_at=timezone.now())
        for pk in user_ids:
            send_email(pk)
        return
    from meute.notifications.tasks import send_notification_emails

    ids = list(wanted.values_list("pk", flat=True))
    for start in range(0, len(ids), EMAIL_BATCH):
        batch = ids[start:start + EMAIL_BATCH]
        transaction.on_commit(lambda batch=batch: send_notification_emails.enqueue(batch))


# ----------------------------------------------------------------------------- read state

def do_mark_read(notification: Notification, *, acting_user: Any) -> Notification:
    """The person has read one of their notifications (once; later calls keep the first time)."""
    if notification.recipient_id != acting_user.pk:
        raise NotificationError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def do_mark_all_read(*, acting_user: Any) -> int:
    """Every unread notification of the person is now read; returns how many."""
    return Notification.objects.filter(recipient_id=acting_user.pk, read_at__isnull=True).update(
        read_at=timezone.now())


# ----------------------------------------------------------------------------- preferences

def check_set_preferences(user: Any, choices: dict[str, str], *, acting_user: Any) -> dict[str, str]:
    """A person chooses a channel per kind (only for themselves)."""
    if user.pk != acting_user.pk:
        raise NotificationError(_("You may only choose your own notifications."))
    for kind, channel in choices.items():
        if kind not in Kind.values:
            raise NotificationError(_("Unknown kind of notification."))
        if channel not in Channel.values:
            raise NotificationError(_("Choose in the app only, e-mail at once or weekly digest."), field=kind)
    return do_set_preferences(user, choices, acting_user=acting_user)


@transaction.atomic
def do_set_preferences(user: Any, choices: dict[str, str], *, acting_user: Any, action: str = "updated",
                       data: dict | None = None) -> dict[str, str]:
    from meute.notifications.queries import my_preferences

    before = my_preferences(user)
    changes = {}
    for kind, channel in choices.items():
        if before[kind] != channel:
            Preference.objects.update_or_create(user_id=user.pk, kind=kind, defaults={"channel": channel})
            changes[kind] = [before[kind], channel]
    log_action(f"notifications.preferences.{action}", actor=acting_user, obj=user, changes=changes, data=data)
    return {**before, **choices}
