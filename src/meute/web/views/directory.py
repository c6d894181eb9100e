from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meute.core.permissions import not_found
from meute.members import permissions
from meute.members.exporting import directory_rows
from meute.members.queries import list_directory, list_directory_export
from meute.web.exports import render_export
from meute.web.forms import DirectoryForm
from meute.web.pagecache import kept_for_viewer
from meute.web.paging import capped_page

PAGE_SIZE = 25
# What a row of the page shows, read as plain values: the rest of the four rows (search texts, consent
# dates…) stays in the database, and no model is built for a row (a third of the list's cost).
PAGE_ROW = (("id", "function", "company_id"), {
    "first_name": F("user__first_name"), "last_name": F("user__last_name"), "company_name": F("company__name"),
    "naf_code": F("company__naf_code"), "company_department": F("company__department_id"),
    "commune": F("company__commune__name"),
})


@kept_for_viewer
@login_required
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    leaders = list_directory(request.user, form.filters())
    page = capped_page(leaders, PAGE_SIZE, request.GET.get("page"), columns=PAGE_ROW)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/directory/list.html", {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "allowed": permissions.can_use_directory(request.user),
        "can_export": permissions.manages_any_network(request.user),
    })


@login_required
def directory_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Staff download the directory rows of their networks' members (404 for everyone else)."""
    if not permissions.manages_any_network(request.user):
        raise not_found()
    form = DirectoryForm(request.GET or None)
    rows = directory_rows(request.user, list_directory_export(request.user, form.filters()))
    return render_export(rows, fmt, "annuaire")
