"""Member import pages: upload, preview with an editable column mapping, confirm, progress; add one member."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.core.exceptions import MeuteError
from meute.members.importing import check_add_member
from meute.members.importjobs import check_confirm_import, check_set_mapping, check_start_import
from meute.members.models import ImportJob
from meute.members.queries import access_import_job, access_network
from meute.members.spreadsheet import field_label
from meute.web.imports.forms import AddMemberForm, ImportForm, MappingForm

PREVIEW_ERRORS = 1000


@login_required
def import_members(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug, manage=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = check_start_import(upload, upload.name, network=network, acting_user=request.user)
        except MeuteError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("web:import_job", job_id=job.pk)
    jobs = ImportJob.objects.filter(network=network).select_related("owner")[:10]
    return render(request, "web/imports/members.html", {"form": form, "network": network, "jobs": jobs})


@login_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_import_job(request.user, job_id)
    report = job.report or {}
    errors = report.get("errors", [])
    context = {
        "job": job, "network": job.network, "report": report, "errors": errors[:PREVIEW_ERRORS],
        "more_errors": max(0, len(errors) - PREVIEW_ERRORS), "rejected": len({e["line"] for e in errors}),
        "notes": report.get("notes", [])[:PREVIEW_ERRORS],
        "mapping_form": MappingForm(header=job.header, mapping=job.mapping),
        "mapped": [(title, field_label(name) if name else "") for title, name in zip(job.header, job.mapping,
                                                                                     strict=False)],
    }
    return render(request, "web/imports/job.html", context)


@login_required
@require_POST
def import_mapping(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_import_job(request.user, job_id)
    form = MappingForm(request.POST, header=job.header, mapping=job.mapping)
    if not form.is_valid():
        messages.error(request, _("Choose a field (or “ignore”) for every column."))
    else:
        try:
            check_set_mapping(job, form.mapping(), acting_user=request.user)
        except MeuteError as exc:
            messages.error(request, exc.message)
    return redirect("web:import_job", job_id=job.pk)


@login_required
@require_POST
def import_confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_import_job(request.user, job_id)
    try:
        job = check_confirm_import(job, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    return redirect("web:import_job", job_id=job.pk)


@login_required
def import_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = access_import_job(request.user, job_id)
    return JsonResponse({"status": job.status, "progress": job.progress, "message": job.message,
                         "running": job.running, "url": reverse("web:import_job", args=[job.pk])})


@login_required
def add_member(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug, manage=True)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report, plan = check_add_member(form.cleaned_data, network=network, acting_user=request.user)
        except MeuteError as exc:
            form.add_error(None, exc.message)
        else:
            for error in report.errors:
                form.add_error(error.column if error.column in form.fields else None, error.message)
            if plan is not None:
                for note in plan.notes:
                    messages.info(request, note)
                messages.success(request, {
                    "create": _("%(email)s is added to the network; an invitation is ready to be sent."),
                    "update": _("%(email)s is updated."),
                    "invite": _("%(email)s already has an account: they are invited to join the network."),
                    "unchanged": _("%(email)s is already a member: their profile is kept."),
                }[plan.action] % {"email": plan.row.email})
                return redirect("web:network_members", slug=network.slug)
    return render(request, "web/imports/add_member.html", {"form": form, "network": network})
