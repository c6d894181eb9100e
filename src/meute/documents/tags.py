"""Tags of documents: stored lower-case between commas (",duerp,prévention,"), compared folded."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from meute.core.text import fold
from meute.documents.exceptions import DocumentError
from meute.documents.models import TAG_MAX, TAGS_MAX


def normalise_tag(text: str) -> str:
    """A tag as stored and shown: lower-case, single-spaced, without the comma that separates tags."""
    return " ".join(unicodedata.normalize("NFC", str(text or "")).replace(",", " ").split()).lower()


def parse_tags(text: str) -> str:
    """``"DUERP, Prévention, prevention"`` → ``",duerp,prévention,"`` (lower-case, unique once folded, bounded)."""
    tags: list[str] = []
    seen: set[str] = set()
    for raw in str(text or "").split(","):
        tag = normalise_tag(raw)
        if tag and fold(tag) not in seen:
            if len(tag) > TAG_MAX:
                raise DocumentError(_("A tag has at most %(n)s characters.") % {"n": TAG_MAX}, field="tags")
            seen.add(fold(tag))
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise DocumentError(_("A document has at most %(n)s tags.") % {"n": TAGS_MAX}, field="tags")
    return f",{','.join(tags)}," if tags else ""
