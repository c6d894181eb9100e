"""E-mails of notifications: one at once, or the weekly digest; French HTML and text.

Every e-mail carries two unsubscribe links (this kind, every kind) and the List-Unsubscribe
headers; links are absolute (``core.links.absolute_url``, from ``MEUTE_SITE_URL``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meute.core.links import absolute_url
from meute.notifications.models import Channel, Digest, Kind, Notification
from meute.notifications.unsubscribe import unsubscribe_headers, unsubscribe_url


def _message(person: Any, subject: str, template: str, context: dict[str, Any], kind: str = ""
             ) -> EmailMultiAlternatives:
    one_kind = unsubscribe_url(person.pk, kind) if kind else ""
    every_kind = unsubscribe_url(person.pk)
    context = {**context, "person": person, "unsubscribe_kind": one_kind, "unsubscribe_all": every_kind,
               "preferences_link": absolute_url("web:notification_preferences"),
               "kind_label": Kind(kind).label if kind else ""}
    message = EmailMultiAlternatives(subject, render_to_string(f"notifications/email/{template}.txt", context),
                                     None, [person.email],
                                     headers=unsubscribe_headers(one_kind or every_kind))
    message.attach_alternative(render_to_string(f"notifications/email/{template}.html", context), "text/html")
    return message


def link_of(notification: Notification) -> str:
    return absolute_url("web:notification_open", notification.pk)


def deliver_notification(notification_id: int) -> bool:
    """E-mail one notification at once; False if it was already sent, is gone, or is no longer visible."""
    from meute.notifications.queries import only_visible

    notification = (Notification.objects.select_related("recipient")
                    .filter(pk=notification_id, channel=Channel.EMAIL).first())
    if notification is None or not notification.recipient.email or not notification.recipient.is_active:
        return False
    person = notification.recipient
    if not only_visible(person, [notification]):
        return False
    if not Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now()):
        return False  # another task sent it
    with translation.override(person.language or settings.LANGUAGE_CODE):
        message = _message(person, notification.title, "notification",
                           {"notification": notification, "link": link_of(notification)}, notification.kind)
    message.send()
    return True


def deliver_digest(digest_id: int) -> bool:
    """Send one stored digest (its notifications were chosen when it was made)."""
    digest = Digest.objects.filter(pk=digest_id).first()
    if digest is None:
        return False
    from meute.accounts.models import User

    person = User.objects.get(pk=digest.user_id)
    items = list(digest.items.order_by("-created", "-id"))
    if not items or not person.email:
        return False
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = _("Your week on meute: %(n)s new") % {"n": len(items)}
        rows = [{"notification": n, "link": link_of(n)} for n in items]
        message = _message(person, subject, "digest", {"rows": rows, "week": digest.week,
                                                        "centre": absolute_url("web:notifications")})
    message.send()
    return True
