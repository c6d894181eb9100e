"""State changes of the library: documents, versions, links, deletion; each audited.

A new version is numbered under the document's row lock (``select_for_update``), so two uploads at
once get two numbers and the later one becomes current. Files are checked by their content
(:func:`meute.files.checks.check_upload`) before anything is stored, and stored under random names.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.core.bounds import check_bounds
from meute.core.submissions import create_once
from meute.core.text import fold
from meute.documents import permissions
from meute.documents.exceptions import DocumentError
from meute.documents.models import Document, DocumentLink, DocumentVersion, Scope
from meute.documents.tags import parse_tags
from meute.files.checks import Checked, UploadRefused, check_upload
from meute.files.storage import atomic_with_files, save_private, stored_name
from meute.members.models import Network

DOCUMENT_FIELDS = ("title", "description", "tags", "scope", "group")


def _search_text(document: Document) -> str:
    return fold(" ".join([document.title, document.description, document.tags.replace(",", " ")]))


def _check_fields(network: Network, acting_user: Any, fields: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in fields.items() if k in DOCUMENT_FIELDS}
    fields["title"] = str(fields.get("title") or "").strip()
    fields["description"] = str(fields.get("description") or "").strip()
    fields["tags"] = parse_tags(fields.get("tags", ""))
    check_bounds(Document, {k: fields[k] for k in ("title", "description")}, DocumentError)
    if not fields["title"]:
        raise DocumentError(_("Give the document a title."), field="title")
    scope, group = fields.get("scope") or Scope.NETWORK, fields.get("group")
    if scope not in Scope.values:
        raise DocumentError(_("Choose who may read the document."), field="scope")
    team = permissions.is_team(acting_user, network.pk)
    if scope == Scope.GROUP:
        if group is None or group.network_id != network.pk:
            raise DocumentError(_("Choose a peer group of the network."), field="group")
        if not team and group.facilitator_id != acting_user.pk:
            raise DocumentError(_("You may only add documents to the groups you facilitate."), field="group")
    else:
        group = None
        if not team:
            raise DocumentError(_("As a facilitator, you add documents to your group only."), field="scope")
    fields["scope"], fields["group"] = scope, group
    return fields


def _checked(uploaded: Any) -> Checked:
    if uploaded is None:
        raise DocumentError(_("Choose a file."), field="file")
    try:
        return check_upload(uploaded)
    except UploadRefused as refused:
        raise DocumentError(refused.message, field="file") from refused


def _store(network_id: int, uploaded: Any, checked: Checked) -> str:
    """Save the file inside the caller's :func:`atomic_with_files` block (removed if it does not commit)."""
    return save_private(stored_name(f"documents/{network_id}", checked), uploaded)


# ----------------------------------------------------------------------------- documents

def check_add_document(network: Network, *, acting_user: Any, uploaded: Any, note: str = "",
                       submission: str | None = None, **fields: Any) -> Document:
    """Staff (any scope) or a facilitator (their group's scope) add a document with its first version.
    The same form sent again raises ``Resubmitted`` with the document its first sending added."""
    if not permissions.can_add_documents(acting_user, network):
        raise DocumentError(_("Only the network's staff and its groups' facilitators may add documents."))
    fields = _check_fields(network, acting_user, fields)
    check_bounds(DocumentVersion, {"note": note}, DocumentError)
    checked = _checked(uploaded)
    return do_add_document(network, acting_user=acting_user, uploaded=uploaded, checked=checked, note=note,
                           submission=submission, **fields)


def do_add_document(network: Network, *, acting_user: Any, uploaded: Any, checked: Checked, note: str = "",
                    submission: str | None = None, **fields: Any) -> Document:
    def create(key: str | None) -> Document:
        document = Document(network=network, uploaded_by=acting_user, submission=key, **fields)
        document.search_text = _search_text(document)
        document.save()  # the key's unique index first: a sending that meets it writes no file
        stored = _store(network.pk, uploaded, checked)
        _create_version(document, stored, checked, acting_user=acting_user, note=note)
        log_action("documents.document.created", actor=acting_user, obj=document, network=network.pk,
                   data={"title": document.title, "scope": document.scope, "file": checked.safe_name,
                         "size": checked.size, "sha256": checked.sha256})
        return document

    with atomic_with_files():  # a file saved is removed if nothing commits (a repeat included)
        return create_once(Document.objects.filter(network=network, uploaded_by=acting_user), submission, create)


def _create_version(document: Document, stored: str, checked: Checked, *, acting_user: Any,
                    note: str) -> DocumentVersion:
    """The next version of ``document`` (whose row the caller holds locked or just created)."""
    document.version_count += 1
    version = DocumentVersion.objects.create(
        document=document, number=document.version_count, file=stored, name=checked.safe_name, kind=checked.kind,
        mime=checked.mime, size=checked.size, sha256=checked.sha256, note=note.strip(), uploaded_by=acting_user)
    document.current = version
    document.save(update_fields=["version_count", "current", "updated_at"])
    return version


def check_add_version(document: Document, *, acting_user: Any, uploaded: Any, note: str = "") -> DocumentVersion:
    """A new version of a document, by someone who manages it; it becomes the current one."""
    if not permissions.can_manage_document(acting_user, document):
        raise DocumentError(_("You may not change this document."))
    check_bounds(DocumentVersion, {"note": note}, DocumentError)
    checked = _checked(uploaded)
    return do_add_version(document.pk, acting_user=acting_user, uploaded=uploaded, checked=checked, note=note)


