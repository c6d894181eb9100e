"""A network's library: documents, their versions (files in the private storage) and their links
from events and peer-group meetings.

State changes go through :mod:`meute.documents.services`; reads through
:mod:`meute.documents.queries`, which apply :mod:`meute.documents.permissions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meute.core import bounds
from meute.core.submissions import submission_field
from meute.files.storage import private_storage

TAGS_MAX = 10  # tags of one document
TAG_MAX = 40  # characters of one tag


class Scope(models.TextChoices):
    """Who may read a document (the network's team always may); the same scopes as questions."""

    TEAM = "team", _("the network's team only")
    GROUP = "group", _("a peer group")
    NETWORK = "network", _("the network")
    TERRITORY = "territory", _("the networks of the territory")


class Document(models.Model):
    """A document of ``network``'s library; its file is its current version's."""

    network = models.ForeignKey("members.Network", on_delete=models.CASCADE, related_name="documents",
                                verbose_name=_("network"))
    submission = submission_field()  # the new-document form's one-time key: sent twice, added once
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, validators=bounds.text(bounds.MESSAGE_MAX))
    # Folded tags between commas (",duerp,rh,"), so that one tag is found with ``contains``.
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    scope = models.CharField(_("who may read it"), max_length=10, choices=Scope.choices, default=Scope.NETWORK)
    group = models.ForeignKey("peergroups.PeerGroup", verbose_name=_("peer group"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    current = models.ForeignKey("DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("current version"))
    version_count = models.PositiveIntegerField(default=0)
    search_text = models.TextField(blank=True, editable=False)  # folded title, description and tags
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(condition=models.Q(scope="group", group__isnull=False)
                                   | (~models.Q(scope="group") & models.Q(group__isnull=True)),
                                   name="documents_group_iff_group_scope"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]


class DocumentVersion(models.Model):
    """One uploaded file of a document; older versions stay downloadable by whoever sees the document."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(storage=private_storage, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(max_length=10)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="documents_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentLink(models.Model):
    """A document shown on an event's page or a meeting's page (to those who may see both)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links")
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="document_links")
    meeting = models.ForeignKey("peergroups.Meeting", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="document_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(event__isnull=False, meeting__isnull=True)
                                   | models.Q(event__isnull=True, meeting__isnull=False),
                                   name="documents_link_one_target"),
            models.UniqueConstraint(fields=["document", "event"], name="documents_link_event_unique"),
            models.UniqueConstraint(fields=["document", "meeting"], name="documents_link_meeting_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.event or self.meeting}"
