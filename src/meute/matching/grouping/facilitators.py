"""Facilitators and meeting slots: every group gets a facilitator and a monthly slot.

A facilitator offers some monthly slots (opaque labels such as ``"tue-1"``: a weekday and
a week of the month) and leads at most ``capacity`` groups (default 2); two groups of one
facilitator never share a slot, so a facilitator has at most ``min(capacity, len(slots))``
groups. Assignment: every (group, facilitator) pair by increasing distance from the
facilitator to the group's meeting place (unknown distances last), greedy; the group takes
the facilitator's first offered slot not yet used by them. Groups left without one are
explained.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from meute.matching.grouping.distances import haversine_km
from meute.matching.grouping.errors import GroupingInputError


@dataclass(frozen=True)
class FacilitatorCandidate:
    """A facilitator: id, optional location, how many groups, which monthly slots."""

    id: str
    slots: tuple[str, ...]
    lat: float | None = None
    lon: float | None = None
    capacity: int = 2

    def __post_init__(self) -> None:
        object.__setattr__(self, "slots", tuple(dict.fromkeys(self.slots)))
        if self.capacity < 0:
            raise GroupingInputError(f"Facilitator {self.id}: the capacity must be >= 0.")


@dataclass(frozen=True)
class FacilitatorPlan:
    """The facilitator (index, or None) and the slot of every group, and explanations."""

    per_group: list[int | None]
    slots: list[str | None]
    notes: list[str] = field(default_factory=list)


def _km(f: FacilitatorCandidate, place: tuple[float, float] | None) -> float:
    if place is None or f.lat is None:
        return float("inf")
    return haversine_km(f.lat, f.lon, place[0], place[1])


def assign_facilitators(
    places: Sequence[tuple[float, float] | None], facilitators: Sequence[FacilitatorCandidate]
) -> FacilitatorPlan:
    """A facilitator and a slot for every group whose meeting place is ``places[g]``."""
    pairs = sorted(
        ((_km(f, places[g]), g, k) for g in range(len(places)) for k, f in enumerate(facilitators)),
        key=lambda x: (x[0], x[1], x[2]),
    )
    per_group: list[int | None] = [None] * len(places)
    slots: list[str | None] = [None] * len(places)
    used: list[list[str]] = [[] for _ in facilitators]
    for _, g, k in pairs:
        f = facilitators[k]
        if per_group[g] is not None or len(used[k]) >= f.capacity:
            continue
        free = [s for s in f.slots if s not in used[k]]
        if not free:
            continue
        per_group[g], slots[g] = k, free[0]
        used[k].append(free[0])
    return FacilitatorPlan(per_group, slots, _notes(per_group, facilitators))


def _notes(per_group: list[int | None], facilitators: Sequence[FacilitatorCandidate]) -> list[str]:
    short = [g for g, k in enumerate(per_group) if k is None]
    if not short:
        return []
    seats = sum(min(f.capacity, len(f.slots)) for f in facilitators)
    notes = [
        f"{len(facilitators)} facilitator(s) can lead {seats} group(s) in all "
        f"(capacity and distinct slots), for {len(per_group)} groups."
    ]
    notes += [f"group {g + 1} has no facilitator: every facilitator is at capacity or out of free slots."
              for g in short]
    return notes


def facilitator_violations(
    per_group: Sequence[int | None], slots: Sequence[str | None], facilitators: Sequence[FacilitatorCandidate]
) -> list[str]:
    """Capacity, offered-slot and slot-clash breaches of a plan, as sentences (empty when valid)."""
    found = []
    load: dict[int, list[int]] = {}
    for g, k in enumerate(per_group):
        if k is not None:
            load.setdefault(k, []).append(g)
    for k, gs in sorted(load.items()):
        f = facilitators[k]
        if len(gs) > f.capacity:
            found.append(f"facilitator {f.id} leads {len(gs)} groups, capacity {f.capacity}")
        taken = [slots[g] for g in gs]
        if any(s not in f.slots for s in taken):
            found.append(f"facilitator {f.id} has a group in a slot they do not offer")
        if len(set(taken)) != len(taken):
            found.append(f"facilitator {f.id} has two groups in the same slot")
    return found
