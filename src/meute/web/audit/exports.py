"""The audit log as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meute.core.models import AuditEntry
from meute.web.exports import safe_cell as neutralise  # the one formula-cell guard of every export


class _Echo:
    def write(self, value: str) -> str:
        return value


def _row(entry: AuditEntry, change_text: Any) -> list[str]:
    return [
        timezone.localtime(entry.created).strftime("%Y-%m-%d %H:%M:%S"),
        entry.actor_repr,
        entry.action,
        entry.content_type.model if entry.content_type_id and entry.content_type else "",
        entry.object_id,
        entry.object_repr,
        change_text(entry),
        json.dumps(entry.data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True) if entry.data else "",
        ", ".join(n.name for n in entry.networks.all()),
    ]


def csv_response(entries: Iterable[AuditEntry], basename: str, change_text: Any) -> StreamingHttpResponse:
    """Stream every entry (newest first) as a ``;``-separated CSV with a BOM for spreadsheets."""
    header = [_("When"), _("Who"), pgettext("audit", "Action"), pgettext("audit", "Object type"),
              pgettext("audit", "Object id"), pgettext("audit", "Object"), pgettext("audit", "Changes"),
              _("Details"), _("Networks")]
    writer = csv.writer(_Echo(), delimiter=";")

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([neutralise(h) for h in header])
        for entry in entries:
            yield writer.writerow([neutralise(cell) for cell in _row(entry, change_text)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{basename}.csv"'
    return response
