"""Small JSON look-ups behind the autocompleting fields (web/static/web/lookup.js).

- ``communes/?q=poit``: communes whose name (or postal code, for digits) starts with the text,
  folded (case, accents, "St", a leading article aside), read from the territory reference that
  the territory tables are loaded from; at most ``LIMIT``.
- ``activities/?q=plombier``: NAF sous-classes found by their labels or a trade word
  (``meute.naf.activities``); at most ``LIMIT``.

Both are reference data, public like the nomenclatures themselves: nothing personal is read.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from meute.naf.activities import search_activities
from meute.territory.reference import search_communes

LIMIT = 12
QUERY_MAX = 60


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "")[:QUERY_MAX].strip()


def commune_label(commune) -> str:
    """How a commune is shown and typed back: "Poitiers (86000)"; the field reads it again."""
    codes = sorted(commune.postal_codes)
    return f"{commune.name} ({codes[0]})" if codes else f"{commune.name} ({commune.department})"


@require_GET
@cache_control(max_age=3600)
def communes(request: HttpRequest) -> JsonResponse:
    query = _query(request)
    found = search_communes(query, limit=LIMIT) if len(query) >= 2 else []
    return JsonResponse({"results": [
        {"insee": c.insee, "name": c.name, "department": c.department,
         "postal_codes": sorted(c.postal_codes), "label": commune_label(c)}
        for c in found
    ]})


@require_GET
@cache_control(max_age=3600)
def activities(request: HttpRequest) -> JsonResponse:
    query = _query(request)
    found = search_activities(query, limit=LIMIT) if len(query) >= 2 else []
    return JsonResponse({"results": [
        {"code": n.code, "label": n.label, "text": f"{n.code} {n.label}"} for n in found
    ]})
