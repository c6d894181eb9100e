"""Turn rows (dicts) into a CSV or XLSX download."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import Http404, HttpResponse


def render_export(rows: Iterable[dict[str, str]], fmt: str, basename: str) -> HttpResponse:
    rows = list(rows)
    header = list(rows[0].keys()) if rows else []
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        writer.writerows([row[k] for k in header] for row in rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(basename[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([row[k] for k in header])
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404("Unknown export format.")
    response["Content-Disposition"] = f'attachment; filename="{basename}.{fmt}"'
    return response
