"""Signed check-in codes: the QR code on a personal schedule opens the check-in URL."""

from __future__ import annotations

import base64
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


def qr_png_data_uri(text: str) -> str:
    """A PNG QR code for ``text`` as a ``data:`` URI (printed documents: much faster to lay out than SVG)."""
    code = qrcode.QRCode(box_size=4, border=2, mask_pattern=0)  # a fixed mask skips the slow search for the best
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
