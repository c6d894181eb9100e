"""A form sent twice creates one object.

A creation form carries a one-time key (``submission``, a random hex string put in the form when
it is shown); the object stores it in a unique column. A second sending of the same form — a
double click, a reload, two tabs — finds the first object, or, when both arrive at once, meets
the unique index, which makes the second wait for the first to commit and then fail: either way
the caller gets :class:`Resubmitted` with the object the first sending created, and can show it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from meute.core.exceptions import MeuteError

SUBMISSION_MAX = 40
M = TypeVar("M", bound=models.Model)


class Resubmitted(Exception):
    """The form was already sent: ``obj`` is what its first sending created."""

    def __init__(self, obj: Any) -> None:
        super().__init__(f"already created: {obj.pk}")
        self.obj = obj


class SubmissionRefused(MeuteError):
    """A key that is too long, or that some other form already used."""


def new_key() -> str:
    return uuid.uuid4().hex


def submission_field() -> models.CharField:
    """The model column that keeps the key of the form that created the row."""
    return models.CharField(max_length=SUBMISSION_MAX, unique=True, null=True, blank=True, editable=False)


def create_once(mine: models.QuerySet[M], submission: str | None, create: Callable[[str | None], M]) -> M:
    """``create(key)`` in a savepoint, the key stored on the new row by ``create``.

    ``mine`` is where a first object may be looked for and shown (the same author's questions,
    the same network's events): a key found elsewhere is refused, never shown. Without a key
    (a caller that is not a form) it simply creates.
    """
    key = (submission or "").strip() or None
    if key is not None and len(key) > SUBMISSION_MAX:
        raise SubmissionRefused(_("This form has expired: open it again."))
    if key is not None:
        _raise_if_sent(mine, key)
    try:
        with transaction.atomic():
            return create(key)
    except IntegrityError:
        if key is None or not mine.model._default_manager.filter(submission=key).exists():
            raise
        _raise_if_sent(mine, key)
        raise SubmissionRefused(_("This form has expired: open it again.")) from None


def _raise_if_sent(mine: models.QuerySet[Any], key: str) -> None:
    # The key is looked for among all rows first, then that row in ``mine``: a first sending that
    # commits between two looks can then only be found by both (a committed row stays), never
    # missed by the first look and seen by the second, which would refuse a true repeat.
    found = mine.model._default_manager.filter(submission=key).values_list("pk", flat=True).first()
    if found is None:
        return
    first = mine.filter(pk=found).first()
    if first is None:
        raise SubmissionRefused(_("This form has expired: open it again."))
    raise Resubmitted(first)
