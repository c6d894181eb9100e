"""Where uploaded files live: the Django storage named ``private`` in ``STORAGES``.

By default a folder under ``MEUTE_DATA_DIR`` ("files"); any Django storage backend can take its
place (docs/deployment.md). Private files have no public address: they are sent only by views,
after a permission check (:mod:`meute.files.serve`). Stored names are random, never the name
the person gave (that one is kept in the database, cleaned by ``checks.safe_name``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage, storages

from meute.files.checks import Checked


class PrivateFileStorage(FileSystemStorage):
    """A folder whose files have no URL: asking for one is a programming error."""

    def __init__(self, location: str | None = None, **kwargs: Any) -> None:
        kwargs.pop("base_url", None)
        kwargs.setdefault("file_permissions_mode", 0o640)
        kwargs.setdefault("directory_permissions_mode", 0o750)
        super().__init__(location=location, **kwargs)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL; send them with meute.files.serve.file_response")


def private_storage() -> Storage:
    """The storage of private files (``STORAGES["private"]``); usable as a ``FileField``'s storage."""
    return storages["private"]


def stored_name(folder: str, checked: Checked) -> str:
    """A fresh random name under ``folder`` with the content's canonical extension."""
    return f"{folder.strip('/')}/{uuid.uuid4().hex}.{checked.extension}"
