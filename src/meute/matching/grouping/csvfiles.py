"""CSV files of ``meute groups form``: candidates, sponsors, conflicts (see the docs).

Reference data (communes, NAF codes) is injected as plain callables so that the library
does not depend on it:

* ``locate(insee) -> (lat, lon)`` raises ``LookupError`` for an unknown commune;
* ``check_naf(text) -> code`` normalises a NAF code, raising ``LookupError`` when unknown.

Every error is a :class:`GroupingInputError` naming the file and line.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from meute.matching.grouping.errors import GroupingInputError
from meute.matching.grouping.problem import Candidate, Conflict

Locate = Callable[[str], tuple[float, float]]
CheckNaf = Callable[[str], str]


@dataclass(frozen=True)
class CandidateRow:
    """A candidate as read from the file, with the extras the library does not need."""

    candidate: Candidate
    company: str
    commune: str
    lock: int | None
    competitors: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Sponsor:
    """A sponsor: location, expertise keywords (NAF sections or free words), optional NAF."""

    id: str
    name: str
    lat: float | None
    lon: float | None
    expertise: frozenset[str]
    naf: str | None = None
    commune: str = ""
    capacity: int = 2


@dataclass(frozen=True)
class Facilitator:
    """A facilitator: location, how many groups, which monthly slots (``tue-1;thu-3``)."""

    id: str
    name: str
    lat: float | None
    lon: float | None
    slots: tuple[str, ...]
    capacity: int = 2
    commune: str = ""


def _rows(path: Path, required: set[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = required - set(reader.fieldnames or [])
            if missing:
                raise GroupingInputError(f"{path}, line 1: missing column(s) {', '.join(sorted(missing))}.")
            return [(k, {a: (b or "").strip() for a, b in row.items() if a}) for k, row in enumerate(reader, 2)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GroupingInputError(f"{path}: cannot read the file ({exc}).") from None


def _int(value: str, what: str, where: str) -> int | None:
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        raise GroupingInputError(f"{where}: {what} {value!r} is not a number.") from None


def _place(row: dict[str, str], locate: Locate, where: str) -> tuple[float | None, float | None]:
    if row.get("lat") and row.get("lon"):
        try:
            return float(row["lat"]), float(row["lon"])
        except ValueError:
            raise GroupingInputError(f"{where}: lat/lon must be numbers.") from None
    if row.get("commune"):
        try:
            return locate(row["commune"])
        except (LookupError, ValueError):
            raise GroupingInputError(f"{where}: unknown commune {row['commune']!r} (INSEE code expected).") from None
    return None, None


def _naf(value: str, check_naf: CheckNaf, where: str) -> str | None:
    if not value:
        return None
    try:
        return check_naf(value)
    except (LookupError, ValueError):
        raise GroupingInputError(f"{where}: unknown NAF code {value!r}.") from None


def _split(value: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in value.replace("|", ";").split(";") if t.strip())


def _candidate_row(k: int, row: dict[str, str], path: Path, locate: Locate, check_naf: CheckNaf) -> CandidateRow:
    where = f"{path}, line {k}"
    if not row.get("id"):
        raise GroupingInputError(f"{where}: empty id.")
    lat, lon = _place(row, locate, where)
    lock = _int(row.get("group", ""), "group", where)
    if lock is not None and lock < 1:
        raise GroupingInputError(f"{where}: group numbers start at 1.")
    cand = Candidate(
        id=row["id"],
        name=row.get("name", ""),
        naf=_naf(row.get("naf", ""), check_naf, where),
        lat=lat,
        lon=lon,
        headcount=_int(row.get("headcount", ""), "headcount", where),
        founded=_int(row.get("founded", ""), "founded", where),
        tags=frozenset(_split(row.get("tags", ""))),
    )
    lock = None if lock is None else lock - 1
    return CandidateRow(
        cand, row.get("company", ""), row.get("commune", ""), lock, _split(row.get("competitors", "")), k
    )


def read_candidates(path: Path, locate: Locate, check_naf: CheckNaf) -> list[CandidateRow]:
    """Read ``candidates.csv``; duplicated ids are reported with both lines."""
    out: list[CandidateRow] = []
    seen: dict[str, int] = {}
    for k, row in _rows(path, {"id"}):
        try:
            parsed = _candidate_row(k, row, path, locate, check_naf)
        except GroupingInputError:
            raise
        except ValueError as exc:
            raise GroupingInputError(f"{path}, line {k}: {exc}") from None
        if parsed.candidate.id in seen:
            raise GroupingInputError(
                f"{path}, line {k}: duplicated id {parsed.candidate.id!r} (first on line {seen[parsed.candidate.id]})."
            )
        seen[parsed.candidate.id] = k
        out.append(parsed)
    if not out:
        raise GroupingInputError(f"{path}: no candidates.")
    return out


def read_conflicts(path: Path, index: dict[str, int]) -> list[Conflict]:
    """Read ``conflicts.csv`` (columns ``a,b`` and optional ``reason``)."""
    out = []
    for k, row in _rows(path, {"a", "b"}):
        for col in ("a", "b"):
            if row[col] not in index:
                raise GroupingInputError(f"{path}, line {k}: unknown candidate id {row[col]!r}.")
        if row["a"] == row["b"]:
            raise GroupingInputError(f"{path}, line {k}: a candidate cannot conflict with itself.")
        out.append(Conflict(index[row["a"]], index[row["b"]], row.get("reason") or "declared"))
    return out


def declared_competitors(rows: list[CandidateRow], index: dict[str, int], path: Path) -> list[Conflict]:
    """Conflicts from the optional ``competitors`` column of ``candidates.csv``."""
    out = []
    for r in rows:
        for other in r.competitors:
            if other not in index:
                raise GroupingInputError(f"{path}, line {r.line}: unknown competitor id {other!r}.")
            if other != r.candidate.id:
                out.append(Conflict(index[r.candidate.id], index[other], "declared"))
    return out


def read_sponsors(path: Path, locate: Locate, check_naf: CheckNaf, default_capacity: int = 2) -> list[Sponsor]:
    """Read ``sponsors.csv`` (``id,name,commune|lat,lon,expertise[,naf][,capacity]``)."""
    out, seen = [], set()
    for k, row in _rows(path, {"id"}):
        where = f"{path}, line {k}"
        if not row["id"] or row["id"] in seen:
            raise GroupingInputError(f"{where}: empty or duplicated sponsor id {row['id']!r}.")
        seen.add(row["id"])
        lat, lon = _place(row, locate, where)
        naf = _naf(row.get("naf", ""), check_naf, where)
        expertise = frozenset(_split(row.get("expertise", "")))
        capacity = _capacity(row, default_capacity, where)
        out.append(Sponsor(row["id"], row.get("name", ""), lat, lon, expertise, naf, row.get("commune", ""), capacity))
    return out


def _capacity(row: dict[str, str], default: int, where: str) -> int:
    value = _int(row.get("capacity", ""), "capacity", where)
    if value is not None and value < 0:
        raise GroupingInputError(f"{where}: the capacity must be >= 0.")
    return default if value is None else value


def read_facilitators(path: Path, locate: Locate, default_capacity: int = 2) -> list[Facilitator]:
    """Read ``facilitators.csv`` (``id,name,commune|lat,lon,slots[,capacity]``)."""
    out, seen = [], set()
    for k, row in _rows(path, {"id", "slots"}):
        where = f"{path}, line {k}"
        if not row["id"] or row["id"] in seen:
            raise GroupingInputError(f"{where}: empty or duplicated facilitator id {row['id']!r}.")
        seen.add(row["id"])
        slots = _split(row.get("slots", ""))
        if not slots:
            raise GroupingInputError(f"{where}: facilitator {row['id']} offers no slot (e.g. tue-1;thu-3).")
        lat, lon = _place(row, locate, where)
        capacity = _capacity(row, default_capacity, where)
        out.append(Facilitator(row["id"], row.get("name", ""), lat, lon, slots, capacity, row.get("commune", "")))
    return out