def do_add_version(document_id: int, *, acting_user: Any, uploaded: Any, checked: Checked,
                   note: str = "") -> DocumentVersion:
    with atomic_with_files():
        document = Document.objects.select_for_update().get(pk=document_id)
        stored = _store(document.network_id, uploaded, checked)
        version = _create_version(document, stored, checked, acting_user=acting_user, note=note)
        log_action("documents.version.added", actor=acting_user, obj=document,
                   data={"version": version.number, "file": checked.safe_name, "size": checked.size,
                         "sha256": checked.sha256, "note": version.note})
    return version


def check_update_document(document: Document, *, acting_user: Any, **fields: Any) -> Document:
    """Title, description, tags and scope, changed by someone who manages the document."""
    if not permissions.can_manage_document(acting_user, document):
        raise DocumentError(_("You may not change this document."))
    fields = _check_fields(document.network, acting_user, fields)
    return do_update_document(document.pk, acting_user=acting_user, **fields)


@transaction.atomic
def do_update_document(document_id: int, *, acting_user: Any, **fields: Any) -> Document:
    document = Document.objects.select_for_update().get(pk=document_id)
    before = {k: getattr(document, k) for k in DOCUMENT_FIELDS}
    for name, value in fields.items():
        setattr(document, name, value)
    document.search_text = _search_text(document)
    document.save()
    log_action("documents.document.updated", actor=acting_user, obj=document,
               changes={k: [before[k], getattr(document, k)] for k in DOCUMENT_FIELDS})
    return document


def check_delete_document(document: Document, *, acting_user: Any) -> None:
    """The network's staff delete a document, its versions and their files."""
    if not permissions.can_delete_document(acting_user, document):
        raise DocumentError(_("Only the network's staff may delete a document."))
    do_delete_document(document.pk, acting_user=acting_user)


@transaction.atomic
def do_delete_document(document_id: int, *, acting_user: Any) -> None:
    document = Document.objects.select_for_update().get(pk=document_id)
    log_action("documents.document.deleted", actor=acting_user, obj=document, network=document.network_id,
               data={"title": document.title, "versions": document.version_count})
    document.delete()  # the versions' files follow after commit (documents/signals.py)


# ----------------------------------------------------------------------------- links

def check_link(document: Document, *, acting_user: Any, event: Any = None, meeting: Any = None) -> DocumentLink:
    """Show a document on an event's or a meeting's page of the same network, managed by the person."""
    from meute.events.permissions import can_manage_event
    from meute.peergroups.permissions import can_lead_meetings

    if not permissions.can_manage_document(acting_user, document):
        raise DocumentError(_("You may not change this document."))
    if (event is None) == (meeting is None):
        raise DocumentError(_("Choose an event or a meeting."), field="event")
    if event is not None and (event.network_id != document.network_id or not can_manage_event(acting_user, event)):
        raise DocumentError(_("Choose an event of the network that you manage."), field="event")
    if meeting is not None and (meeting.group.network_id != document.network_id
                                or not can_lead_meetings(acting_user, meeting.group)):
        raise DocumentError(_("Choose a meeting of a group that you lead."), field="meeting")
    if document.links.filter(event=event, meeting=meeting).exists():
        raise DocumentError(_("The document is already linked there."))
    return do_link(document, acting_user=acting_user, event=event, meeting=meeting)


@transaction.atomic
def do_link(document: Document, *, acting_user: Any, event: Any = None, meeting: Any = None) -> DocumentLink:
    Document.objects.select_for_update().filter(pk=document.pk).first()
    link, _created = DocumentLink.objects.get_or_create(document=document, event=event, meeting=meeting,
                                                        defaults={"linked_by": acting_user})
    log_action("documents.document.linked", actor=acting_user, obj=document,
               data={"event": event.pk if event else None, "meeting": meeting.pk if meeting else None,
                     "to": str(event or meeting)})
    return link


def check_unlink(link: DocumentLink, *, acting_user: Any) -> None:
    if not permissions.can_manage_document(acting_user, link.document):
        raise DocumentError(_("You may not change this document."))
    do_unlink(link, acting_user=acting_user)


@transaction.atomic
def do_unlink(link: DocumentLink, *, acting_user: Any) -> None:
    log_action("documents.document.unlinked", actor=acting_user, obj=link.document,
               data={"event": link.event_id, "meeting": link.meeting_id, "to": str(link.event or link.meeting)})
    link.delete()


# ----------------------------------------------------------------------------- erasure

def forget_uploader(user: Any, scrub: Any = None) -> int:
    """A person erased: the network keeps its documents, which no longer name who uploaded them.

    ``scrub(text)`` removes the person's name from the notes they wrote on their versions.
    """
    count = Document.objects.filter(uploaded_by=user).update(uploaded_by=None)
    for version in DocumentVersion.objects.filter(uploaded_by=user):
        version.uploaded_by = None
        version.note = scrub(version.note)[:300] if scrub and version.note else version.note
        version.save(update_fields=["uploaded_by", "note"])
        count += 1
    DocumentLink.objects.filter(linked_by=user).update(linked_by=None)
    return count
