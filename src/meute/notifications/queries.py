"""Reads of notifications, preferences and announcements, each checking who asks.

A notification is shown only while its object is visible to its recipient
(:mod:`meute.notifications.visibility`): one whose object is gone or no longer theirs to see
disappears from the centre, the bell's count and the digest, title and text included.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from meute.core.permissions import is_site_admin, not_found
from meute.members.permissions import staff_network_ids
from meute.notifications.kinds import default_channel
from meute.notifications.models import Announcement, Kind, Notification, Preference
from meute.notifications.visibility import visible_keys

CENTRE_SIZE = 100  # the newest notifications the centre looks at (unread first)
BELL_CAP = 99  # the bell shows "99+" beyond
UNREAD_FIRST = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())


def _label(content_type_id: int | None) -> str | None:
    if content_type_id is None:
        return None
    model = ContentType.objects.get_for_id(content_type_id)
    return f"{model.app_label}.{model.model}"


def only_visible(user: Any, notifications: list[Notification]) -> list[Notification]:
    """Keep the notifications whose object ``user`` may still see (those about no object stay)."""
    keys = {n.pk: (_label(n.content_type_id), n.object_id) for n in notifications if n.content_type_id}
    visible = visible_keys(user, keys.values())
    return [n for n in notifications if n.content_type_id is None or keys[n.pk] in visible]


def _mine(user: Any) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def list_my_notifications(user: Any, *, limit: int = CENTRE_SIZE) -> list[Notification]:
    """The person's visible notifications: unread first, then newest."""
    rows = list(_mine(user).order_by(UNREAD_FIRST, "-created", "-id")[:limit])
    return only_visible(user, rows)


def unread_count(user: Any, *, cap: int = BELL_CAP) -> int:
    """Unread notifications the person may still see, up to ``cap + 1``. Read on every page (the
    bell): only the objects' keys are fetched, no notification is built."""
    if not user.is_authenticated:
        return 0
    rows = [(_label(ct), pk) if ct else None for ct, pk in _unread_keys(user.pk, cap + 1)]
    visible = visible_keys(user, [key for key in rows if key is not None])
    return sum(1 for key in rows if key is None or key in visible)


def _unread_keys(user_id: int, limit: int) -> list[tuple[int | None, int | None]]:
    """The (content type, object id) of the person's newest unread notifications: the bell's query,
    sent as plain SQL because every page asks it (the ORM's QuerySet costs four times the query)."""
    alias = router.db_for_read(Notification)
    with connections[alias].cursor() as cursor:
        cursor.execute(_unread_sql(alias), [user_id, limit])
        return cursor.fetchall()


@cache
def _unread_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    column = {name: quote(Notification._meta.get_field(name).column)
              for name in ("content_type", "object_id", "recipient", "read_at", "created")}
    return (f"SELECT {column['content_type']}, {column['object_id']} FROM {quote(Notification._meta.db_table)} "
            f"WHERE {column['recipient']} = %s AND {column['read_at']} IS NULL ORDER BY {column['created']} DESC "
            "LIMIT %s")


def access_notification(user: Any, notification_id: int) -> Notification:
    """One of the person's own notifications, still visible; else "not found"."""
    notification = _mine(user).filter(pk=notification_id).first()
    if notification is None or not only_visible(user, [notification]):
        raise not_found()
    return notification


def my_preferences(user: Any) -> dict[str, str]:
    """The channel of every kind for ``user`` (their choice, else the kind's default)."""
    chosen = dict(Preference.objects.filter(user_id=user.pk).values_list("kind", "channel"))
    return {kind: chosen.get(kind, default_channel(kind)) for kind in Kind.values}


def access_announcement(user: Any, announcement_id: int) -> Announcement:
    """An announcement, for its sender, its recipients, its networks' staff and the site administrator."""
    announcement = Announcement.objects.filter(pk=announcement_id).first()
    if announcement is None or not user.is_authenticated:
        raise not_found()
    if (is_site_admin(user) or announcement.sender_id == user.pk
            or announcement.networks.filter(pk__in=staff_network_ids(user)).exists()
            or Notification.objects.filter(recipient=user, kind=Kind.ANNOUNCEMENT, object_id=announcement.pk,
                                           content_type=ContentType.objects.get_for_model(Announcement)).exists()):
        return announcement
    raise not_found()


def list_received_announcements(user: Any) -> QuerySet[Announcement]:
    """Announcements the person was sent (they may read those)."""
    if not user.is_authenticated:
        return Announcement.objects.none()
    told = Notification.objects.filter(recipient=user, kind=Kind.ANNOUNCEMENT,
                                       content_type=ContentType.objects.get_for_model(Announcement))
    return Announcement.objects.filter(pk__in=told.values("object_id"))


def list_sent_announcements(user: Any) -> QuerySet[Announcement]:
    """Announcements the person sent, or sent in the networks they manage."""
    if not user.is_authenticated:
        return Announcement.objects.none()
    if is_site_admin(user):
        return Announcement.objects.select_related("sender")
    return (Announcement.objects.filter(Q(sender=user) | Q(networks__in=staff_network_ids(user)))
            .distinct().select_related("sender"))
