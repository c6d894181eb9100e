"""Keeping secrets out of the logs.

Two URLs carry a secret in their path: the private iCal feed (``/calendar/<token>.ics``) and
the check-in link of a personal schedule (``/events/<id>/checkin/<code>/``). Whoever reads an
access log must not be able to subscribe to someone's calendar or check them in, so
:func:`mask_secrets` replaces those parts with ``***``:

* in gunicorn's access log, through :class:`MaskingLogger` (``meute serve`` passes
  :data:`GUNICORN_ARGS`; a hand-written gunicorn command line should too);
* in Django's own log records (``Not Found: /calendar/….ics``), through
  :class:`SecretMaskingFilter` on the console handler (settings ``LOGGING``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

MASK = "***"
# (pattern, replacement): the secret is the part between the groups.
SECRET_URL_PATTERNS = [
    (re.compile(r"(/calendar/)[^/?#\s\"']+(\.ics)"), r"\1" + MASK + r"\2"),
    (re.compile(r"(/checkin/)[^/?#\s\"']+"), r"\1" + MASK),
]
GUNICORN_ARGS = ["--access-logfile", "-", "--logger-class", "meute.web.accesslog.MaskingLogger"]


def mask_secrets(text: str) -> str:
    """``text`` with the secret parts of feed and check-in URLs replaced by ``***``."""
    for pattern, replacement in SECRET_URL_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class MaskingLogger(Logger):
    """gunicorn's logger, with every access-log field (request line, path, query, referer,
    headers, environ) passed through :func:`mask_secrets`."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_secrets(value) if isinstance(value, str) else value for key, value in atoms.items()}


class SecretMaskingFilter(logging.Filter):
    """A logging filter that masks secret URLs in the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
