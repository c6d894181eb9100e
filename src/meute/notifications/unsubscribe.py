"""One-click unsubscribe links: signed, per kind or for every kind, each usable once.

The link carries ``{user, kind ("" = every kind), nonce}`` signed with the site's secret. A
link whose signature does not match (tampered, truncated) and a link already used get a clear
page and change nothing; a used link's nonce is stored (:class:`UsedUnsubscribeLink`).
Unsubscribing sets the kind (or every kind) to "in the app only": the notifications still
appear in the centre, no e-mail is sent for them any more.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meute.core.links import absolute_url
from meute.notifications.exceptions import NotificationError
from meute.notifications.models import Channel, Kind, UsedUnsubscribeLink

SALT = "meute.notifications.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    user: Any
    kind: str  # "" for every kind
    nonce: str


def unsubscribe_token(user_id: int, kind: str = "") -> str:
    return signing.dumps({"u": user_id, "k": kind, "n": secrets.token_urlsafe(12)}, salt=SALT, compress=True)


def unsubscribe_url(user_id: int, kind: str = "") -> str:
    return absolute_url("web:notifications_unsubscribe", unsubscribe_token(user_id, kind))


def read_unsubscribe_token(token: str) -> Unsubscribe:
    """The link's person and kind; :class:`NotificationError` if it was altered or already used."""
    from meute.accounts.models import User

    try:
        data = signing.loads(str(token)[:500], salt=SALT)
    except signing.BadSignature:
        raise NotificationError(_("This unsubscribe link is not valid: it may have been cut or altered. "
                                  "Nothing was changed. Use the link of the e-mail again, or choose your "
                                  "notifications from your account.")) from None
    if (not isinstance(data, dict) or data.get("k", "") not in ("", *Kind.values)
            or not isinstance(data.get("u"), int) or not isinstance(data.get("n"), str)):
        raise NotificationError(_("This unsubscribe link is not valid. Nothing was changed."))
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise NotificationError(_("This unsubscribe link is not valid. Nothing was changed."))
    if UsedUnsubscribeLink.objects.filter(nonce=str(data.get("n"))).exists():
        raise NotificationError(_("This unsubscribe link was already used. Nothing was changed; you can "
                                  "choose your notifications from your account."))
    return Unsubscribe(user=user, kind=data.get("k", ""), nonce=str(data.get("n")))


def check_unsubscribe(token: str) -> Unsubscribe:
    """Use a link: its kind (or every kind) goes to "in the app only"; the link works once."""
    from meute.notifications.services import do_set_preferences

    link = read_unsubscribe_token(token)
    kinds = [link.kind] if link.kind else list(Kind.values)
    try:
        with transaction.atomic():
            UsedUnsubscribeLink.objects.create(nonce=link.nonce)
            do_set_preferences(link.user, dict.fromkeys(kinds, Channel.IN_APP), acting_user=link.user,
                               action="unsubscribed", data={"kind": link.kind or "all"})
    except IntegrityError:
        raise NotificationError(_("This unsubscribe link was already used. Nothing was changed; you can "
                                  "choose your notifications from your account.")) from None
    return link


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 / 8058 headers: mail clients show an "unsubscribe" button that posts to the link."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
