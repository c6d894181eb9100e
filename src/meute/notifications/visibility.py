"""Whether a notification's object is still visible to its recipient, asked of the owning app.

Each model a notification can be about has one check, ``check(user, object_id) -> bool``,
built on the owning app's ``access_*`` query (which raises "not found" for an object that is
gone or that the person may no longer see). A model without a check is never shown: a
notification about it disappears rather than leak. Other apps register theirs with
:func:`register_visibility` (in their ``AppConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.module_loading import import_string

from meute.core.exceptions import NotFound

Check = Callable[[Any, int], bool]
ManyCheck = Callable[[Any, set[int]], set[int]]
_CHECKS: dict[str, Check] = {}
_MANY: dict[str, ManyCheck] = {}


def register_visibility(model_label: str, check: Check, *, many: ManyCheck | None = None) -> None:
    """Declare how to tell whether ``user`` may still see an object of ``model_label`` ("app.model").

    ``many(user, ids) -> visible ids``, when given, answers for several objects in one query
    (built on the owning app's ``list_*`` query); ``check`` is used otherwise.
    """
    _CHECKS[model_label.lower()] = check
    if many is not None:
        _MANY[model_label.lower()] = many


def visible_through(access_path: str) -> Check:
    """A check built on an app's ``access_*(user, pk)`` query, named by its dotted path (imported at the
    first check, so an ``AppConfig.ready`` can register it before the app's modules load)."""
    def check(user: Any, pk: int) -> bool:
        access = import_string(access_path)
        return _found(lambda: access(user, pk))
    return check


def many_through(list_path: str) -> ManyCheck:
    """A check for many objects at once, ``f(user, ids) -> visible ids``, named by its dotted path
    (imported at the first check, as :func:`visible_through`)."""
    def many(user: Any, ids: set[int]) -> set[int]:
        return set(import_string(list_path)(user, ids))
    return many


def _found(access: Callable[[], Any]) -> bool:
    try:
        access()
    except NotFound:
        return False
    return True


def _event(user: Any, pk: int) -> bool:
    from meute.events.queries import access_event

    return _found(lambda: access_event(user, pk))


def _events(user: Any, ids: set[int]) -> set[int]:
    from meute.events.queries import EventFilters, list_events

    return set(list_events(user, EventFilters(when="all")).filter(pk__in=ids).values_list("pk", flat=True))


def _meeting(user: Any, pk: int) -> bool:
    from meute.peergroups.queries import access_meeting

    return _found(lambda: access_meeting(user, pk))


def _introduction(user: Any, pk: int) -> bool:
    from meute.advisor.queries import access_introduction

    return _found(lambda: access_introduction(user, pk))


def _invitation(user: Any, pk: int) -> bool:
    from meute.members.models import Invitation
    from meute.members.queries import access_network_invitation

    invitation = Invitation.objects.select_related("network").filter(pk=pk).first()
    return invitation is not None and _found(lambda: access_network_invitation(user, invitation.network, pk))


def _announcement(user: Any, pk: int) -> bool:
    from meute.notifications.queries import access_announcement

    return _found(lambda: access_announcement(user, pk))


def _announcements(user: Any, ids: set[int]) -> set[int]:
    from meute.notifications.queries import list_received_announcements

    return set(list_received_announcements(user).filter(pk__in=ids).values_list("pk", flat=True))


register_visibility("events.event", _event, many=_events)
register_visibility("peergroups.meeting", _meeting)
register_visibility("advisor.introduction", _introduction)
register_visibility("members.invitation", _invitation)
register_visibility("notifications.announcement", _announcement, many=_announcements)


def visible_keys(user: Any, keys: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
    """The (model label, id) pairs among ``keys`` that ``user`` may see now (each asked once)."""
    wanted: dict[str, set[int]] = {}
    for label, pk in keys:
        wanted.setdefault(label, set()).add(pk)
    visible = set()
    for label, ids in wanted.items():
        if label in _MANY:
            visible.update((label, pk) for pk in _MANY[label](user, ids))
        elif label in _CHECKS:
            visible.update((label, pk) for pk in ids if _CHECKS[label](user, pk))
    return visible
