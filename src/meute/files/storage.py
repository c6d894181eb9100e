"""Where uploaded files live: the Django storage named ``private`` in ``STORAGES``.

By default a folder under ``MEUTE_DATA_DIR`` ("files"); any Django storage backend can take its
place (docs/deployment.md). Private files have no public address: they are sent only by views,
after a permission check (:mod:`meute.files.serve`). Stored names are random, never the name
the person gave (that one is kept in the database, cleaned by ``checks.safe_name``).

A file and the row that names it are written together with :func:`atomic_with_files` and
:func:`save_private`: the file is saved inside the block, and deleted again when the block does not
commit (a refusal, a race, a database error after the save), so no file stays without its row.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Iterator
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction

from meute.files.checks import Checked

logger = logging.getLogger(__name__)
_saving = threading.local()  # .blocks: one list of saved names per open atomic_with_files block


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


def _blocks() -> list[list[str]]:
    if not hasattr(_saving, "blocks"):
        _saving.blocks = []
    return _saving.blocks


@contextlib.contextmanager
def atomic_with_files(using: str | None = None) -> Iterator[None]:
    """``transaction.atomic()`` whose files saved by :func:`save_private` are deleted unless it commits.

    Django has no hook for a rollback, so the block keeps the names it saved and deletes the files
    itself when it raises (its own commit failing included). A nested block hands its names to the
    enclosing one when it succeeds, so a later failure of the outer block removes them too. The
    outermost block of an action that saves files must therefore be this one, not a plain ``atomic``.
    """
    blocks = _blocks()
    names: list[str] = []
    blocks.append(names)
    try:
        with transaction.atomic(using=using):
            yield
    except BaseException:
        _delete(names)
        raise
    finally:
        blocks.pop()
    if blocks:
        blocks[-1].extend(names)


def save_private(name: str, content: Any) -> str:
    """Save ``content`` to the private storage under ``name`` inside :func:`atomic_with_files`;
    returns the stored name. The file is deleted again if the block does not commit."""
    blocks = _blocks()
    if not blocks:
        raise RuntimeError("save_private runs inside atomic_with_files(), so a rollback removes the file")
    if hasattr(content, "seek"):
        content.seek(0)
    saved = private_storage().save(name, content)
    blocks[-1].append(saved)
    return saved


def _delete(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # the original error matters more; the file is only left behind
            logger.exception("could not delete the private file %s after a rollback", name)
