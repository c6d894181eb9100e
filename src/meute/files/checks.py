"""What an uploaded file really is, read from its content (never its name or the browser's type).

:func:`check_upload` accepts a few formats people share in a network, each recognised by its own
structure: a PDF by its header and end marker, an image by Pillow (which decodes its header and
verifies its chunks), an office file by the members of its zip container, a text by decoding it.
Everything else is refused: SVG and HTML (they run scripts), executables, archives, macros.
The checks are written here rather than taken from a sniffing library because the list is short
and a generic sniffer says what a file *starts* like, not that it is well formed and nothing else.

The name's extension must agree with the content, so a file never shows under a name that lies.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PDF, IMAGE, OFFICE, TEXT = "pdf", "image", "office", "text"
ALL_KINDS = frozenset({PDF, IMAGE, OFFICE, TEXT})
_MISMATCH = {
    PDF: _("The content of this file is not a PDF, although its name ends in .%(ext)s."),
    IMAGE: _("The content of this file is not a valid image of the type its name says (.%(ext)s)."),
    OFFICE: _("The content of this file is not an office document of the type its name says (.%(ext)s)."),
    TEXT: _("The content of this file is not plain text, although its name ends in .%(ext)s."),
}

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NAME_MAX = 200
_CHUNK = 64 * 1024
_MAX_ZIP_MEMBERS = 5000
_IMAGE_MAX_PIXELS = 64_000_000

# extension -> (kind, mime); an extension names exactly one format.
FORMATS: dict[str, tuple[str, str]] = {
    "pdf": (PDF, "application/pdf"),
    "png": (IMAGE, "image/png"),
    "jpg": (IMAGE, "image/jpeg"),
    "jpeg": (IMAGE, "image/jpeg"),
    "webp": (IMAGE, "image/webp"),
    "gif": (IMAGE, "image/gif"),
    "docx": (OFFICE, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (OFFICE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (OFFICE, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": (OFFICE, "application/vnd.oasis.opendocument.text"),
    "ods": (OFFICE, "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": (OFFICE, "application/vnd.oasis.opendocument.presentation"),
    "csv": (TEXT, "text/csv"),
    "txt": (TEXT, "text/plain"),
}
_PILLOW_FORMATS = {"PNG": {"png"}, "JPEG": {"jpg", "jpeg"}, "MPO": {"jpg", "jpeg"}, "WEBP": {"webp"}, "GIF": {"gif"}}
# The member that proves an Office Open XML container is a document of that kind.
_OOXML_MAIN = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
_ODF_MIMETYPE = {ext: FORMATS[ext][1].encode() for ext in ("odt", "ods", "odp")}
# Text that a browser would run if it ever rendered it.
_MARKUP = re.compile(rb"^\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|object|embed)\b", re.IGNORECASE)
# Path separators and characters Windows or shells treat specially; controls and bidi are by category.
_NAME_DROP = set('/\\<>:"|?*')


class UploadRefused(ValidationError):
    """The upload is refused; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class Checked:
    """An accepted upload: what its content is, and the name to show for it."""

    kind: str
    mime: str
    extension: str
    size: int
    sha256: str
    safe_name: str


def max_upload_bytes() -> int:
    """The size limit of one upload (setting ``MEUTE_UPLOAD_MAX_BYTES``, 10 MB by default)."""
    return int(getattr(settings, "MEUTE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_upload(uploaded: Any, *, kinds: frozenset[str] | set[str] = ALL_KINDS,
                 max_bytes: int | None = None) -> Checked:
    """Read ``uploaded`` (a Django ``File``) and say what it is, or raise :class:`UploadRefused`."""
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    name = safe_name(getattr(uploaded, "name", "") or "")
    size = _size(uploaded)
    if size == 0:
        raise UploadRefused(gettext("The file is empty."), code="empty")
    if size > limit:
        raise UploadRefused(gettext("The file is too large (%(size)s); the limit is %(limit)s.")
                            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}, code="too_large")
    extension = _extension(name)
    allowed = sorted(ext for ext, (kind, _mime) in FORMATS.items() if kind in kinds)
    if extension not in allowed:
        raise UploadRefused(gettext("This type of file is not accepted. Accepted: %(list)s.")
                            % {"list": ", ".join(allowed)}, code="type")
    kind, mime = FORMATS[extension]
    data = _read_all(uploaded, limit)
    if len(data) > limit:
        raise UploadRefused(gettext("The file is too large; the limit is %(limit)s.")
                            % {"limit": filesizeformat(limit)}, code="too_large")
    if not data:
        raise UploadRefused(gettext("The file is empty."), code="empty")
    # A PDF or an image with an archive glued on is a polyglot (one name, two files): refused too.
    if not _CHECKERS[kind](data, extension) or (kind != OFFICE and _is_zip(data)):
        raise UploadRefused(str(_MISMATCH[kind]) % {"ext": extension}, code="mismatch")
    canonical = "jpg" if extension == "jpeg" else extension
    return Checked(kind=kind, mime=mime, extension=canonical, size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), safe_name=name)


