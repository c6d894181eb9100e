"""Reads of the library, each filtered by who asks (see :mod:`meute.documents.permissions`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from meute.core.exceptions import NotFound
from meute.core.text import search_terms
from meute.documents import permissions
from meute.documents.models import Document, DocumentLink, DocumentVersion
from meute.documents.tags import normalise_tag


@dataclass(frozen=True)
class DocumentFilters:
    q: str = ""
    tag: str = ""
    network: int | None = None


def list_documents(user: Any, filters: DocumentFilters | None = None) -> QuerySet[Document]:
    """Documents ``user`` may read, searched by folded words and narrowed to a tag or a network."""
    filters = filters or DocumentFilters()
    documents = Document.objects.filter(permissions.visible_filter(user)).select_related("network", "group",
                                                                                         "current")
    for word in search_terms(filters.q):
        documents = documents.filter(search_text__contains=word)
    tag = normalise_tag(filters.tag)
    if tag:
        documents = documents.filter(tags__contains=f",{tag},")
    if filters.network:
        documents = documents.filter(network_id=filters.network)
    return documents


def list_tags(documents: QuerySet[Document]) -> list[tuple[str, int]]:
    """The tags of ``documents`` (already filtered by who asks) with how many documents carry each."""
    counts: dict[str, int] = {}
    for tags in documents.order_by().values_list("tags", flat=True)[:2000]:
        for tag in tags.split(","):
            if tag:
                counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:60]


def access_document(user: Any, document_id: int) -> Document:
    """The document, if ``user`` may read it; otherwise :class:`NotFound` (its existence is not revealed)."""
    document = Document.objects.select_related("network", "group", "current", "uploaded_by").filter(
        pk=document_id).first()
    if document is None or not permissions.can_see_document(user, document):
        raise NotFound("")
    return document


def access_managed_document(user: Any, document_id: int) -> Document:
    """The document, for someone who may manage it; :class:`NotFound` for everyone else."""
    document = access_document(user, document_id)
    if not permissions.can_manage_document(user, document):
        raise NotFound("")
    return document


def access_version(user: Any, document_id: int, version_id: int) -> DocumentVersion:
    """One version of a document ``user`` may read (older versions included)."""
    document = access_document(user, document_id)
    version = document.versions.filter(pk=version_id).first()
    if version is None:
        raise NotFound("")
    version.document = document
    return version


def list_versions(document: Document) -> QuerySet[DocumentVersion]:
    """A document's versions, newest first (for whoever may read the document)."""
    return document.versions.select_related("uploaded_by")


def list_links(user: Any, document: Document) -> list[DocumentLink]:
    """The events and meetings a document is linked from, those ``user`` may see only."""
    from meute.events.permissions import can_see_event
    from meute.peergroups.permissions import can_see_group

    links = document.links.select_related("event", "meeting__group")
    return [link for link in links if (link.event is not None and can_see_event(user, link.event))
            or (link.meeting is not None and can_see_group(user, link.meeting.group))]


def documents_of_event(user: Any, event: Any) -> QuerySet[Document]:
    """The documents linked from ``event`` that ``user`` may read (never more)."""
    return list_documents(user).filter(links__event=event).order_by("title")


def documents_of_meeting(user: Any, meeting: Any) -> QuerySet[Document]:
    """The documents linked from ``meeting`` that ``user`` may read (never more)."""
    return list_documents(user).filter(links__meeting=meeting).order_by("title")
