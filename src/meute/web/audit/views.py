"""The audit log pages: a network's log for its staff, the whole log for the site administrator,
and each person's history of changes to their own profile. Reads go through :mod:`meute.core.queries`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meute.core.models import AuditEntry
from meute.core.permissions import is_site_admin
from meute.core.queries import list_actions, list_audit_entries, list_profile_entries
from meute.members.queries import access_network
from meute.web.audit.exports import csv_response
from meute.web.audit.forms import AuditFilterForm
from meute.web.paging import capped_page

PAGE_SIZE = 50
EXPORT_CHUNK = 2000


def _field(entry: AuditEntry, name: str) -> Any:
    model = entry.content_type.model_class() if entry.content_type_id and entry.content_type else None
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def _value(value: Any, choices: dict[str, str]) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return pgettext("audit", "yes")
    if value is False:
        return pgettext("audit", "no")
    if isinstance(value, list):
        return ", ".join(_value(v, choices) for v in value)
    return str(choices.get(str(value), value))


def change_rows(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """``(field label, old, new)`` for each change of an entry, with the field's and choices' names."""
    rows = []
    for name, pair in entry.changes.items():
        if not (isinstance(pair, list) and len(pair) == 2):
            continue
        field = _field(entry, name)
        label = str(getattr(field, "verbose_name", name))
        choices = {str(k): str(v) for k, v in getattr(field, "flatchoices", None) or []}
        rows.append((label, _value(pair[0], choices), _value(pair[1], choices)))
    return rows


def change_text(entry: AuditEntry) -> str:
    return "; ".join(f"{label}: {old} → {new}" for label, old, new in change_rows(entry))


def _query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _log_page(request: HttpRequest, base: QuerySet[AuditEntry], entries_for: Any, context: dict[str, Any],
              export_name: str) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, actions=list_actions(base))
    entries = entries_for(form.filters())
    if request.GET.get("format") == "csv":
        return csv_response(entries.iterator(chunk_size=EXPORT_CHUNK), export_name, change_text)
    page = capped_page(entries, PAGE_SIZE, request.GET.get("page"))
    for entry in page:
        entry.change_rows = change_rows(entry)
        entry.action_parts = entry.action.split(".")
        entry.type_label = (entry.content_type.model_class()._meta.verbose_name
                            if entry.content_type_id and entry.content_type and entry.content_type.model_class()
                            else "")
    query = _query(request)
    return render(request, "web/audit/log.html", {
        **context, "form": form, "page": page, "query": query,
        "csv_query": f"{query}&format=csv" if query else "format=csv",
    })


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The site administrator's whole log; staff see the entries of every network they manage."""
    user = request.user
    return _log_page(request, list_audit_entries(user), lambda f: list_audit_entries(user, filters=f), {
        "title": _("Audit log") if is_site_admin(user) else _("Audit log of my networks"),
        "show_networks": True,
    }, "journal")


@login_required
def network_audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    """A network's log, for its staff (and the site administrator)."""
    user = request.user
    network = access_network(user, slug, manage=True)
    return _log_page(request, list_audit_entries(user, network=network),
                     lambda f: list_audit_entries(user, network=network, filters=f), {
        "title": _("Audit log of %(n)s") % {"n": network.name}, "network": network,
    }, f"journal-{network.slug}")


@login_required
def my_history(request: HttpRequest) -> HttpResponse:
    """Who changed what on my account, my profile and my memberships, and when."""
    user = request.user
    return _log_page(request, list_profile_entries(user), lambda f: list_profile_entries(user, filters=f), {
        "title": _("History of my profile"), "mine": True,
    }, "historique-profil")
