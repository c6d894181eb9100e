"""Every failed login leaves an audit entry: the address tried and the client's, never the password."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from meute.core.audit import LOGIN_FAILED, log_action

MAX_LOGIN_LENGTH = 254


def _clean(text: Any) -> str:
    """The attempted login as text: control and format characters dropped, bounded."""
    value = "".join(c for c in str(text or "") if unicodedata.category(c)[0] != "C")
    return value.strip()[:MAX_LOGIN_LENGTH]


def client_address(request: Any) -> str:
    """The client's address as the web server saw it (``REMOTE_ADDR``; the proxy sets it)."""
    if request is None:
        return ""
    return _clean(request.META.get("REMOTE_ADDR", ""))[:45]


@receiver(user_login_failed, dispatch_uid="meute.accounts.audit_login_failed")
def log_login_failure(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    """Record the failure, about the account when one has that e-mail address."""
    User = get_user_model()
    login = _clean(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or credentials.get("email"))
    account = User.objects.filter(email__iexact=login).first() if login else None
    log_action(LOGIN_FAILED, actor=None, obj=account,
               data={"email": login, "address": client_address(request), "account_exists": account is not None})
