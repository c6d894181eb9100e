"""CSV readers and writers for rotations.

Input files (UTF-8, comma-separated, an optional header row):

* participants: one id per row in the first column (header ``id`` optional);
* wishes: ``a,b`` or ``a,b,weight`` (weight a positive number, default 1);
* conflicts: ``a,b``.

When no participants file is given, participants are the integers ``0..P-1`` and the
pair files must use those numbers. A first row whose first two cells are both
not participant ids is taken as a header; any later bad row is an error.

Output files: ``schedule.csv`` (participant, then the table number, from 1, of each
round; empty when absent) and ``tables.csv`` (round, table, size, participants
separated by spaces), rounds and tables numbered from 1.
"""

from __future__ import annotations

import csv
from collections.abc import Hashable, Sequence
from pathlib import Path

from .problem import RotationInputError
from .result import RotationResult

Id = Hashable


def _rows(path: str | Path) -> list[list[str]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = [[c.strip() for c in row] for row in csv.reader(f)]
    except OSError as exc:
        raise RotationInputError(f"cannot read {path}: {exc.strerror or exc}.") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise RotationInputError(f"{path} is not a readable CSV file: {exc}.") from None
    return [row for row in rows if any(row)]


def read_participants(path: str | Path) -> list[str]:
    """Participant ids (strings), first column, header ``id`` skipped."""
    rows = _rows(path)
    if rows and rows[0][0].lower() in {"id", "participant", "participant_id"}:
        rows = rows[1:]
    ids = [row[0] for row in rows]
    if not ids:
        raise RotationInputError(f"{path} names no participant.")
    if len(set(ids)) != len(ids):
        raise RotationInputError(f"{path} names a participant twice.")
    return ids


def _lookup(known: Sequence[Id]) -> dict[str, Id]:
    return {str(x): x for x in known}


def read_pairs(path: str | Path, known: Sequence[Id], *, weighted: bool) -> list[tuple]:
    """Pairs ``(a, b)`` (or ``(a, b, weight)`` when weighted) of known participants."""
    lookup = _lookup(known)
    out: list[tuple] = []
    kind = "wishes" if weighted else "conflicts"
    for line, row in enumerate(_rows(path), start=1):
        width_ok = len(row) in ((2, 3) if weighted else (2,)) or (len(row) > 2 and not any(row[2:]) and not weighted)
        ids_ok = len(row) >= 2 and row[0] in lookup and row[1] in lookup
        if line == 1 and not any(c in lookup for c in row[:2]):
            continue  # header
        if not width_ok:
            raise RotationInputError(f"{path}, line {line}: {kind} rows are a,b{',weight' if weighted else ''}.")
        if not ids_ok:
            bad = row[0] if row[0] not in lookup else row[1]
            raise RotationInputError(f"{path}, line {line}: unknown participant {bad!r}.")
        pair = (lookup[row[0]], lookup[row[1]])
        if weighted and len(row) == 3 and row[2] != "":
            try:
                weight = float(row[2])
            except ValueError:
                raise RotationInputError(f"{path}, line {line}: weight {row[2]!r} is not a number.") from None
            if not weight > 0:
                raise RotationInputError(f"{path}, line {line}: weight must be positive.")
            out.append((*pair, weight))
        else:
            out.append(pair)
    return out


def csv_paths(target: str | Path) -> tuple[Path, Path]:
    """schedule/tables paths: inside ``target`` if a folder (or ends with /), else prefix_*."""
    text = str(target)
    path = Path(text)
    if path.is_dir() or text.endswith(("/", "\\")):
        return path / "schedule.csv", path / "tables.csv"
    return Path(f"{text}_schedule.csv"), Path(f"{text}_tables.csv")


def write_csv(result: RotationResult, target: str | Path) -> tuple[Path, Path]:
    """Write the per-participant schedule and the per-table plan; return both paths."""
    schedule_path, tables_path = csv_paths(target)
    schedule_path.parent.mkdir(parents=True, exist_ok=True)
    first = result.first_round
    with open(schedule_path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["participant", *[f"round_{first + r + 1}" for r in range(len(result.rounds))]])
        for x, tables in result.schedule().items():
            w.writerow([x, *["" if t is None else t + 1 for t in tables]])
    with open(tables_path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["round", "table", "size", "participants"])
        for r, rnd in enumerate(result.rounds):
            for t, table in enumerate(rnd):
                w.writerow([first + r + 1, t + 1, len(table), " ".join(str(x) for x in table)])
    return schedule_path, tables_path
