"""Changes to accounts."""

from __future__ import annotations

import secrets

from meute.accounts.models import User
from meute.core.audit import log_action


def calendar_token_for(user: User) -> str:
    """The secret of the person's private iCal feed, created on first use."""
    if not user.calendar_token:
        user.calendar_token = secrets.token_urlsafe(24)
        User.objects.filter(pk=user.pk).update(calendar_token=user.calendar_token)
        log_action("accounts.calendar_token.created", actor=user, obj=user)
    return user.calendar_token


def reset_calendar_token(user: User) -> str:
    """A new secret: the old feed URL stops working."""
    user.calendar_token = secrets.token_urlsafe(24)
    User.objects.filter(pk=user.pk).update(calendar_token=user.calendar_token)
    log_action("accounts.calendar_token.reset", actor=user, obj=user)
    return user.calendar_token


def do_set_language(user: User, code: str) -> None:
    """Keep the language ``user`` chose (one of ``settings.LANGUAGES``): their e-mails and
    notifications are written in it, and logging in opens the site in it."""
    from django.conf import settings

    if code in {known for known, _name in settings.LANGUAGES} and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
