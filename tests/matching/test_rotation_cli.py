"""Tests of ``meute rotation plan``: outputs and bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from meute.commands.rotation import main


def test_plan_writes_json_with_rounds_and_repeats(tmp_path: Path) -> None:
    """The JSON holds one list of tables per round and the repeat count."""
    out = tmp_path / "plan.json"
    code = main(["plan", "--players", "15", "--table-size", "3", "--rounds", "7",
                 "--seconds", "2", "--seed", "1", "--json", str(out)])
    plan = json.loads(out.read_text())
    assert code == 0 and plan["repeats"] == 0 and len(plan["rounds"]) == 7
    assert all(sorted(x for t in rnd for x in t) == list(range(15)) for rnd in plan["rounds"])


def test_plan_prints_the_lower_bound_beside_the_repeats(capsys: pytest.CaptureFixture[str]) -> None:
    """6 players at 2 tables of 3 over 4 rounds seat 24 meetings among 15 pairs: at least 9 repeat."""
    main(["plan", "--players", "6", "--table-size", "3", "--rounds", "4", "--seconds", "1", "--seed", "0"])
    out = capsys.readouterr().out
    assert "repeated meetings (lower bound 9)" in out


def test_uneven_count_gives_tables_of_s_and_s_minus_1(tmp_path: Path) -> None:
    """22 players at tables of 4: 6 tables of 4 or 3."""
    out = tmp_path / "plan.json"
    main(["plan", "--players", "22", "--table-size", "4", "--rounds", "3", "--seconds", "1", "--json", str(out)])
    rounds = json.loads(out.read_text())["rounds"]
    assert all(len(rnd) == 6 and {len(t) for t in rnd} <= {3, 4} for rnd in rounds)


def test_csv_outputs_schedule_and_tables(tmp_path: Path) -> None:
    """--csv DIR writes schedule.csv (one row per participant) and tables.csv."""
    main(["plan", "--players", "12", "--table-size", "4", "--rounds", "3", "--seconds", "1",
          "--csv", str(tmp_path) + "/"])
    schedule = list(csv.reader((tmp_path / "schedule.csv").open()))
    tables = list(csv.reader((tmp_path / "tables.csv").open()))
    assert len(schedule) == 13 and len(schedule[0]) == 4 and len(tables) == 1 + 3 * 3


def test_wishes_file_is_read(tmp_path: Path) -> None:
    """Wishes with a header and a weight are counted in the JSON."""
    wishes = tmp_path / "w.csv"
    wishes.write_text("a,b,weight\n0,1,2\n2,3\n")
    out = tmp_path / "plan.json"
    main(["plan", "--players", "16", "--table-size", "4", "--rounds", "3", "--seconds", "1",
          "--wishes", str(wishes), "--json", str(out)])
    plan = json.loads(out.read_text())
    assert plan["wished_total"] == 2 and plan["wished_met"] == 2


@pytest.mark.parametrize(
    ("args", "pair_file"),
    [
        (["--players", "3", "--table-size", "4", "--rounds", "2"], None),
        (["--players", "10", "--table-size", "2", "--rounds", "0"], None),
        (["--players", "10", "--table-size", "2", "--rounds", "2", "--wishes"], "0,1\n0,99\n"),
        (["--players", "10", "--table-size", "2", "--rounds", "2", "--conflicts"], "0,1,2,3\n"),
        (["--players", "10", "--table-size", "2", "--rounds", "2", "--wishes"], "0,1\n\"open\n"),
        (["--players", "10", "--table-size", "2", "--rounds", "2", "--wishes"], "0,1,heavy\n"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, args: list[str], pair_file: str | None,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Bad input prints an error, returns 2 and writes no file."""
    if pair_file is not None:
        (tmp_path / "pairs.csv").write_text(pair_file)
        args = [*args, str(tmp_path / "pairs.csv")]
    out = tmp_path / "plan.json"
    code = main(["plan", *args, "--seconds", "1", "--json", str(out), "--csv", str(tmp_path / "x")])
    assert code == 2 and not out.exists() and not list(tmp_path.glob("x_*"))
    assert "error" in capsys.readouterr().err
