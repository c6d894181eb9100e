"""Throttling failed logins (django-axes, configured in settings under ``AXES_*``).

Failed logins are counted per account and per client address. At ``AXES_FAILURE_LIMIT``
failures that account, or that address, is refused, even with the right password, until
``AXES_COOLOFF_TIME`` has passed since the last counted failure. The login page then says so
in French (:func:`lockout_response`) and the audit log records the throttle
(``accounts.login.locked_out``); each failure itself is logged through Django's
``user_login_failed`` signal.

Behind a reverse proxy the client address is read from ``X-Forwarded-For``, but only when the
request comes from one of ``MEUTE_TRUSTED_PROXIES``: otherwise anyone could pick the address
they are counted under.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meute.core.audit import log_action


class ThrottlingBackend(AxesStandaloneBackend):
    """django-axes' check, for logins that come from a request.

    An ``authenticate()`` call without a request (a shell, a management command, the test
    client's ``login``) is not a network login attempt: there is nothing to throttle, so it
    goes straight to the next backend instead of failing.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def username_of(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account a login attempt is counted against: the e-mail address, as stored (lower case)."""
    value = (credentials or {}).get(get_user_model().USERNAME_FIELD) or (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return value.strip().lower()[:254] if isinstance(value, str) else None


def _networks(entries: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return networks


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or, when that is a trusted proxy, the nearest
    address in ``X-Forwarded-For`` that is not itself a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = _networks(getattr(settings, "MEUTE_TRUSTED_PROXIES", []))
    hop = _address(remote)
    if hop is None or not any(hop in net for net in trusted):
        return remote or None
    chain = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for part in reversed(chain):  # the right-most entries were added by our own proxies
        address = _address(part)
        if address is None:
            break  # a malformed entry: trust nothing further left
        if not any(address in net for net in trusted):
            return str(address)
    return remote


def cooloff_minutes() -> int:
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> HttpResponse:
    """The login page again, with the throttle explained (HTTP 429)."""
    form = AuthenticationForm(request, initial={"username": username_of(request, credentials) or ""})
    context = {"form": form, "throttled": True, "cooloff_minutes": cooloff_minutes(),
               "next": request.POST.get("next", request.GET.get("next", ""))}
    return render(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


@receiver(user_locked_out)
def _audit_lockout(sender: Any, request: HttpRequest, username: str | None, ip_address: str | None,
                   **kwargs: Any) -> None:
    """One audit entry when the limit is reached (not one per refused try afterwards)."""
    if getattr(request, "axes_failures_since_start", None) is None:
        return  # refused while already throttled: axes did not count a new failure
    user = get_user_model().objects.filter(email=username).first() if username else None
    log_action("accounts.login.locked_out", actor=None, obj=user,
               data={"username": username or "", "ip_address": ip_address or "",
                     "failures": request.axes_failures_since_start, "cooloff_minutes": cooloff_minutes()})
