"""Generic helpers of the permission layer.

The rules themselves live next to their nouns (``members/permissions.py``…); every read
of protected data goes through an ``access_*`` or ``list_*`` query that uses them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from meute.core.exceptions import NotFound


def is_site_admin(user: Any) -> bool:
    """The site administrator may see and manage everything."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def cached_on_user(user: Any, key: str, compute: Any) -> Any:
    """Memoise a permission fact on the user object for the length of a request."""
    cache = user.__dict__.setdefault("_meute_perm_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def not_found() -> NotFound:
    """The error for an object the actor may not see: it does not reveal that it exists."""
    return NotFound(_("This page does not exist or you may not see it."))


def audit_network_ids(user: Any) -> frozenset[int]:
    """The networks whose audit log ``user`` may read: those they manage as staff."""
    from meute.members.permissions import staff_network_ids

    return staff_network_ids(user) if user is not None and user.is_authenticated else frozenset()


def may_read_network_log(user: Any, network_id: int) -> bool:
    """Network staff read their network's audit log; the site administrator reads every log."""
    return is_site_admin(user) or network_id in audit_network_ids(user)


def may_read_audit_log(user: Any) -> bool:
    """Whether ``user`` may open the audit log at all (the whole of it, or their networks' part)."""
    return is_site_admin(user) or bool(audit_network_ids(user))
