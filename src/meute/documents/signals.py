"""A version's file leaves the storage once its row is deleted and the deletion committed:
by ``do_delete_document``, or by a cascade (a peer group or a network deleted)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from meute.documents.models import DocumentVersion


@receiver(post_delete, sender=DocumentVersion, dispatch_uid="documents_version_file")
def delete_version_file(sender: Any, instance: DocumentVersion, **kwargs: Any) -> None:
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
