"""Reads of members' data, each checking who asks: ``access_*`` fetch one object, ``list_*`` many."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from meute.core.permissions import is_site_admin, not_found
from meute.core.text import search_terms
from meute.members import permissions
from meute.members.models import ImportJob, Leader, Membership, MembershipStatus, Network


@dataclass(frozen=True)
class DirectoryFilters:
    """What the directory search box and filters ask for; every field is optional."""

    q: str = ""
    naf: str = ""  # a section letter ("F"), a division ("43"), a classe ("43.22") or a code ("43.22A")
    department: str = ""
    network: int | None = None
    expertise: str = ""
    tag: str = ""


def _naf_filter(naf: str) -> Q:
    value = naf.strip().upper()
    if len(value) == 1 and value.isalpha():
        return Q(company__naf_section=value)
    if len(value) == 4 and value.isdigit():  # "6201" typed without the dot
        value = f"{value[:2]}.{value[2:]}"
    return Q(company__naf_code__startswith=value)


def list_directory(user: Any, filters: DirectoryFilters | None = None) -> QuerySet[Leader]:
    """Leaders listed in the directory that ``user`` may see, filtered; empty for outsiders."""
    if not permissions.can_use_directory(user):
        return Leader.objects.none()
    filters = filters or DirectoryFilters()
    qs = Leader.objects.filter(in_directory=True)
    for term in search_terms(filters.q):
        qs = qs.filter(search_text__contains=term)
    if filters.naf:
        qs = qs.filter(_naf_filter(filters.naf))
    if filters.department:
        qs = qs.filter(company__department_id=filters.department.strip().upper())
    if filters.network:
        in_network = Membership.objects.filter(network_id=filters.network, status=MembershipStatus.ACTIVE)
        qs = qs.filter(pk__in=in_network.values("leader_id"))
    for term in search_terms(filters.expertise):
        qs = qs.filter(expertise_search__contains=term)
    if filters.tag:
        qs = qs.filter(tags__contains=filters.tag)
    return qs.select_related("user", "company", "company__commune").order_by("sort_name", "id")


def access_leader(user: Any, leader_id: int) -> Leader:
    """The leader's profile if ``user`` may see it (the directory's rule, or staff of their network)."""
    leader = (
        Leader.objects.select_related("user", "company", "company__commune", "company__department")
        .filter(pk=leader_id)
        .first()
    )
    if leader is None:
        raise not_found()
    if is_site_admin(user) or leader.user_id == getattr(user, "pk", None):
        return leader
    if permissions.leader_network_ids(leader) & permissions.staff_network_ids(user):
        return leader
    if leader.listed and list_directory(user).filter(pk=leader.pk).exists():
        return leader
    raise not_found()


def visible_contact(viewer: Any, leader: Leader) -> dict[str, str]:
    """The contact fields of ``leader`` that ``viewer`` may see (missing keys are hidden)."""
    shown: dict[str, str] = {}
    if leader.user.email and permissions.may_see_field(viewer, leader, leader.email_visibility):
        shown["email"] = leader.user.email
    if leader.phone and permissions.may_see_field(viewer, leader, leader.phone_visibility):
        shown["phone"] = leader.phone
    if leader.company and leader.company.website:
        shown["website"] = leader.company.website
    return shown


def list_networks(user: Any) -> QuerySet[Network]:
    """Every network of the territory: their public description is not protected."""
    return Network.objects.all().order_by("name")


def list_managed_networks(user: Any) -> QuerySet[Network]:
    """The networks ``user`` manages."""
    if is_site_admin(user):
        return Network.objects.all().order_by("name")
    return Network.objects.filter(pk__in=permissions.staff_network_ids(user)).order_by("name")


def access_network(user: Any, slug: str, *, manage: bool = False) -> Network:
    """A network by its short name; with ``manage=True`` only for its staff."""
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise not_found()
    if manage and not permissions.can_manage_network(user, network):
        raise not_found()
    return network


def list_network_members(user: Any, network: Network) -> QuerySet[Membership]:
    """All memberships of a network, for its staff only."""
    if not permissions.can_manage_network(user, network):
        return Membership.objects.none()
    return (
        network.memberships.select_related("leader__user", "leader__company", "leader__company__commune")
        .order_by("leader__sort_name")
    )


def list_my_memberships(user: Any) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(leader__user=user).select_related("network").order_by("network__name")


def access_import_job(user: Any, job_id: int) -> ImportJob:
    """An uploaded member file, for its owner and the network's staff only (else "not found")."""
    job = ImportJob.objects.select_related("network", "owner").filter(pk=job_id).first()
    if job is None:
        raise not_found()
    if not (job.owner_id == getattr(user, "pk", None) or permissions.can_manage_network(user, job.network)):
        raise not_found()
    return job
