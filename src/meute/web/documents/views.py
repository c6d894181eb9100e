"""The library: documents a person may read (search, tags), adding one, its page with its
versions and links, downloads, new versions, links to events and meetings, deletion."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.core.audit import entries_for
from meute.core.bounds import parse_id
from meute.core.exceptions import MeuteError
from meute.core.submissions import Resubmitted
from meute.documents import permissions
from meute.documents.models import Scope
from meute.documents.queries import (
    DocumentFilters,
    access_document,
    access_managed_document,
    access_version,
    list_documents,
    list_links,
    list_tags,
    list_versions,
)
from meute.documents.services import (
    check_add_document,
    check_add_version,
    check_delete_document,
    check_link,
    check_unlink,
    check_update_document,
)
from meute.files.serve import file_response
from meute.members.models import Network
from meute.members.queries import access_network
from meute.web.documents.forms import DocumentFieldsForm, DocumentForm, LinkForm, SearchForm, VersionForm
from meute.web.forms import add_domain_error
from meute.web.once import already_sent
from meute.web.paging import capped_page

PER_PAGE = 30


def _networks_to_add(user) -> list[Network]:
    if not user.is_authenticated:
        return []
    return [n for n in Network.objects.filter(pk__in=permissions.belongs_to(user)).order_by("name")
            if permissions.can_add_documents(user, n)]


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    search = SearchForm(request.GET or None)
    data = search.cleaned_data if search.is_valid() else {}
    filters = DocumentFilters(q=data.get("q") or "", tag=data.get("tag") or "", network=data.get("network"))
    found = list_documents(request.user, filters)
    page = capped_page(found, PER_PAGE, request.GET.get("page"))
    query = urlencode({k: v for k, v in (("q", filters.q), ("tag", filters.tag), ("network", filters.network)) if v})
    return render(request, "web/documents/list.html", {
        "page": page, "paginator": page.paginator, "filters": filters, "search": search, "query": query,
        "tags": list_tags(list_documents(request.user, DocumentFilters(network=filters.network))),
        "networks_to_add": _networks_to_add(request.user),
    })


def _scopes_for(user, network: Network) -> list[str]:
    """The scopes the person may choose: all for staff (a peer group only if the network has one)."""
    if not permissions.is_team(user, network.pk):
        return [Scope.GROUP]
    return [s for s in Scope.values if s != Scope.GROUP or network.peer_groups.exists()]


def _groups_for(user, network: Network) -> list:
    if permissions.is_team(user, network.pk):
        return list(network.peer_groups.order_by("name"))
    return permissions.led_groups(user, network)


@login_required
def document_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = access_network(request.user, slug)
    if not permissions.can_add_documents(request.user, network):
        raise Http404
    groups, scopes = _groups_for(request.user, network), _scopes_for(request.user, network)
    form = DocumentForm(request.POST or None, request.FILES or None, groups=groups, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        try:
            document = check_add_document(network, acting_user=request.user, uploaded=form.cleaned_data["file"],
                                          note=form.cleaned_data.get("note", ""),
                                          submission=form.cleaned_data.get("submission"), **form.document_fields())
        except Resubmitted as repeat:
            already_sent(request, _("This form was already sent: the document was added once."))
            return redirect("web:document", document_id=repeat.obj.pk)
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The document is in the library."))
            return redirect("web:document", document_id=document.pk)
    return render(request, "web/documents/edit.html", {"form": form, "network": network, "document": None})


def _link_form(request: HttpRequest, document, data=None) -> LinkForm | None:
    from meute.events.models import Event
    from meute.events.permissions import can_manage_event
    from meute.peergroups.models import Meeting
    from meute.peergroups.permissions import can_lead_meetings

    user = request.user
    since = timezone.now() - datetime.timedelta(days=60)
    events = [e for e in Event.objects.filter(network_id=document.network_id, ends_at__gte=since)
              .order_by("starts_at")[:100] if can_manage_event(user, e)]
    meetings = [m for m in Meeting.objects.filter(group__network_id=document.network_id, ends_at__gte=since)
                .select_related("group").order_by("starts_at")[:200] if can_lead_meetings(user, m.group)]
    if document.scope == Scope.GROUP:
        meetings = [m for m in meetings if m.group_id == document.group_id]
    if not events and not meetings:
        return None
    return LinkForm(data, events=events, meetings=meetings)


def _page(request: HttpRequest, document, **forms) -> dict:
    user = request.user
    manage = permissions.can_manage_document(user, document)
    team = permissions.is_team(user, document.network_id)
    context = {
        "document": document, "versions": list_versions(document), "links": list_links(user, document),
        "manage": manage, "can_delete": permissions.can_delete_document(user, document),
        "history": entries_for(document).select_related("actor")[:30] if team else None,
    }
    if manage:
        context["version_form"] = forms.get("version_form") or VersionForm()
        context["link_form"] = forms.get("link_form") or _link_form(request, document)
        context["edit_form"] = forms.get("edit_form") or DocumentFieldsForm(
            groups=_groups_for(user, document.network), scopes=_scopes_for(user, document.network),
            initial={"title": document.title, "description": document.description, "scope": document.scope,
                     "tags": ", ".join(document.tag_list), "group": document.group_id})
    return context


@login_required
def document(request: HttpRequest, document_id: int) -> HttpResponse:
    doc = access_document(request.user, document_id)
    return render(request, "web/documents/detail.html", _page(request, doc))


@login_required
def document_download(request: HttpRequest, document_id: int) -> HttpResponse:
    doc = access_document(request.user, document_id)
    if doc.current is None:
        raise Http404
    version = doc.current
    return file_response(request, version.file, name=version.name, mime=version.mime,
                         inline=request.GET.get("inline") == "1")


@login_required
def version_download(request: HttpRequest, document_id: int, version_id: int) -> HttpResponse:
    version = access_version(request.user, document_id, version_id)
    return file_response(request, version.file, name=version.name, mime=version.mime,
                         inline=request.GET.get("inline") == "1")


@login_required
def version_create(request: HttpRequest, document_id: int) -> HttpResponse:
    doc = access_managed_document(request.user, document_id)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = check_add_version(doc, acting_user=request.user, uploaded=form.cleaned_data["file"],
                                        note=form.cleaned_data.get("note", ""))
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Version %(n)s is now the current one.") % {"n": version.number})
            return redirect("web:document", document_id=doc.pk)
    if request.method != "POST":
        return redirect("web:document", document_id=doc.pk)
    return render(request, "web/documents/detail.html", _page(request, doc, version_form=form), status=400)


@login_required
@require_POST
def document_update(request: HttpRequest, document_id: int) -> HttpResponse:
    doc = access_managed_document(request.user, document_id)
    form = DocumentFieldsForm(request.POST, groups=_groups_for(request.user, doc.network),
                              scopes=_scopes_for(request.user, doc.network))
    if form.is_valid():
        try:
            check_update_document(doc, acting_user=request.user, **form.document_fields())
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The document is saved."))
            return redirect("web:document", document_id=doc.pk)
    return render(request, "web/documents/detail.html", _page(request, doc, edit_form=form), status=400)


@login_required
@require_POST
def document_link(request: HttpRequest, document_id: int) -> HttpResponse:
    doc = access_managed_document(request.user, document_id)
    form = _link_form(request, doc, request.POST)
    if form is None:
        messages.error(request, _("No event or meeting of yours to link it to."))
        return redirect("web:document", document_id=doc.pk)
    if form.is_valid():
        try:
            check_link(doc, acting_user=request.user, **form.chosen())
        except MeuteError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The document is linked."))
            return redirect("web:document", document_id=doc.pk)
    return render(request, "web/documents/detail.html", _page(request, doc, link_form=form), status=400)


@login_required
@require_POST
def document_unlink(request: HttpRequest, document_id: int, link_id: int) -> HttpResponse:
    doc = access_managed_document(request.user, document_id)
    link = doc.links.filter(pk=parse_id(link_id)).first()
    if link is None:
        raise Http404
    link.document = doc
    try:
        check_unlink(link, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The link is removed."))
    return redirect("web:document", document_id=doc.pk)


@login_required
@require_POST
def document_delete(request: HttpRequest, document_id: int) -> HttpResponse:
    doc = access_document(request.user, document_id)
    if not permissions.can_delete_document(request.user, doc):
        raise Http404
    try:
        check_delete_document(doc, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
        return redirect("web:document", document_id=doc.pk)
    messages.success(request, _("The document is deleted."))
    return redirect("web:documents")