def safe_name(name: str, *, fallback: str = "fichier") -> str:
    """``name`` fit to show and to send back: no path, controls, bidi overrides; at most 200 characters."""
    name = unicodedata.normalize("NFC", str(name))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch for ch in name if (ch not in _NAME_DROP and unicodedata.category(ch)[0] not in {"C", "Z"})
                   or ch == " ")
    kept = re.sub(r"\s+", " ", kept).strip(" .")
    if not kept:
        return fallback
    if len(kept) > NAME_MAX:
        stem, dot, ext = kept.rpartition(".")
        if dot and 0 < len(ext) <= 10 and stem:
            kept = stem[: NAME_MAX - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            kept = kept[:NAME_MAX].rstrip(" .")
    return kept


def _extension(name: str) -> str:
    _stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def _size(uploaded: Any) -> int:
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, os.SEEK_END)
        size = uploaded.tell()
    return int(size)


def _read_all(uploaded: Any, limit: int) -> bytes:
    """The content, at most ``limit + 1`` bytes (so a lying ``size`` cannot make us read more)."""
    uploaded.seek(0)
    buffer = io.BytesIO()
    while buffer.tell() <= limit:
        chunk = uploaded.read(_CHUNK)
        if not chunk:
            break
        buffer.write(chunk)
    uploaded.seek(0)
    return buffer.getvalue()[: limit + 1]


def _is_zip(data: bytes) -> bool:
    return b"PK\x05\x06" in data[-65_600:] and zipfile.is_zipfile(io.BytesIO(data))


def _is_pdf(data: bytes, extension: str) -> bool:
    # A PDF starts with its header (readers tolerate a little before it; we do not) and ends with %%EOF.
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]


def _is_image(data: bytes, extension: str) -> bool:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if extension not in _PILLOW_FORMATS.get(image.format or "", set()):
                    return False
                if image.width * image.height > _IMAGE_MAX_PIXELS:
                    return False
                image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            EOFError, struct.error):
        return False
    if extension == "png":  # nothing may follow the IEND chunk (a script or an archive would hide there)
        return data.endswith(b"IEND\xaeB`\x82")
    return True


def _is_office(data: bytes, extension: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if not infos or len(infos) > _MAX_ZIP_MEMBERS:
                return False
            names = {info.filename for info in infos}
            if any(_unsafe_member(member) for member in names):
                return False
            if extension in _OOXML_MAIN:
                return "[Content_Types].xml" in names and _OOXML_MAIN[extension] in names
            first = infos[0]
            if first.filename != "mimetype" or first.file_size > 200:
                return False
            return archive.read(first).strip() == _ODF_MIMETYPE[extension] and "content.xml" in names
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, NotImplementedError):
        return False


def _unsafe_member(member: str) -> bool:
    """Macros, embedded programs, and paths that climb out of the archive."""
    lowered = member.lower()
    return (lowered.endswith(("vbaproject.bin", ".exe", ".dll", ".js", ".vbs", ".bat", ".cmd", ".ps1"))
            or member.startswith("/") or ".." in member.split("/"))


def _is_text(data: bytes, extension: str) -> bool:
    if b"\x00" in data or _MARKUP.match(data.removeprefix(b"\xef\xbb\xbf")):
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text)
    return False


_CHECKERS = {PDF: _is_pdf, IMAGE: _is_image, OFFICE: _is_office, TEXT: _is_text}


def sniff(stream: IO[bytes], name: str) -> Checked:
    """:func:`check_upload` for a plain binary stream (commands and the demo)."""
    from django.core.files import File

    return check_upload(File(stream, name=name))
