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
from meute.members.access import AccessFacts, access_facts
from meute.members.models import Leader, Membership, MembershipStatus, Network, NetworkRole, Role, Visibility

BATCH = 500  # ids per IN (...) query (SQLite allows 999 parameters in older builds)


def _facts(user: Any) -> AccessFacts:
    """The person's networks and roles, read once per request (and cached between requests)."""
    return cached_on_user(user, "access_facts", lambda: access_facts(user))


def staff_network_ids(user: Any) -> frozenset[int]:
    """Ids of the networks ``user`` manages as staff."""
    if not user.is_authenticated:
        return frozenset()
    return _facts(user).staff


def role_network_ids(user: Any) -> frozenset[int]:
    """Ids of the networks where ``user`` holds any role."""
    if not user.is_authenticated:
        return frozenset()
    return _facts(user).roles


def member_network_ids(user: Any) -> frozenset[int]:
    """Ids of the networks where ``user`` is an active member."""
    if not user.is_authenticated:
        return frozenset()
    return _facts(user).member


def can_use_directory(user: Any) -> bool:
    return is_site_admin(user) or bool(member_network_ids(user) or role_network_ids(user))


def can_manage_network(user: Any, network: Network) -> bool:
    return is_site_admin(user) or network.pk in staff_network_ids(user)


def manages_any_network(user: Any) -> bool:
    return is_site_admin(user) or bool(staff_network_ids(user))


def leader_network_ids(leader: Leader) -> frozenset[int]:
    """The networks ``leader`` belongs to (memberships not ended), read once per leader object."""
    cache = leader.__dict__.setdefault("_meute_networks", {})
    if "ids" not in cache:
        cache["ids"] = frozenset(
            leader.memberships.exclude(status=MembershipStatus.LEFT).values_list("network_id", flat=True)
        )
    return cache["ids"]


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


# --- the back office: whom a staff member may change or name -------------------------------

def person_network_ids(user: Any) -> frozenset[int]:
    """Every network a person belongs to: memberships not ended, and roles."""
    memberships = Membership.objects.filter(leader__user_id=user.pk).exclude(status=MembershipStatus.LEFT)
    roles = NetworkRole.objects.filter(user_id=user.pk)
    return frozenset(memberships.values_list("network_id", flat=True)) | frozenset(
        roles.values_list("network_id", flat=True)
    )


def may_edit_person(actor: Any, person: Any) -> bool:
    """Whether ``actor`` may change ``person``'s name, function and phone.

    The person themselves and the site administrator may; a staff member only when the person
    is one they manage (:func:`managed_user_ids`, the same rule as the import's).
    """
    if not getattr(actor, "is_authenticated", False):
        return False
    if is_site_admin(actor) or actor.pk == person.pk:
        return True
    return person.pk in managed_user_ids(actor, [person.pk])


def may_edit_company(actor: Any, company: Any) -> bool:
    """Whether ``actor`` may change ``company``: its own members, or staff who manage all its people.

    A company shared by members of networks the actor does not manage is left to them.
    """
    if not getattr(actor, "is_authenticated", False):
        return False
    if is_site_admin(actor):
        return True
    people = list(company.leaders.select_related("user"))
    if any(leader.user_id == actor.pk for leader in people):
        return True
    return bool(people) and all(may_edit_person(actor, leader.user) for leader in people)


def may_edit_leader_company(actor: Any, leader: Leader) -> bool:
    """Whether ``actor`` may change (or give) ``leader``'s company."""
    if not may_edit_person(actor, leader.user):
        return False
    return leader.company is None or may_edit_company(actor, leader.company)


def may_name_person(actor: Any, person: Any) -> bool:
    """Whether a staff action of ``actor`` may name ``person`` (a candidate, a registration, a role).

    Staff may name the members and role holders of the networks they manage; the site
    administrator anybody. Anyone else is unknown to them, whether or not they exist.
    """
    if is_site_admin(actor):
        return True
    managed = staff_network_ids(actor)
    if not managed:
        return False
    return (
        Membership.objects.filter(leader__user_id=person.pk, network_id__in=managed).exists()
        or NetworkRole.objects.filter(user_id=person.pk, network_id__in=managed).exists()
    )
def managed_user_ids(acting_user: Any, user_ids: Iterable[int]) -> set[int]:
    """The people among ``user_ids`` whose profile ``acting_user`` may change (import, staff forms).

    A person is managed by a staff member when they are not a site administrator, hold no
    staff role anywhere, and have at least one membership that is not "left", every one of
    which (and every other role they hold) is in a network the staff member manages. Anyone else (a member of another
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
        for user_id, network_id in NetworkRole.objects.filter(user_id__in=batch).values_list("user_id", "network_id"):
            if user_id in networks:
                networks[user_id].add(network_id)
        for user_id, held in networks.items():
            if user_id not in excluded and (admin or held <= own):
                managed.add(user_id)
    return managed
