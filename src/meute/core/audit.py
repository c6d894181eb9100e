"""Writing the audit log. Every service that changes state calls :func:`log_action`.

An entry says who (``actor``) did what (``action``, e.g. ``"members.network.updated"``) on
which object (``obj``), with the values before and after (``changes``), free details
(``data``) and the networks it concerns (whose staff read it in their network's log).

Changes are recorded one way everywhere: ``changes={"field": [old, new], ...}``. Build it by
hand, or take two :func:`snapshot` of the object around the change and :func:`diff` them::

    before = snapshot(event, ["title", "capacity"])
    ...  # change the event
    log_action("events.event.updated", actor=user, obj=event,
               changes=diff(before, snapshot(event, ["title", "capacity"])))

The networks come from ``network=`` when given (a network, an id, or several), else from
the object: a network itself, an object with a ``network`` (or ``programme``) foreign key,
or one whose parent has one (a registration's event, a meeting's group…). Entries are
append-only (see :mod:`meute.core.models`).
"""

from __future__ import annotations

import datetime
import decimal
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from meute.core.models import AuditEntry, AuditEntryNetwork

NETWORK_FIELDS = ("network", "programme")
LOGIN_FAILED = "accounts.login.failed"  # a failed login: the only entry not about a change
PARENT_DEPTH = 3


def _network_model() -> type[models.Model]:
    return AuditEntry.networks.field.related_model


def plain(value: Any) -> Any:
    """A value as it is stored in ``changes``: JSON-friendly, objects by their name."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal | datetime.date | datetime.time | datetime.timedelta):
        return value  # the JSON encoder writes them as text
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def snapshot(instance: models.Model | None, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` on ``instance`` (a missing instance gives ``None`` for each)."""
    return {name: plain(getattr(instance, name, None)) if instance is not None else None for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{"field": [old, new]}`` for every field whose value differs between two snapshots."""
    changes = {}
    for name in dict.fromkeys([*before, *after]):
        old, new = plain(before.get(name)), plain(after.get(name))
        if old != new:
            changes[name] = [old, new]
    return changes


@functools.cache
def _network_path(model: type[models.Model], depth: int = 0) -> tuple[str, ...] | None:
    """Foreign-key names leading from ``model`` to a network, e.g. ``("meeting", "group", "network")``."""
    network_model = _network_model()
    if model is network_model:
        return ()
    fields = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for f in fields:
        if f.name in NETWORK_FIELDS and f.related_model is network_model:
            return (f.name,)
    if depth < PARENT_DEPTH:
        for f in fields:
            if f.related_model is network_model or f.primary_key:
                continue
            rest = _network_path(f.related_model, depth + 1)
            if rest:  # a parent with a network of its own (not a bare network reference)
                return (f.name, *rest)
    return None


def network_ids_of(obj: models.Model | None) -> set[int]:
    """The networks an object belongs to, found through its foreign keys (empty if none)."""
    if obj is None:
        return set()
    path = _network_path(obj._meta.model)  # not type(obj): request.user is a lazy wrapper
    if path is None:
        return set()
    if not path:
        return {obj.pk}
    path = list(path)
    target: Any = obj
    for name in path[:-1]:
        target = getattr(target, name, None)
        if target is None:
            return set()
    value = getattr(target, f"{path[-1]}_id", None)
    return {value} if value is not None else set()


def _network_ids(network: Any) -> set[int]:
    if network is None:
        return set()
    if isinstance(network, models.Model):
        return {network.pk}
    if isinstance(network, int):
        return {network}
    if isinstance(network, str | bytes):
        raise TypeError("log_action(network=) takes networks or their ids, not text.")
    return set().union(*(_network_ids(n) for n in network))


def actor_repr(actor: Any) -> str:
    """How an entry names its actor at the time: « name <e-mail> »."""
    name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    email = getattr(actor, "email", "") or ""
    return (f"{name} <{email}>" if name and email else name or email or str(actor))[:300]


def log_action(
    action: str,
    *,
    actor: Any,
    obj: models.Model | None = None,
    data: dict | None = None,
    changes: Mapping[str, Any] | None = None,
    network: Any = None,
) -> AuditEntry:
    """Record that ``actor`` did ``action`` on ``obj``.

    ``changes`` maps each changed field to ``[old, new]`` (see :func:`diff`); pairs whose
    values are equal are dropped. ``network`` (a network, an id or an iterable of them)
    overrides the networks derived from ``obj``.
    """
    ids = _network_ids(network) if network is not None else network_ids_of(obj)
    entry = AuditEntry(action=action, data=data or {})
    if changes:
        entry.changes = {
            str(name): [plain(old), plain(new)] for name, (old, new) in changes.items() if plain(old) != plain(new)
        }
    if actor is not None and getattr(actor, "is_authenticated", False):
        entry.actor = actor
        entry.actor_repr = actor_repr(actor)
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    with transaction.atomic():  # the entry and its networks, together
        entry.save()
        AuditEntryNetwork.objects.bulk_create([AuditEntryNetwork(entry=entry, network_id=i) for i in sorted(ids)])
    return entry


def entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """The audit entries about one object, newest first."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk))


# The one sanctioned rewrite of stored entries: the erasure of a person (GDPR). What happened
# (action, date, actor and object ids, networks) stays; only the text that names the person
# (``actor_repr``, ``object_repr``, ``data``, ``changes``) is rewritten. On PostgreSQL the
# append-only trigger lets such an update through only inside this function's transaction
# (the ``meute.audit_redaction`` setting, local to it) and only on those four columns.
REDACTABLE_FIELDS = ("actor_repr", "object_repr", "data", "changes")


@transaction.atomic
def redact_entries(entries: Iterable[AuditEntry], rewrite: Any) -> int:
    """Rewrite the personal text of ``entries``: ``rewrite(entry)`` returns the new values.

    ``rewrite`` returns a dict limited to :data:`REDACTABLE_FIELDS`; an entry it returns an
    empty dict for is left alone. Returns how many entries were rewritten.
    """
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('meute.audit_redaction', 'on', true)")
    count = 0
    try:
        for entry in entries:
            values = rewrite(entry)
            if not values:
                continue
            unknown = set(values) - set(REDACTABLE_FIELDS)
            if unknown:
                raise ValueError(f"Only {', '.join(REDACTABLE_FIELDS)} may be redacted, not {', '.join(unknown)}.")
            # The plain QuerySet.update: the append-only manager refuses every other update.
            models.QuerySet.update(models.QuerySet(AuditEntry).filter(pk=entry.pk), **values)
            count += 1
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('meute.audit_redaction', 'off', true)")
    return count
