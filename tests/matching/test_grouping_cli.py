"""Tests of ``meute groups`` (mdgp, form, generate) and of the sponsor assignment."""

from __future__ import annotations

import json
import pathlib

from meute.commands.groups import main
from meute.matching.grouping import Candidate, CompetitorRule
from meute.matching.grouping.sponsors import SponsorCandidate, assign_sponsors

DATA = pathlib.Path(__file__).parent / "data"
HEADER = "id,name,company,naf,commune,headcount,founded,tags,competitors\n"
LYON, VILLEURBANNE, GRENOBLE = "69123", "69266", "38185"


def _candidates(tmp_path: pathlib.Path, n: int = 24, extra: str = "") -> pathlib.Path:
    nafs = ("62.01Z", "43.22A", "69.20Z", "56.10A", "47.11B", "86.21Z", "70.22Z", "41.20A")
    communes = (LYON, VILLEURBANNE, GRENOBLE)
    lines = [
        f"c{i},P{i},Co{i},{nafs[i % 8]},{communes[i % 3]},{i * 3},{1990 + i},{'women' if i % 4 == 0 else ''},\n"
        for i in range(n)
    ]
    path = tmp_path / "candidates.csv"
    path.write_text(HEADER + "".join(lines) + extra)
    return path


def test_mdgp_writes_json(tmp_path):
    """`groups mdgp` writes the objective and 0-based groups as JSON."""
    out = tmp_path / "out.json"
    assert main(["mdgp", str(DATA / "RanReal_n010_ss_01.txt"), "--seconds", "0.3", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert sorted(i for g in data["groups"] for i in g) == list(range(10)) and data["objective"] > 0


def test_mdgp_truncated_file_exits_2(tmp_path, capsys):
    """A truncated MDGPLIB file exits 2, names a line and writes nothing."""
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join((DATA / "RanReal_n010_ss_01.txt").read_text().splitlines()[:10]))
    out = tmp_path / "out.json"
    assert main(["mdgp", str(bad), "--seconds", "0.1", "--json", str(out)]) == 2
    assert "line" in capsys.readouterr().err and not out.exists()


def test_form_writes_groups(tmp_path):
    """`groups form` writes every candidate once, in groups within the size bounds."""
    out = tmp_path / "groups.csv"
    code = main(["form", str(_candidates(tmp_path)), "--size", "5-7", "--seconds", "5", "--out", str(out), "--quiet"])
    rows = out.read_text().splitlines()[1:]
    sizes = {}
    for r in rows:
        sizes[r.split(",")[0]] = sizes.get(r.split(",")[0], 0) + 1
    assert code == 0 and len(rows) == 24 and all(5 <= s <= 7 for s in sizes.values())


def test_form_unknown_naf_exits_2(tmp_path, capsys):
    """An unknown NAF code exits 2 with the line number and writes nothing."""
    path = _candidates(tmp_path, 3, extra="x1,X,Y,99.99Q,69123,1,2000,,\n")
    out = tmp_path / "groups.csv"
    assert main(["form", str(path), "--size", "1-2", "--out", str(out), "--quiet"]) == 2
    assert "line 5" in capsys.readouterr().err and not out.exists()


def test_form_unknown_commune_exits_2(tmp_path, capsys):
    """An unknown commune exits 2 with the line number."""
    path = _candidates(tmp_path, 3, extra="x1,X,Y,62.01Z,00000,1,2000,,\n")
    assert main(["form", str(path), "--size", "1-2", "--out", str(tmp_path / "o.csv"), "--quiet"]) == 2
    assert "line 5" in capsys.readouterr().err


def test_form_duplicate_id_exits_2(tmp_path, capsys):
    """A duplicated id exits 2 naming both lines."""
    path = _candidates(tmp_path, 3, extra="c0,X,Y,62.01Z,69123,1,2000,,\n")
    assert main(["form", str(path), "--size", "1-2", "--out", str(tmp_path / "o.csv"), "--quiet"]) == 2
    assert "duplicated id 'c0' (first on line 2)" in capsys.readouterr().err


def test_form_impossible_bounds_exit_2(tmp_path, capsys):
    """13 candidates with sizes 10-12 exit 2 with the size rule explained, nothing written."""
    out = tmp_path / "groups.csv"
    assert main(["form", str(_candidates(tmp_path, 13)), "--size", "10-12", "--out", str(out), "--quiet"]) == 2
    assert "13 candidates cannot be split" in capsys.readouterr().err and not out.exists()


def test_form_bad_size_exits_2(tmp_path):
    """A malformed --size exits 2."""
    assert main(["form", str(_candidates(tmp_path)), "--size", "12-10", "--out", str(tmp_path / "o.csv")]) == 2


def test_generate_writes_requested_rows(tmp_path):
    """`groups generate` writes N candidates with known NAF codes and communes."""
    out = tmp_path / "gen.csv"
    assert main(["generate", "--candidates", "50", "--seed", "3", "--out", str(out)]) == 0
    assert len(out.read_text().splitlines()) == 51


def test_generate_unknown_region_exits_2(tmp_path):
    """An unknown region code exits 2."""
    assert main(["generate", "--candidates", "5", "--region", "XX", "--out", str(tmp_path / "g.csv")]) == 2


def _member(i: int, naf: str, lat: float = 45.76) -> Candidate:
    return Candidate(id=f"m{i}", naf=naf, lat=lat, lon=4.83)


def test_sponsor_never_competes_with_a_member():
    """A sponsor of the same NAF classe as a nearby member is not given to that group."""
    groups = [[_member(0, "69.20Z")], [_member(1, "62.01Z")]]
    sponsors = [SponsorCandidate("s0", 45.76, 4.83, frozenset(), "69.20Z")]
    plan = assign_sponsors(groups, [g[0] for g in groups], sponsors, competitors=CompetitorRule())
    assert plan.per_group == [[], [0]]


def test_sponsor_prefers_missing_expertise():
    """Between two equally close sponsors, the one bringing expertise the group lacks wins."""
    groups = [[_member(0, "62.01Z")]]
    sponsors = [
        SponsorCandidate("j", 45.76, 4.83, frozenset({"J"})),
        SponsorCandidate("m", 45.76, 4.83, frozenset({"M"})),
    ]
    plan = assign_sponsors(groups, [groups[0][0]], sponsors)
    assert plan.per_group[0][0] == 1


def test_too_few_sponsors_explained():
    """With fewer sponsor places than 2 per group, the plan says so."""
    groups = [[_member(i, "62.01Z")] for i in range(3)]
    sponsors = [SponsorCandidate(f"s{k}", 45.76, 4.83, capacity=1) for k in range(4)]
    plan = assign_sponsors(groups, [g[0] for g in groups], sponsors)
    assert any("only 4 sponsors for 3 groups, 4 places in all" in note for note in plan.notes)


def test_sponsor_conflict_reason_explained():
    """A group short of sponsors because of conflicts names the excluded sponsor and why."""
    groups = [[_member(0, "69.20Z")]]
    sponsors = [SponsorCandidate("s0", 45.76, 4.83, frozenset(), "69.20Z")]
    plan = assign_sponsors(groups, [groups[0][0]], sponsors, competitors=CompetitorRule())
    assert any("s0 conflicts with m0: same NAF classe 69.20 and 0 km apart" in n for n in plan.notes)


def test_declared_sponsor_conflict():
    """A declared sponsor-member conflict keeps the sponsor out of that group."""
    groups = [[_member(0, "62.01Z")]]
    sponsors = [SponsorCandidate("s0", 45.76, 4.83)]
    plan = assign_sponsors(groups, [groups[0][0]], sponsors, declared={("s0", "m0")})
    assert plan.per_group == [[]]


def test_form_bad_max_km_exits_2(tmp_path, capsys):
    """A non-positive --max-km exits 2 with a message and writes nothing."""
    out = tmp_path / "groups.csv"
    assert main(["form", str(_candidates(tmp_path)), "--size", "5-7", "--max-km", "0", "--out", str(out),
                 "--quiet"]) == 2
    assert "--max-km" in capsys.readouterr().err and not out.exists()


def test_form_facilitator_without_slot_exits_2(tmp_path, capsys):
    """A facilitator offering no slot is refused with the line named."""
    facs = tmp_path / "facilitators.csv"
    facs.write_text("id,name,commune,slots\nf1,F,69123,\n")
    out = tmp_path / "groups.csv"
    assert main(["form", str(_candidates(tmp_path)), "--size", "5-7", "--facilitators", str(facs),
                 "--out", str(out), "--quiet"]) == 2
    assert "line 2" in capsys.readouterr().err and not out.exists()


def test_form_radius_nobody_can_meet_exits_2(tmp_path, capsys):
    """A hard radius nobody can meet exits 2, naming the nearest feasible radius."""
    out = tmp_path / "groups.csv"
    assert main(["form", str(_candidates(tmp_path)), "--size", "10-12", "--max-km", "0.5", "--out", str(out),
                 "--quiet"]) == 2
    assert "nearest feasible radius" in capsys.readouterr().err and not out.exists()


def test_form_towns_too_small_leave_the_surplus_out(tmp_path):
    """Three towns of 8 with groups of 5-7 within 0.5 km: one group per town, one left out in each."""
    out = tmp_path / "groups.csv"
    assert main(["form", str(_candidates(tmp_path)), "--size", "5-7", "--max-km", "0.5", "--seconds", "2",
                 "--out", str(out), "--quiet"]) == 0
    rows = out.read_text().splitlines()[1:]
    assert sum(",left_out," in r for r in rows) == 3
    assert len({r.split(",")[0] for r in rows if ",member," in r}) == 3
