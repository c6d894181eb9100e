"""Signed check-in codes: the QR code on a personal schedule opens the check-in URL."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.core import signing

SALT = "meute.events.checkin"


def checkin_code(registration_id: int) -> str:
    return signing.dumps(registration_id, salt=SALT)


def registration_id_from(code: str) -> int | None:
    try:
        return int(signing.loads(code, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def qr_svg(text: str) -> str:
    """An inline SVG QR code for ``text``."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()
