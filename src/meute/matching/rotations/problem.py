"""The rotation problem: who sits where, round after round.

A :class:`RotationProblem` is frozen and validated on creation. Participants are given
either as a count (ids ``0..n-1``) or as a sequence of hashable ids (strings, ints);
every other field names participants by those ids. Internally the engine works on
indices ``0..n-1`` (see :meth:`RotationProblem.index`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Id = Hashable


class RotationInputError(ValueError):
    """The problem cannot be built from the given input (message says why)."""


@dataclass(frozen=True)
class Weights:
    """Costs of the objective, minimised as one weighted sum (repeats dominate)."""

    repeat: float = 1000.0
    conflict: float = 100.0
    wish: float = 10.0
    mix: float = 1.0
    balance: float = 0.5

    def __post_init__(self) -> None:
        for name in ("repeat", "conflict", "wish", "mix", "balance"):
            if getattr(self, name) < 0:
                raise RotationInputError(f"weight {name!r} must be non-negative.")


def _pair(a: Id, b: Id, what: str, known: Mapping[Id, int]) -> tuple[int, int]:
    for x in (a, b):
        if x not in known:
            raise RotationInputError(f"{what} names unknown participant {x!r}.")
    if a == b:
        raise RotationInputError(f"{what} pairs participant {a!r} with itself.")
    i, j = known[a], known[b]
    return (i, j) if i < j else (j, i)


def table_sizes(present: int, capacities: Sequence[int]) -> list[int]:
    """Balanced sizes on the fewest leading tables of ``capacities`` (water-filling)."""
    if present == 0:
        return []
    total, used = 0, 0
    while total < present:
        if used == len(capacities):
            raise RotationInputError(
                f"{present} participants do not fit at tables of total capacity {total}."
            )
        total += capacities[used]
        used += 1
    caps = list(capacities[:used])
    level = 0
    while sum(min(c, level) for c in caps) < present:
        level += 1
    sizes = [min(c, level - 1) for c in caps]
    for t, c in enumerate(caps):
        if sum(sizes) == present:
            break
        if c >= level:
            sizes[t] += 1
    return sizes


@dataclass(frozen=True)
class RotationProblem:
    """Participants at tables over several rounds.

    * ``participants``: a count n (ids 0..n-1) or a sequence of distinct hashable ids.
    * ``table_size``: one table size (as many tables as needed, sizes differ by at most
      one), or a sequence of table capacities (tables used in order, as few as fit).
    * ``rounds``: number of rounds to plan.
    * ``wishes``: pairs ``(a, b)`` or ``(a, b, weight)`` to seat together once.
    * ``conflicts``: pairs ``(a, b)`` never to seat together (competitors).
    * ``fixed_seats``: participant -> table index kept every round (hosts).
    * ``absent``: participant -> rounds (0-based) they miss.
    * ``attributes``: participant -> value or tuple of values (network, département);
      tablemates sharing a value cost ``weights.mix``.
    * ``history``: rounds already held (tables of ids); pairs met there must not meet
      again. Ids no longer taking part are ignored.
    """

    participants: int | Sequence[Id]
    table_size: int | Sequence[int]
    rounds: int
    wishes: Iterable[tuple[Any, ...]] = ()
    conflicts: Iterable[tuple[Id, Id]] = ()
    fixed_seats: Mapping[Id, int] = field(default_factory=dict)
    absent: Mapping[Id, Iterable[int]] = field(default_factory=dict)
    attributes: Mapping[Id, Any] = field(default_factory=dict)
    history: Sequence[Sequence[Sequence[Id]]] = ()
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self) -> None:
        ids = self._normalise_participants()
        set_ = object.__setattr__
        set_(self, "participants", ids)
        index = {x: i for i, x in enumerate(ids)}
        set_(self, "_index", index)
        self._normalise_tables()
        if not isinstance(self.rounds, int) or self.rounds < 1:
            raise RotationInputError(f"rounds must be a positive integer, got {self.rounds!r}.")
        set_(self, "wishes", self._normalise_wishes(index))
        conflicts = tuple(sorted({_pair(a, b, "a conflict", index) for a, b in map(_two, self.conflicts)}))
        set_(self, "conflicts", tuple((ids[i], ids[j]) for i, j in conflicts))
        self._normalise_absent(index)
        self._normalise_fixed(index)
        set_(self, "attributes", {x: _values(v) for x, v in self.attributes.items() if x in index})
        set_(self, "history", tuple(tuple(tuple(t) for t in rnd) for rnd in self.history))
        for rnd in self.history:
            seated = [x for t in rnd for x in t]
            if len(seated) != len(set(seated)):
                raise RotationInputError("a round of the history seats someone twice.")

    # -- normalisation helpers -------------------------------------------------------
    def _normalise_participants(self) -> tuple[Id, ...]:
        p = self.participants
        if isinstance(p, bool):
            raise RotationInputError("participants must be a count or a sequence of ids.")
        if isinstance(p, int):
            if p < 1:
                raise RotationInputError(f"need at least one participant, got {p}.")
            return tuple(range(p))
        ids = tuple(p)
        if not ids:
            raise RotationInputError("need at least one participant.")
        if len(set(ids)) != len(ids):
            raise RotationInputError("participant ids must be distinct.")
        return ids

    def _normalise_tables(self) -> None:
        size = self.table_size
        if isinstance(size, int) and not isinstance(size, bool):
            if size < 2:
                raise RotationInputError(f"tables must seat at least 2, got {size}.")
            n = len(self.participants)
            if n < size:
                raise RotationInputError(
                    f"{n} participants are fewer than one table of {size}."
                )
            return
        caps = tuple(size)
        if not caps or any(not isinstance(c, int) or c < 1 for c in caps):
            raise RotationInputError("table capacities must be positive integers.")
        if max(caps) < 2:
            raise RotationInputError("at least one table must seat 2 or more.")
        if sum(caps) < len(self.participants):
            raise RotationInputError(
                f"{len(self.participants)} participants exceed the total capacity {sum(caps)}."
            )
        object.__setattr__(self, "table_size", caps)

    def _normalise_wishes(self, index: Mapping[Id, int]) -> tuple[tuple[Id, Id, float], ...]:
        merged: dict[tuple[int, int], float] = {}
        for wish in self.wishes:
            wish = tuple(wish)
            if len(wish) not in (2, 3):
                raise RotationInputError(f"a wish is (a, b) or (a, b, weight), got {wish!r}.")
            weight = float(wish[2]) if len(wish) == 3 else 1.0
            if not math.isfinite(weight) or weight < 0:
                raise RotationInputError(f"wish weight must be a non-negative number, got {wish[2]!r}.")
            key = _pair(wish[0], wish[1], "a wish", index)
            merged[key] = merged.get(key, 0.0) + weight
        ids = self.participants
        return tuple((ids[i], ids[j], w) for (i, j), w in sorted(merged.items()) if w > 0)

    def _normalise_absent(self, index: Mapping[Id, int]) -> None:
        absent: dict[Id, frozenset[int]] = {}
        for x, rounds in self.absent.items():
            if x not in index:
                raise RotationInputError(f"absences name unknown participant {x!r}.")
            rs = frozenset(rounds)
            if any(not isinstance(r, int) or not 0 <= r < self.rounds for r in rs):
                raise RotationInputError(f"absences of {x!r} name a round outside 0..{self.rounds - 1}.")
            absent[x] = rs
        object.__setattr__(self, "absent", absent)
        for r in range(self.rounds):
            self.sizes(r)  # raises when the people present do not fit

    def _normalise_fixed(self, index: Mapping[Id, int]) -> None:
        fixed = dict(self.fixed_seats)
        for x, t in fixed.items():
            if x not in index:
                raise RotationInputError(f"a fixed seat names unknown participant {x!r}.")
            if not isinstance(t, int) or t < 0:
                raise RotationInputError(f"fixed table of {x!r} must be a table index >= 0.")
        for r in range(self.rounds):
            sizes = self.sizes(r)
            load: dict[int, int] = {}
            for x, t in fixed.items():
                if r in self.absent.get(x, ()):
                    continue
                if t >= len(sizes):
                    raise RotationInputError(
                        f"{x!r} is fixed at table {t}, but round {r} only uses {len(sizes)} tables."
                    )
                load[t] = load.get(t, 0) + 1
                if load[t] > sizes[t]:
                    raise RotationInputError(f"too many fixed seats at table {t} in round {r}.")
        object.__setattr__(self, "fixed_seats", fixed)

    # -- queries ---------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of participants."""
        return len(self.participants)

    def index(self, participant: Id) -> int:
        """Index 0..n-1 of a participant id."""
        try:
            return self._index[participant]  # type: ignore[attr-defined]
        except KeyError:
            raise RotationInputError(f"unknown participant {participant!r}.") from None

    def present(self, r: int) -> list[int]:
        """Indices of the participants present in round r."""
        ids = self.participants
        return [i for i, x in enumerate(ids) if r not in self.absent.get(x, ())]

    def capacities(self, present: int) -> list[int]:
        """Table capacities offered to ``present`` people (uniform size: as many as needed)."""
        if isinstance(self.table_size, int):
            return [self.table_size] * max(1, math.ceil(present / self.table_size))
        return list(self.table_size)

    def sizes(self, r: int) -> list[int]:
        """Table sizes used in round r."""
        k = len(self.present(r))
        return table_sizes(k, self.capacities(k))

    def is_uniform(self) -> bool:
        """True for a pure Social Golfer instance: g tables of p, everyone, no extras."""
        return (
            isinstance(self.table_size, int)
            and self.n % self.table_size == 0
            and not self.absent_any()
            and not self.fixed_seats
            and not self.history
        )

    def absent_any(self) -> bool:
        return any(self.absent.values())

    def has_soft_terms(self) -> bool:
        """True when wishes, conflicts or attributes shape the plan."""
        return bool(self.wishes or self.conflicts or self.attributes)


def _two(pair: Any) -> tuple[Id, Id]:
    pair = tuple(pair)
    if len(pair) != 2:
        raise RotationInputError(f"a conflict is a pair (a, b), got {pair!r}.")
    return pair[0], pair[1]


def _values(v: Any) -> tuple[Hashable, ...]:
    if isinstance(v, str | int | float) or v is None:
        return () if v is None or v == "" else (v,)
    return tuple(x for x in v if x is not None and x != "")
