"""The person's networks and roles: read on every request, cached between requests.

Every page asks who the person is in which network (active memberships, roles, staff roles).
:func:`access_facts` reads the three in one query and keeps them in Django's cache under
``(user id, user.access_version)``. Any change to a membership or a role of the person bumps
``User.access_version`` in the same transaction (:func:`touch_users`, :func:`touch_leaders`):
the post-save and post-delete signals of ``Membership`` and ``NetworkRole`` call them
(:mod:`meute.members.signals`), and so does every bulk write that skips the signals (imports,
``QuerySet.update``). The user row is read afresh on every request, so the next request after
a change reads a new key and the change takes effect at once, in every server process.

:data:`access_changed` is sent by :func:`touch_users` (``user_ids``: the people whose memberships
or roles changed), in the writing transaction: other apps that keep something per member and
network (the stored engagement lights) listen to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import F, Value
from django.db.models.fields import CharField
from django.dispatch import Signal

from meute.accounts.models import User
from meute.members.models import Leader, Membership, MembershipStatus, NetworkRole, Role

CACHE_SECONDS = 600
access_changed = Signal()  # user_ids: the people whose memberships or roles changed


@dataclass(frozen=True)
class AccessFacts:
    """Ids of the networks where the person is an active member, holds a role, is staff."""

    member: frozenset[int]
    roles: frozenset[int]
    staff: frozenset[int]


def _key(user: Any) -> str:
    return f"meute:access:{user.pk}:{getattr(user, 'access_version', 0)}"


def read_access_facts(user_id: int) -> AccessFacts:
    """The facts straight from the database, in one query."""
    memberships = Membership.objects.filter(leader__user_id=user_id, status=MembershipStatus.ACTIVE).values_list(
        "network_id", Value("member", output_field=CharField()))
    roles = NetworkRole.objects.filter(user_id=user_id).values_list("network_id", "role")
    member, held, staff = set(), set(), set()
    for network_id, kind in memberships.union(roles, all=True):
        if kind == "member":
            member.add(network_id)
        else:
            held.add(network_id)
            if kind == Role.STAFF:
                staff.add(network_id)
    return AccessFacts(frozenset(member), frozenset(held), frozenset(staff))


def access_facts(user: Any) -> AccessFacts:
    """The person's facts, from the cache when their memberships and roles have not changed."""
    key = _key(user)
    facts = cache.get(key)
    if facts is None:
        facts = read_access_facts(user.pk)
        cache.set(key, facts, CACHE_SECONDS)
    return facts


def touch_users(user_ids: Iterable[int]) -> None:
    """Mark the people's memberships or roles as changed (their cached facts are no longer read)."""
    ids = sorted({int(i) for i in user_ids if i is not None})
    if ids:
        User.objects.filter(pk__in=ids).update(access_version=F("access_version") + 1)
        access_changed.send(sender=User, user_ids=ids)


def touch_leaders(leader_ids: Iterable[int]) -> None:
    """:func:`touch_users` for the accounts of these leaders."""
    ids = sorted({int(i) for i in leader_ids if i is not None})
    for start in range(0, len(ids), 500):
        touch_users(Leader.objects.filter(pk__in=ids[start:start + 500]).values_list("user_id", flat=True))
