"""A regional run of ``meute groups form`` under a hard distance, re-checked from its output file."""

from __future__ import annotations

import csv
import pathlib
import random
from collections import Counter, defaultdict

import pytest

from meute.commands.groups import main
from meute.matching.grouping import CompetitorRule, find_competitors, haversine_km
from meute.matching.grouping.csvfiles import read_candidates
from meute.naf.reference import normalise_naf
from meute.territory.reference import commune

FAR_AWAY = ("2A004", "29019", "59350")  # Ajaccio, Brest, Lille: nobody within 40 km
SLOTS = ("mon-1", "tue-1", "wed-2", "thu-2", "fri-3", "tue-3", "thu-4")


def _locate(code: str) -> tuple[float, float]:
    c = commune(code)
    return c.lat, c.lon


def _write(path: pathlib.Path, cols: list[str], rows: list[list[str]]) -> pathlib.Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def regional(tmp_path_factory):
    """1,000 generated candidates over four départements, three isolated ones, sponsors and facilitators."""
    tmp = tmp_path_factory.mktemp("regional")
    cands = tmp / "candidates.csv"
    assert main(["generate", "--candidates", "1000", "--seed", "11", "--departments", "01,38,42,69",
                 "--out", str(cands)]) == 0
    with cands.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for k, code in enumerate(FAR_AWAY):
        rows.append({**rows[k], "id": f"FAR{k}", "commune": code, "competitors": ""})
    _write(cands, list(rows[0]), [list(r.values()) for r in rows])
    rng = random.Random(3)
    towns = [r["commune"] for r in rows[:1000]]
    sponsors = _write(tmp / "sponsors.csv", ["id", "name", "commune", "expertise", "capacity"],
                      [[f"S{k}", f"Sponsor {k}", rng.choice(towns), rng.choice(["M", "K", "export"]), "2"]
                       for k in range(120)])
    facs = _write(tmp / "facilitators.csv", ["id", "name", "commune", "slots", "capacity"],
                  [[f"F{k}", f"Facilitator {k}", rng.choice(towns), ";".join(rng.sample(SLOTS, 3)), "2"]
                   for k in range(50)])
    out = tmp / "groups.csv"
    code = main(["form", str(cands), "--size", "10-12", "--balance", "women,repreneur", "--seed", "1",
                 "--max-km", "40", "--sponsors", str(sponsors), "--facilitators", str(facs),
                 "--seconds", "12", "--out", str(out), "--quiet"])
    assert code == 0
    with out.open(newline="", encoding="utf-8") as fh:
        result = list(csv.DictReader(fh))
    with facs.open(newline="", encoding="utf-8") as fh:
        offered = {r["id"]: set(r["slots"].split(";")) for r in csv.DictReader(fh)}
    return cands, result, offered


def test_partition_and_left_out(regional):
    """Every candidate appears once: in a group of 10-12 or left out (the three isolated ones, with a radius)."""
    _, out, _ = regional
    members = [r for r in out if r["role"] == "member"]
    left = [r for r in out if r["role"] == "left_out"]
    ids = [r["id"] for r in members + left]
    assert len(ids) == len(set(ids)) == 1003
    assert {r["id"] for r in left} >= {"FAR0", "FAR1", "FAR2"}
    assert all("within 40 km" in r["note"] and "nearest feasible radius" in r["note"] for r in left)
    sizes = Counter(r["group"] for r in members)
    assert all(10 <= s <= 12 for s in sizes.values())


def test_every_member_within_the_hard_distance(regional):
    """Recomputed from the communes: no member farther than 40 km from the group's meeting commune."""
    _, out, _ = regional
    worst = 0.0
    for r in out:
        if r["role"] == "member":
            (a, b), (c, d) = _locate(r["commune"]), _locate(r["meeting_commune"])
            worst = max(worst, haversine_km(a, b, c, d))
    assert worst <= 40.0


def test_no_competitors_share_a_group(regional):
    """Recomputed competitors (same NAF classe within 30 km) and declared ones never share a group."""
    cands, out, _ = regional
    rows = read_candidates(cands, _locate, normalise_naf)
    group = {r["id"]: r["group"] for r in out if r["role"] == "member"}
    people = tuple(r.candidate for r in rows)
    for c in find_competitors(people, CompetitorRule(max_km=30)):
        a, b = people[c.a].id, people[c.b].id
        assert a not in group or b not in group or group[a] != group[b]
    for r in rows:
        for other in r.competitors:
            assert group.get(r.candidate.id, "x") != group.get(other, "y")


def test_sponsors_and_facilitators_within_capacity_and_never_clash(regional):
    """2-3 sponsors per group; no sponsor or facilitator above 2 groups or with two groups in one slot."""
    _, out, offered = regional
    slot = {r["group"]: r["slot"] for r in out if r["role"] == "member"}
    per_person: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in out:
        if r["role"] in ("sponsor", "facilitator"):
            per_person[(r["role"], r["id"])].append(r["group"])
    sponsors_of = Counter(r["group"] for r in out if r["role"] == "sponsor")
    assert all(2 <= sponsors_of[g] <= 3 for g in slot)
    for (role, who), groups in per_person.items():
        assert len(groups) <= 2
        slots = [slot[g] for g in groups]
        assert len(set(slots)) == len(slots), (role, who, slots)
        if role == "facilitator":
            assert set(slots) <= offered[who]
