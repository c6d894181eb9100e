"""Text helpers shared by search and import."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for search (``"Élodie  Dupré"`` → ``"elodie dupre"``)."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def search_terms(text: str, *, limit: int = 8) -> list[str]:
    """The words of a search box, folded, at most ``limit`` of them."""
    return [word for word in fold(text).split(" ") if word][:limit]


def fold_words(text: str) -> str:
    """:func:`fold`, then punctuation as spaces: ``"L'Haÿ-les-Roses"`` → ``"l hay les roses"``."""
    return _NON_ALNUM.sub(" ", fold(text)).strip()
