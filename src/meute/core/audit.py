"""Writing the audit log. Every service that changes state calls :func:`log_action`."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from meute.core.models import AuditEntry


def log_action(action: str, *, actor: Any, obj: models.Model | None = None, data: dict | None = None) -> AuditEntry:
    """Record that ``actor`` did ``action`` (e.g. ``"members.leader.created"``) on ``obj``."""
    entry = AuditEntry(action=action, data=data or {})
    if actor is not None and getattr(actor, "is_authenticated", False):
        entry.actor = actor
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry


def entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """The audit entries about one object, newest first."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk))
