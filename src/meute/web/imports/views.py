from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from meute.members.exceptions import ImportRejected
from meute.members.importing import COLUMNS
from meute.members.importing import import_members as run_import
from meute.members.queries import access_network
from meute.web.imports.forms import ImportForm


@login_required
def import_members(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug, manage=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = run_import(upload, upload.name, network=network, acting_user=request.user)
        except ImportRejected as exc:
            form.add_error("file", exc.message)
        else:
            if report.ok:
                messages.success(request, _("%(c)s members created, %(u)s updated.")
                                 % {"c": report.created, "u": report.updated})
            else:
                messages.error(request, _("Nothing was imported: %(n)s problems to fix.") % {"n": len(report.errors)})
    return render(request, "web/imports/members.html", {
        "form": form, "network": network, "report": report,
        "columns": [names[0] for names in COLUMNS.values()],
    })
