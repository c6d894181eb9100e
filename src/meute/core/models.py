"""The audit log: who changed what, when, on which object, in which networks.

Entries are append-only: once saved, an entry is never updated nor deleted. The model and
its manager refuse it in Python, and on PostgreSQL a trigger refuses ``UPDATE`` and
``DELETE`` on both tables (migration ``0003``). Foreign keys carry no database constraint
and are never cascaded, so deleting a person or a network leaves the log as it was
(``actor_repr`` and ``object_repr`` keep what they were called).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from meute.core.exceptions import AppendOnlyError


class AuditQuerySet(models.QuerySet):
    """Reads only: bulk updates and deletes of audit entries are refused."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model._meta.label} rows are append-only: update refused.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model._meta.label} rows are append-only: delete refused.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnlyError(f"{self.model._meta.label} rows are append-only: update refused.")

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{self.model._meta.label} rows are append-only: update refused.")

    _raw_delete = delete  # type: ignore[assignment]


class AppendOnlyModel(models.Model):
    """A row that may be inserted once and never changed or removed."""

    objects = AuditQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} rows are append-only: update refused.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.label} rows are append-only: delete refused.")


class AuditEntry(AppendOnlyModel):
    """One change made through a service, the admin, or a failed login."""

    created = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(_("who"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # {"field": [old, new], ...}: the values before and after the change.
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    networks = models.ManyToManyField(
        "members.Network", through="AuditEntryNetwork", related_name="+", verbose_name=_("networks"), blank=True
    )

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_audit_object_idx")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class AuditEntryNetwork(AppendOnlyModel):
    """An audit entry concerns this network: its staff read the entry in the network's log."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.DO_NOTHING, related_name="network_links")
    network = models.ForeignKey(
        "members.Network", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta(AppendOnlyModel.Meta):
        constraints = [models.UniqueConstraint(fields=["entry", "network"], name="core_audit_network_unique")]
        indexes = [models.Index(fields=["network", "entry"], name="core_audit_network_idx")]
        verbose_name = _("audit entry network")
        verbose_name_plural = _("audit entry networks")

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.network_id}"
