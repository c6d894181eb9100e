"""Who may see and manage events.

* Public events are visible to everyone, members-only events to the network's members
  (active or candidate), its role holders and the site administrator.
* The network's staff (and the site administrator) manage its events: registrations,
  check-in, plans.
"""

from __future__ import annotations

from typing import Any

from meute.core.permissions import is_site_admin
from meute.events.models import Audience, Event
from meute.members import permissions as members


def can_manage_event(user: Any, event: Event) -> bool:
    return is_site_admin(user) or event.network_id in members.staff_network_ids(user)


def is_network_member(user: Any, network_id: int) -> bool:
    return network_id in members.member_network_ids(user) or network_id in members.role_network_ids(user)


def can_see_event(user: Any, event: Event) -> bool:
    if event.audience == Audience.PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    return can_manage_event(user, event) or is_network_member(user, event.network_id)


def can_register(user: Any, event: Event) -> bool:
    return user.is_authenticated and can_see_event(user, event)
