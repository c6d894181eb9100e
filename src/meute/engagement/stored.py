"""Stored lights: every member's light of a network kept in a table, so the staff cockpit counts
lights and lists members at risk with indexed reads instead of re-aggregating the window.

A stored light (:class:`~meute.engagement.models.StoredLight`) is true until its ``valid_until``:

* **time alone** changes a light when an item leaves the window (six months after the meeting
  or the event) or enters it (a coming event whose check-in is used, once it ends): every
  component says when (:func:`meute.engagement.components.next_change_of`), and the earliest
  moment becomes ``valid_until``;
* **a write** that changes a component's tallies (attendance recorded, an « I can't », a
  registration, a check-in, an event moved or cancelled, a member becoming active) calls
  :func:`touch` in its transaction, which sets ``valid_until`` to now (the model signals wired
  in :mod:`meute.engagement.apps` do it for the two components of this app).

A read (:func:`fresh`) first recomputes the rows whose ``valid_until`` has passed, for those
members only, then reads the table. The daily ``meute engagement-check`` rebuilds the whole
network (:func:`rebuild`); a network never built is built by its first read.

Concurrency: a touch holds the network's :class:`~meute.engagement.models.LightBook` row in
share mode until its transaction ends, and every recomputation holds it exclusively while it
computes and writes, so a recomputation never writes values read before a touching write
committed (the touch waits for it and marks the row again, or the recomputation waits for
the write and reads it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from meute.engagement.components import REGISTRY, Tally
from meute.engagement.lights import GREY, Light, compute_lights, light_for, window
from meute.engagement.models import LightBook, StoredLight

FOREVER = datetime.datetime(3000, 1, 1, tzinfo=datetime.UTC)


def _lock_book(network_id: int, *, share: bool) -> bool:
    """Lock the network's book row (share or exclusive) for the transaction; ``False`` if it has none."""
    if connection.vendor != "postgresql":  # SQLite serialises writers on the whole database
        return LightBook.objects.filter(network_id=network_id).exists()
    mode = "SHARE" if share else "UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {LightBook._meta.db_table} WHERE network_id = %s FOR {mode}", [network_id])
        return cursor.fetchone() is not None


def touch(network_id: int, leader_ids: Iterable[int], *, create: bool = True) -> None:
    """Mark these members' stored lights in the network to recompute at the next read. Call it in the
    transaction of any write that changes what a component counts. A deletion passes ``create=False``:
    it only lowers tallies that already have a row (and the member may be being deleted too)."""
    ids = set(leader_ids)
    if not ids or not _lock_book(network_id, share=True):
        return
    now = timezone.now()
    StoredLight.objects.filter(network_id=network_id, leader_id__in=ids, valid_until__gt=now).update(valid_until=now)
    if not create:
        return
    have = set(StoredLight.objects.filter(network_id=network_id, leader_id__in=ids).values_list("leader_id", flat=True))
    StoredLight.objects.bulk_create([StoredLight(network_id=network_id, leader_id=x, valid_until=now)
                                     for x in sorted(ids - have)], ignore_conflicts=True)


def _next_changes(network_id: int, now: datetime.datetime, ids: list[int] | None) -> dict[int, datetime.datetime]:
    span = window(now)
    result: dict[int, datetime.datetime] = {}
    for component in REGISTRY.values():
        if component.next_change is None:
            continue
        for leader_id, moment in component.next_change(network_id, span, ids).items():
            if leader_id not in result or moment < result[leader_id]:
                result[leader_id] = moment
    return result


def _store(network_id: int, ids: list[int] | None, now: datetime.datetime) -> None:
    """Recompute the lights of ``ids`` (everyone when ``None``) at ``now`` and write them."""
    lights = compute_lights(network_id, ids, now=now)
    changes = _next_changes(network_id, now, ids)
    keep = set(lights) | set(changes)
    gone = StoredLight.objects.filter(network_id=network_id)
    (gone if ids is None else gone.filter(leader_id__in=set(ids) - keep)).delete()
    rows = []
    for leader_id in sorted(keep):
        light = lights.get(leader_id)
        total = light.total if light else Tally()
        rows.append(StoredLight(network_id=network_id, leader_id=leader_id, expected=total.expected,
                                attended=total.attended, excused=total.excused,
                                colour=light.colour if light else GREY,
                                parts={k: list(v) for k, v in light.components.items()} if light else {},
                                valid_until=changes.get(leader_id, FOREVER)))
    StoredLight.objects.bulk_create(rows, batch_size=2000, update_conflicts=True, unique_fields=["network", "leader"],
                                    update_fields=["expected", "attended", "excused", "colour", "parts", "valid_until"])


def rebuild(network_id: int, *, unless_built: bool = False) -> None:
    """Recompute every stored light of the network (the daily check). ``unless_built``: the first
    read's build, skipped when another request built the network while this one waited for the lock."""
    LightBook.objects.get_or_create(network_id=network_id)  # committed first: touches lock it from now on
    with transaction.atomic():
        _lock_book(network_id, share=False)
        if unless_built and LightBook.objects.filter(network_id=network_id, built_at__isnull=False).exists():
            return
        now = timezone.now()
        _store(network_id, None, now)
        LightBook.objects.filter(network_id=network_id).update(built_at=now)


def fresh(network_id: int, leader_ids: list[int] | None = None) -> None:
    """Make the network's stored lights true now (of ``leader_ids`` only, when given): build them once,
    then recompute the expired ones."""
    book = LightBook.objects.filter(network_id=network_id).first()
    if book is None or book.built_at is None:
        rebuild(network_id, unless_built=True)
        return
    rows = StoredLight.objects.filter(network_id=network_id)
    if leader_ids is not None:
        rows = rows.filter(leader_id__among=leader_ids)
    if not rows.filter(valid_until__lte=timezone.now()).exists():
        return
    with transaction.atomic():
        _lock_book(network_id, share=False)
        now = timezone.now()
        expired = list(rows.filter(valid_until__lte=now).values_list("leader_id", flat=True))
        if expired:
            _store(network_id, expired, now)


def lights_of(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Light]:
    """The lights of these (network, leader) pairs, read from the stored lights, made true first
    (:func:`fresh` for these members: a network never built is built, their expired rows are
    recomputed and stored, so the next read finds them true). A member without a row has nothing
    in the window: grey."""
    pairs = set(pairs)
    if not pairs:
        return {}
    networks = sorted({n for n, _l in pairs})
    leaders = sorted({x for _n, x in pairs})
    built = set(LightBook.objects.filter(network_id__among=networks, built_at__isnull=False)
                .values_list("network_id", flat=True))
    found = _stored(networks, leaders)
    now = timezone.now()
    # What fresh() would do work for: a network never built, an expired row of these members.
    stale = {n for n in networks if n not in built}
    stale |= {n for (n, x), row in found.items() if (n, x) in pairs and row.valid_until <= now}
    if stale:
        for network_id in sorted(stale):
            fresh(network_id, sorted(x for n, x in pairs if n == network_id))
        found = _stored(networks, leaders)
    grey = Tally()
    return {(n, x): as_light(found[n, x]) if (n, x) in found else Light(x, n, GREY, grey, {}) for n, x in pairs}


def _stored(networks: list[int], leaders: list[int]) -> dict[tuple[int, int], StoredLight]:
    rows = StoredLight.objects.filter(network_id__among=networks, leader_id__among=leaders)
    return {(r.network_id, r.leader_id): r for r in rows}


def as_light(row: StoredLight) -> Light:
    return light_for(row.leader_id, row.network_id, {k: Tally(*v) for k, v in row.parts.items()})
