"""Absolute links for e-mails and other messages read outside the site."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(path_or_name: str, *args: object, **kwargs: object) -> str:
    """``settings.SITE_URL`` joined with a path (``"/x/"``) or a reversed URL name (``"web:home"``)."""
    path = path_or_name if path_or_name.startswith("/") else reverse(path_or_name, args=args, kwargs=kwargs or None)
    return settings.SITE_URL + path
