"""Who may read and manage a network's documents: the rules, in one place.

* **Read**, by scope: ``team`` the network's staff only; ``group`` whoever may see the peer group
  (:func:`meute.peergroups.permissions.can_see_group`: its members, facilitator, sponsors, the
  programme's staff); ``network`` the network's active members and role holders; ``territory``
  the active members and role holders of the networks sharing a département with the network.
  The network's staff and the site administrator read every document of the network. Nobody
  signed out reads any document.
* **Manage** (edit, new versions, links, delete): the network's staff. A group's facilitator
  adds documents to the group's scope and manages those.
* **Link**: to an event the person manages, or to a meeting of a group they lead, of the same network.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from meute.core.permissions import cached_on_user, is_site_admin
from meute.documents.models import Document, Scope
from meute.members.models import Network
from meute.members.permissions import member_network_ids, role_network_ids, staff_network_ids
from meute.peergroups.models import PeerGroup
from meute.peergroups.permissions import can_see_group


def territory_network_ids(network_ids: frozenset[int] | set[int]) -> frozenset[int]:
    """The networks sharing at least one département with one of ``network_ids`` (themselves included)."""
    through = Network.departments.through.objects
    departments = through.filter(network_id__in=network_ids).values("department_id")
    return frozenset(through.filter(department_id__in=departments).values_list("network_id", flat=True)) | frozenset(
        network_ids)


def belongs_to(user: Any) -> frozenset[int]:
    """The networks where ``user`` is an active member or holds a role."""
    return member_network_ids(user) | role_network_ids(user)


def _territory_of_mine(user: Any) -> frozenset[int]:
    return cached_on_user(user, "documents_territory", lambda: territory_network_ids(belongs_to(user)))


def is_team(user: Any, network_id: int) -> bool:
    return is_site_admin(user) or network_id in staff_network_ids(user)


def led_groups(user: Any, network: Network) -> list[PeerGroup]:
    """The groups of ``network`` that ``user`` facilitates (where they may add documents)."""
    if not user.is_authenticated:
        return []
    return list(PeerGroup.objects.filter(network=network, facilitator=user).order_by("name"))


def can_see_document(user: Any, document: Document) -> bool:
    if not user.is_authenticated:
        return False
    if is_team(user, document.network_id):
        return True
    if document.scope == Scope.GROUP:
        return document.group is not None and can_see_group(user, document.group)
    if document.scope == Scope.NETWORK:
        return document.network_id in belongs_to(user)
    if document.scope == Scope.TERRITORY:
        return document.network_id in _territory_of_mine(user)
    return False


def visible_filter(user: Any) -> Q:
    """The documents ``user`` may read, as a filter (the same rules as :func:`can_see_document`)."""
    if is_site_admin(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    from meute.peergroups.queries import list_my_groups

    return (Q(network_id__in=staff_network_ids(user))
            | Q(scope=Scope.NETWORK, network_id__in=belongs_to(user))
            | Q(scope=Scope.TERRITORY, network_id__in=_territory_of_mine(user))
            | Q(scope=Scope.GROUP, group_id__in=list_my_groups(user).values("pk")))


def can_add_documents(user: Any, network: Network) -> bool:
    return is_team(user, network.pk) or bool(led_groups(user, network))


def can_manage_document(user: Any, document: Document) -> bool:
    if is_team(user, document.network_id):
        return True
    return (document.scope == Scope.GROUP and document.group is not None
            and document.group.facilitator_id == getattr(user, "pk", None))


def can_delete_document(user: Any, document: Document) -> bool:
    return is_team(user, document.network_id)
