"""Sponsor assignment: 2-3 sponsors per group, never in conflict with a member.

Each sponsor serves at most ``capacity`` groups (default 2), never two groups that meet in
the same monthly slot. A sponsor and a group score
``expertise_weight * (number of the sponsor's expertise keywords the group lacks)
- km / km_per_point`` where km is the distance from the sponsor to the group's meeting
place. The group's "expertise" is the NAF sections and tags of its members. Groups are
served in rounds (first sponsor of every group, then second, then the optional third),
each round greedily by decreasing score, so that no group gets a third sponsor while
another has fewer than two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from meute.matching.grouping.distances import CompetitorRule, haversine_km, naf_levels
from meute.matching.grouping.errors import GroupingInputError
from meute.matching.grouping.problem import Candidate


@dataclass(frozen=True)
class SponsorRule:
    """Bounds and weights of the sponsor assignment."""

    minimum: int = 2
    maximum: int = 3
    expertise_weight: float = 1.0
    km_per_point: float = 20.0

    def __post_init__(self) -> None:
        if not 0 <= self.minimum <= self.maximum or self.km_per_point <= 0:
            raise GroupingInputError("Sponsors per group: need 0 <= minimum <= maximum, km_per_point > 0.")


@dataclass(frozen=True)
class SponsorCandidate:
    """A sponsor as the library sees it: id, optional location and NAF, expertise keywords."""

    id: str
    lat: float | None = None
    lon: float | None = None
    expertise: frozenset[str] = frozenset()
    naf: str | None = None
    capacity: int = 2
    busy: frozenset[str] = frozenset()  # slots of the groups they already sponsor (outside this plan)

    def __post_init__(self) -> None:
        if self.capacity < 0:
            raise GroupingInputError(f"Sponsor {self.id}: the capacity must be >= 0.")
        object.__setattr__(self, "busy", frozenset(self.busy))


@dataclass(frozen=True)
class SponsorPlan:
    """Sponsors (indices into the sponsor list) of every group, and explanations."""

    per_group: list[list[int]]
    notes: list[str] = field(default_factory=list)


def sponsor_conflict(
    s: SponsorCandidate, c: Candidate, rule: CompetitorRule, declared: set[tuple[str, str]]
) -> str | None:
    """Why sponsor ``s`` may not sponsor a group holding ``c`` (None when allowed)."""
    if (s.id, c.id) in declared or (c.id, s.id) in declared:
        return "declared"
    if not (rule.enabled and s.naf and c.naf):
        return None
    classe = naf_levels(s.naf).classe
    if classe != naf_levels(c.naf).classe:
        return None
    if s.lat is None or c.lat is None:
        return f"same NAF classe {classe}, location unknown"
    km = haversine_km(s.lat, s.lon, c.lat, c.lon)
    return f"same NAF classe {classe} and {km:.0f} km apart" if km <= rule.max_km else None


def _coverage(members: Sequence[Candidate]) -> set[str]:
    cover = {t for c in members for t in c.tags}
    cover |= {naf_levels(c.naf).section for c in members if c.naf}
    return cover


def _score(s: SponsorCandidate, cover: set[str], meet: Candidate | None, rule: SponsorRule) -> float:
    value = rule.expertise_weight * len(s.expertise - cover)
    if meet is not None and meet.lat is not None and s.lat is not None:
        value -= haversine_km(s.lat, s.lon, meet.lat, meet.lon) / rule.km_per_point
    return value


def assign_sponsors(
    groups: Sequence[Sequence[Candidate]],
    meeting: Sequence[Candidate | None],
    sponsors: Sequence[SponsorCandidate],
    *,
    competitors: CompetitorRule | None = None,
    declared: set[tuple[str, str]] | None = None,
    rule: SponsorRule | None = None,
    slots: Sequence[str | None] | None = None,
) -> SponsorPlan:
    """Give every group ``rule.minimum``-``rule.maximum`` sponsors, explaining shortfalls.

    ``slots``: the meeting slot of every group (None: unknown); a sponsor never serves two
    groups of the same slot, nor more groups than their ``capacity``."""
    slots = list(slots) if slots is not None else [None] * len(groups)
    rule, competitors, declared = rule or SponsorRule(), competitors or CompetitorRule(), declared or set()
    blocked: dict[tuple[int, int], str] = {}
    scores: list[tuple[float, int, int]] = []
    for g, members in enumerate(groups):
        cover = _coverage(members)
        for s, sp in enumerate(sponsors):
            why = next((f"{c.id}: {r}" for c in members if (r := sponsor_conflict(sp, c, competitors, declared))), None)
            if why:
                blocked[(g, s)] = why
            else:
                scores.append((_score(sp, cover, meeting[g], rule), g, s))
    scores.sort(key=lambda x: (-x[0], x[1], x[2]))
    per_group: list[list[int]] = [[] for _ in groups]
    load = [0] * len(sponsors)
    busy: list[set[str]] = [set(s.busy) for s in sponsors]
    for round_no in range(rule.maximum):
        for _, g, s in scores:
            if len(per_group[g]) != round_no or load[s] >= sponsors[s].capacity or s in per_group[g]:
                continue
            if slots[g] is not None and slots[g] in busy[s]:
                continue
            per_group[g].append(s)
            load[s] += 1
            if slots[g] is not None:
                busy[s].add(slots[g])
    return SponsorPlan(per_group, _notes(per_group, sponsors, blocked, rule, slots))


def _notes(
    per_group: list[list[int]],
    sponsors: Sequence[SponsorCandidate],
    blocked: dict[tuple[int, int], str],
    rule: SponsorRule,
    slots: Sequence[str | None],
) -> list[str]:
    short = [g for g, s in enumerate(per_group) if len(s) < rule.minimum]
    if not short:
        return []
    notes = []
    need = rule.minimum * len(per_group)
    seats = sum(s.capacity for s in sponsors)
    if seats < need:
        notes.append(
            f"only {len(sponsors)} sponsors for {len(per_group)} groups, {seats} places in all "
            f"({rule.minimum} needed per group, {need} in all)."
        )
    for g in short:
        reasons = [f"{sponsors[s].id} conflicts with {why}" for (gg, s), why in blocked.items() if gg == g][:5]
        full = [sponsors[s].id for s in range(len(sponsors)) if (g, s) not in blocked and s not in per_group[g]]
        if full:
            busy = f" or already meeting in slot {slots[g]}" if slots[g] is not None else ""
            reasons.append(f"{', '.join(full[:5])} at capacity{busy}")
        extra = f"; {'; '.join(reasons)}" if reasons else ""
        notes.append(f"group {g + 1} has {len(per_group[g])} sponsor(s), fewer than {rule.minimum}{extra}.")
    return notes


def sponsor_violations(
    per_group: Sequence[Sequence[int]], sponsors: Sequence[SponsorCandidate], slots: Sequence[str | None]
) -> list[str]:
    """Capacity or slot clashes of a sponsor plan, as sentences (empty when valid)."""
    found = []
    load: dict[int, list[int]] = {}
    for g, chosen in enumerate(per_group):
        for s in chosen:
            load.setdefault(s, []).append(g)
    for s, gs in sorted(load.items()):
        sp = sponsors[s]
        if len(gs) > sp.capacity:
            found.append(f"sponsor {sp.id} serves {len(gs)} groups, capacity {sp.capacity}")
        if len(set(gs)) != len(gs):
            found.append(f"sponsor {sp.id} is listed twice in one group")
        taken = [slots[g] for g in gs if slots[g] is not None]
        if len(set(taken)) != len(taken):
            found.append(f"sponsor {sp.id} has two groups in the same slot")
    return found
