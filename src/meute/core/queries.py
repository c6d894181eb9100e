"""Reads of the audit log, each checking who asks (rules in :mod:`meute.core.permissions`).

* The site administrator reads every entry, login failures included.
* Network staff read the entries attributed to the networks they manage, and nothing else.
* Every person reads the changes made to their own profile: their account, their leader
  profile and their memberships (login failures are not changes and are not shown there).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from meute.core import permissions
from meute.core.audit import LOGIN_FAILED
from meute.core.models import AuditEntry, AuditEntryNetwork


@dataclass(frozen=True)
class AuditFilters:
    """What the audit page's filters ask for; every field is optional."""

    person: str = ""  # part of the actor's name or e-mail
    obj: str = ""  # part of the object's name
    action: str = ""  # an action code, or its first part ("members", "members.role")
    since: datetime.date | None = None
    until: datetime.date | None = None  # inclusive


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filter_entries(entries: QuerySet[AuditEntry], filters: AuditFilters | None) -> QuerySet[AuditEntry]:
    if filters is None:
        return entries
    if filters.person.strip():
        entries = entries.filter(actor_repr__icontains=filters.person.strip())
    if filters.obj.strip():
        entries = entries.filter(object_repr__icontains=filters.obj.strip())
    if filters.action:
        entries = entries.filter(Q(action=filters.action) | Q(action__startswith=filters.action + "."))
    if filters.since:
        entries = entries.filter(created__gte=_start_of(filters.since))
    if filters.until:
        entries = entries.filter(created__lt=_start_of(filters.until + datetime.timedelta(days=1)))
    return entries


def _readable(entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    return entries.select_related("content_type").prefetch_related("networks").order_by("-created", "-id")


def list_audit_entries(user: Any, *, network: models.Model | None = None, filters: AuditFilters | None = None
                       ) -> QuerySet[AuditEntry]:
    """The entries ``user`` may read: one network's log, or (without ``network``) all they may see.

    Raises :class:`~meute.core.exceptions.NotFound` for anyone who may not read that log.
    """
    if network is not None:
        if not permissions.may_read_network_log(user, network.pk):
            raise permissions.not_found()
        ids: Any = [network.pk]
    elif permissions.is_site_admin(user):
        return _readable(filter_entries(AuditEntry.objects.all(), filters))
    else:
        ids = sorted(permissions.audit_network_ids(user))
        if not ids:
            raise permissions.not_found()
    linked = AuditEntryNetwork.objects.filter(network_id__in=ids).values("entry_id")
    return _readable(filter_entries(AuditEntry.objects.filter(pk__in=linked), filters))


def _own_objects(user: Any) -> list[models.Model]:
    objects: list[models.Model] = [user]
    leader = getattr(user, "leader", None) if user.is_authenticated else None
    if leader is not None:
        objects += [leader, *leader.memberships.all()]
    return objects


def list_profile_entries(user: Any, *, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """The changes made to ``user``'s own account, leader profile and memberships (by anyone)."""
    if not user.is_authenticated:
        raise permissions.not_found()
    by_type: dict[int, list[str]] = {}
    for obj in _own_objects(user):
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        by_type.setdefault(ct.pk, []).append(str(obj.pk))
    about_me = Q()
    for ct_id, ids in by_type.items():
        about_me |= Q(content_type_id=ct_id, object_id__in=ids)
    return _readable(filter_entries(AuditEntry.objects.filter(about_me).exclude(action=LOGIN_FAILED), filters))


def list_actions(entries: QuerySet[AuditEntry]) -> list[str]:
    """The distinct action codes among ``entries`` (for the filter's choices)."""
    return sorted(set(entries.order_by().values_list("action", flat=True).distinct()))
