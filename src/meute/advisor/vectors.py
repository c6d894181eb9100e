"""Stored text vectors of leaders' offers and needs, and the inverted-file index over them.

:func:`refresh_vectors` encodes the offers and needs of leaders (each distinct text once)
and stores them as float16 bytes with their nearest bucket; :func:`rebuild_index` computes
the buckets (spherical k-means on the stored vectors). The ``advisor_vectors`` command runs
both. Vectors of another model than the one in use are ignored and recomputed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
from django.db import connection, transaction

from meute.advisor import textmatch
from meute.advisor.models import Centroid, TextVectors
from meute.members.models import Leader

BATCH = 2000
BUCKETS = 64
SEGMENT = re.compile(r"[;,\n]+")


def centroids(model: str | None = None) -> np.ndarray:
    """The index's centroids for ``model`` (rows in bucket order); empty when not built yet."""
    rows = Centroid.objects.filter(model=model or textmatch.model_name()).order_by("number")
    vectors = [np.frombuffer(bytes(c.vector), dtype=np.float32) for c in rows]
    return np.vstack(vectors) if vectors else np.zeros((0, textmatch.DIM), dtype=np.float32)


def _bucket(vector: np.ndarray, cents: np.ndarray) -> int | None:
    if not len(cents) or not vector.any():
        return None
    return int(np.argmax(cents @ vector))


def nearest_buckets(vector: np.ndarray, cents: np.ndarray, count: int) -> list[int]:
    if not len(cents) or not vector.any():
        return []
    return [int(i) for i in np.argsort(-(cents @ vector))[:count]]


def _texts(leader: Leader) -> tuple[str, str]:
    company = leader.company
    offers = " ; ".join(x for x in ((company.offers if company else ""), leader.expertise) if x)
    return offers, (company.needs if company else "")


def _segments(text: str) -> list[str]:
    """A text cut at ';', ',' and new lines: lists of expertise are encoded item by item."""
    return [part.strip() for part in SEGMENT.split(text) if part.strip()]


def encode_segmented(texts: list[str], model: str) -> np.ndarray:
    """Vectors of ``texts``, each the normalised mean of its segments' vectors.

    Segments repeat across leaders (activity labels, expertise items) far more than whole
    texts do, so each is encoded once; a one-segment text keeps its plain vector.
    """
    parts = [_segments(t) for t in texts]
    unique = list(dict.fromkeys(p for ps in parts for p in ps))
    index = {p: i for i, p in enumerate(unique)}
    encoded = textmatch.encode(unique, model=model) if unique else np.zeros((0, textmatch.DIM), np.float32)
    out = np.zeros((len(texts), textmatch.DIM), dtype=np.float32)
    for row, ps in enumerate(parts):
        if ps:
            mean = encoded[[index[p] for p in ps]].sum(axis=0)
            out[row] = mean / (np.linalg.norm(mean) or 1.0)
    return out


def refresh_vectors(leaders: Iterable[Leader] | None = None, *, force: bool = False,
                    progress: Callable[[int], None] | None = None) -> int:
    """Encode and store the vectors of ``leaders`` (all by default) whose texts changed; returns how many."""
    model = textmatch.model_name()
    cents = centroids(model)
    qs = leaders if leaders is not None else Leader.objects.select_related("company").order_by("pk").iterator(
        chunk_size=BATCH)
    stored = {v.leader_id: v for v in TextVectors.objects.filter(model=model).only(
        "leader_id", "source_hash")} if leaders is None else {}
    done, batch = 0, []
    for leader in qs:
        batch.append(leader)
        if len(batch) == BATCH:
            done += _store(batch, model, cents, stored, force)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        done += _store(batch, model, cents, stored, force)
        if progress:
            progress(len(batch))
    return done


@transaction.atomic
def _store(batch: list[Leader], model: str, cents: np.ndarray, stored: dict, force: bool) -> int:
    texts = [_texts(leader) for leader in batch]
    hashes = [textmatch.text_hash(model, *t) for t in texts]
    todo = [i for i, h in enumerate(hashes)
            if force or getattr(stored.get(batch[i].pk), "source_hash", None) != h]
    if not todo:
        return 0
    offers = encode_segmented([texts[i][0] for i in todo], model)
    needs = encode_segmented([texts[i][1] for i in todo], model)
    TextVectors.objects.filter(leader_id__in=[batch[i].pk for i in todo]).delete()
    TextVectors.objects.bulk_create([
        TextVectors(leader_id=batch[i].pk, model=model, source_hash=hashes[i],
                    offers=textmatch.to_bytes(o) if o.any() else None, needs=textmatch.to_bytes(n) if n.any() else None,
                    offer_bucket=_bucket(o, cents), need_bucket=_bucket(n, cents))
        for i, o, n in zip(todo, offers, needs, strict=True)
    ])
    return len(todo)


def rebuild_index(*, buckets: int = BUCKETS, seed: int = 0, sample: int = 20_000) -> int:
    """Recompute the centroids from the stored vectors and re-bucket every row; returns the bucket count."""
    model = textmatch.model_name()
    rows = TextVectors.objects.filter(model=model)
    blobs = list(rows.order_by("leader_id").values_list("offers", "needs")[:sample])
    vectors = [textmatch.from_bytes(b) for pair in blobs for b in pair if b]
    if not vectors:
        return 0
    cents = textmatch.kmeans(np.vstack(vectors), buckets, seed=seed)
    with transaction.atomic():
        Centroid.objects.filter(model=model).delete()
        Centroid.objects.bulk_create([Centroid(model=model, number=i, vector=c.astype(np.float32).tobytes())
                                      for i, c in enumerate(cents)])
        # One UPDATE per (offer bucket, need bucket) pair of distinct texts would be fewer, but rows are few enough.
        updates = []
        for pk, offers, needs in rows.values_list("pk", "offers", "needs").iterator(chunk_size=BATCH):
            o, n = textmatch.from_bytes(offers), textmatch.from_bytes(needs)
            updates.append(TextVectors(pk=pk, offer_bucket=_bucket(o, cents) if o is not None else None,
                                       need_bucket=_bucket(n, cents) if n is not None else None))
            if len(updates) == BATCH:
                TextVectors.objects.bulk_update(updates, ["offer_bucket", "need_bucket"])
                updates = []
        TextVectors.objects.bulk_update(updates, ["offer_bucket", "need_bucket"])
    _fresh_statistics()
    return len(cents)


def _fresh_statistics() -> None:
    """Every row was rewritten: the planner's statistics (and, on PostgreSQL, the visibility
    map that lets the suggestions read the bucket indexes alone) are refreshed now rather
    than whenever autovacuum comes by."""
    table = TextVectors._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:  # VACUUM needs autocommit
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        else:
            cursor.execute(f"ANALYZE {table}")
