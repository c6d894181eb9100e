"""Who may see and manage what in members: the rules, in one place.

* The site administrator manages everything.
* Network staff manage their own networks only (members, roles, imports, exports).
* Anyone with an active membership or a role in a network may use the directory.
* Contact fields follow the leader's choices (:class:`~meute.members.models.Visibility`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from meute.accounts.models import User
from meute.core.permissions import cached_on_user, is_site_admin
from meute.members.models import Leader, Membership, MembershipStatus, Network, NetworkRole, Role, Visibility

BATCH = 500  # ids per IN (...) query (SQLite allows 999 parameters in older builds)


def staff_network_ids(user: Any) -> frozenset[int]:
    """Ids of the networks ``user`` manages as staff."""
    if not user.is_authenticated:
        return frozenset()
    return cached_on_user(
        user,
        "staff_networks",
        lambda: frozenset(
            NetworkRole.objects.filter(user=user, role=Role.STAFF).values_list("network_id", flat=True)
        ),
    )


def role_network_ids(user: Any) -> frozenset[int]:
    """Ids of the networks where ``user`` holds any role."""
    if not user.is_authenticated:
        return frozenset()
    return cached_on_user(
        user,
        "role_networks",
        lambda: frozenset(NetworkRole.objects.filter(user=user).values_list("network_id", flat=True)),
    )


def member_network_ids(user: Any) -> frozenset[int]:
    """Ids of the networks where ``user`` is an active member."""
    if not user.is_authenticated:
        return frozenset()
    return cached_on_user(
        user,
        "member_networks",
        lambda: frozenset(
            Membership.objects.filter(
                leader_id__in=list(Leader.objects.filter(user_id=user.pk).values_list("id", flat=True)),
                status=MembershipStatus.ACTIVE,
            ).values_list("network_id", flat=True)
        ),
    )


def can_use_directory(user: Any) -> bool:
    return is_site_admin(user) or bool(member_network_ids(user) or role_network_ids(user))


def can_manage_network(user: Any, network: Network) -> bool:
    return is_site_admin(user) or network.pk in staff_network_ids(user)


def manages_any_network(user: Any) -> bool:
    return is_site_admin(user) or bool(staff_network_ids(user))


def leader_network_ids(leader: Leader) -> frozenset[int]:
    return frozenset(
        leader.memberships.exclude(status=MembershipStatus.LEFT).values_list("network_id", flat=True)
    )


def may_see_field(viewer: Any, leader: Leader, visibility: str) -> bool:
    """Whether ``viewer`` may see a contact field of ``leader`` set to ``visibility``."""
    if not viewer.is_authenticated:
        return False
    if is_site_admin(viewer) or leader.user_id == viewer.pk:
        return True
    networks = leader_network_ids(leader)
    if networks & staff_network_ids(viewer):
        return True
    if visibility == Visibility.MEMBERS:
        return can_use_directory(viewer)
    if visibility == Visibility.NETWORK:
        return bool(networks & (member_network_ids(viewer) | role_network_ids(viewer)))
    return False


def managed_user_ids(acting_user: Any, user_ids: Iterable[int]) -> set[int]:
    """The people among ``user_ids`` whose profile ``acting_user`` may change (import, staff forms).

    A person is managed by a staff member when they are not a site administrator, hold no
    staff role anywhere, and have at least one membership that is not "left", every one of
    which is in a network the staff member manages. Anyone else (a member of another
    network, an administrator, another staff member, an account without a membership) keeps
    their account, profile, company and privacy choices as they are.
    """
    ids = list(dict.fromkeys(int(i) for i in user_ids))
    if not ids or not getattr(acting_user, "is_authenticated", False):
        return set()
    admin = is_site_admin(acting_user)
    own = staff_network_ids(acting_user)
    managed: set[int] = set()
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        excluded = set(User.objects.filter(pk__in=batch, is_superuser=True).values_list("pk", flat=True))
        excluded |= set(
            NetworkRole.objects.filter(user_id__in=batch, role=Role.STAFF).values_list("user_id", flat=True)
        )
        networks: dict[int, set[int]] = {}
        for user_id, network_id in (
            Membership.objects.filter(leader__user_id__in=batch).exclude(status=MembershipStatus.LEFT)
            .values_list("leader__user_id", "network_id")
        ):
            networks.setdefault(user_id, set()).add(network_id)
        for user_id, held in networks.items():
            if user_id not in excluded and (admin or held <= own):
                managed.add(user_id)
    return managed
