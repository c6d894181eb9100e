"""Who may send announcements to which segment.

* A network's staff (and the site administrator): the network's members, any filtered list of
  them, its events' participants and its peer groups.
* A group's facilitator: the members of the groups they facilitate.
* Nobody else sends announcements.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from meute.core.permissions import is_site_admin
from meute.members.permissions import staff_network_ids


def announceable_networks(user: Any) -> QuerySet:
    from meute.members.models import Network

    if not user.is_authenticated:
        return Network.objects.none()
    if is_site_admin(user):
        return Network.objects.all()
    return Network.objects.filter(pk__in=staff_network_ids(user))


def announceable_groups(user: Any) -> QuerySet:
    from meute.peergroups.models import PeerGroup

    if not user.is_authenticated:
        return PeerGroup.objects.none()
    if is_site_admin(user):
        return PeerGroup.objects.all()
    return PeerGroup.objects.filter(Q(facilitator_id=user.pk) | Q(network_id__in=staff_network_ids(user)))


def announceable_events(user: Any) -> QuerySet:
    from meute.events.models import Event

    if not user.is_authenticated:
        return Event.objects.none()
    if is_site_admin(user):
        return Event.objects.all()
    return Event.objects.filter(network_id__in=staff_network_ids(user))


def may_announce(user: Any) -> bool:
    return bool(user.is_authenticated and (announceable_networks(user).exists() or announceable_groups(user).exists()))
