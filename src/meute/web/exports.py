"""Turn rows (dicts) into a CSV or XLSX download.

Every file meute writes goes through here, so that no cell is ever run as a formula by the
spreadsheet that opens it: CSV cells that begin like a formula get a leading apostrophe
(OWASP's advice for CSV injection), and XLSX cells are written as text, never as formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import Http404, HttpResponse

# What a spreadsheet reads as the start of a formula (or of a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell's text, prefixed with an apostrophe when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text_cell(sheet, value: object):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
    cell.data_type = "s"  # stored as a string: never evaluated, whatever it starts with
    return cell


def render_export(rows: Iterable[dict[str, str]], fmt: str, basename: str) -> HttpResponse:
    rows = list(rows)
    header = list(rows[0].keys()) if rows else []
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([safe_cell(k) for k in header])
        writer.writerows([safe_cell(row[k]) for k in header] for row in rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(basename[:31])
        sheet.append([_text_cell(sheet, k) for k in header])
        for row in rows:
            sheet.append([_text_cell(sheet, row[k]) for k in header])
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404("Unknown export format.")
    response["Content-Disposition"] = f'attachment; filename="{basename}.{fmt}"'
    return response
