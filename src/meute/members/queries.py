"""Reads of members' data, each checking who asks: ``access_*`` fetch one object, ``list_*`` many."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from meute.core.permissions import is_site_admin, not_found
from meute.core.text import search_terms
from meute.members import permissions
from meute.members.models import (
    ImportJob,
    Invitation,
    InvitationKind,
    InvitationStatus,
    Leader,
    Membership,
    MembershipStatus,
    Network,
    NetworkRole,
)
from meute.naf.activities import search_activities


@dataclass(frozen=True)
class DirectoryFilters:
    """What the directory search box and filters ask for; every field is optional."""

    q: str = ""
    naf: str = ""  # a section letter ("F"), a division ("43"), a classe ("43.22") or a code ("43.22A")
    department: str = ""
    network: int | None = None
    expertise: str = ""
    tag: str = ""


_NAF_PREFIX = re.compile(r"\s*(\d{2}(?:[.\s]?\d{1,2}(?:\s?[A-Za-z])?)?)(?=\s|$)")


def _naf_filter(naf: str) -> Q:
    """A section letter, a code or its beginning ("43", "43.2", "4322", "43.22A Travaux …"), or
    plain words found in the activities' labels and trade words ("plombier" → 43.22A)."""
    value = naf.strip()
    if len(value) == 1 and value.isalpha():
        return Q(naf_section=value.upper())  # the company's, copied on the leader
    match = _NAF_PREFIX.match(value)
    if match:
        code = re.sub(r"\s", "", match[1]).upper()
        if len(code) >= 4 and code[2] != ".":  # "6201" typed without the dot
            code = f"{code[:2]}.{code[2:]}"
        return Q(company__naf_code__startswith=code)
    return Q(company__naf_code__in=[n.code for n in search_activities(value, limit=50)])


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
        qs = qs.filter(department_id=filters.department.strip().upper())  # the company's, copied on the leader
    if filters.network:
        in_network = Membership.objects.filter(network_id=filters.network, status=MembershipStatus.ACTIVE)
        qs = qs.filter(pk__in=in_network.values("leader_id"))
    for term in search_terms(filters.expertise):
        qs = qs.filter(expertise_search__contains=term)
    if filters.tag:
        qs = qs.filter(tags__contains=filters.tag)
    return qs.select_related("user", "company", "company__commune").order_by("sort_name", "id")


def list_directory_export(user: Any, filters: DirectoryFilters | None = None) -> QuerySet[Leader]:
    """The directory rows ``user`` may download: staff only, and only the members of their networks.

    Members browse the directory page by page; nobody downloads the whole territory's
    directory. Each row then shows only the contact fields ``user`` may see (``visible_contact``).
    """
    if not permissions.manages_any_network(user):
        return Leader.objects.none()
    qs = list_directory(user, filters)
    if not is_site_admin(user):
        theirs = Membership.objects.filter(
            network_id__in=permissions.staff_network_ids(user), status=MembershipStatus.ACTIVE
        ).values("leader_id")
        qs = qs.filter(pk__in=theirs)
    return qs


def access_leader(user: Any, leader_id: int) -> Leader:
    """The leader's profile if ``user`` may see it (the directory's rule, or staff of their network)."""
    leader = (
        Leader.objects.select_related("user", "company", "company__commune", "company__department")
        .filter(pk=leader_id)
        .first()
    )
    if leader is None or (leader.anonymised_at is not None and not is_site_admin(user)):
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
        network.memberships.filter(leader__anonymised_at__isnull=True)
        .select_related("leader__user", "leader__company", "leader__company__commune")
        .order_by("leader__sort_name")
    )


def list_my_memberships(user: Any) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(leader__user=user).select_related("network").order_by("network__name")


def list_network_invitations(user: Any, network: Network) -> QuerySet[Invitation]:
    """The invitations a network sent, for its staff only (newest first).

    A JOIN invitation names a person the network does not manage: until it is accepted, the
    page shows only the e-mail staff typed and the status (see ``invitation_label``).
    """
    if not permissions.can_manage_network(user, network):
        return Invitation.objects.none()
    return network.invitations.select_related("user", "invited_by").order_by("-created", "-id")


def invitation_counts(invitations: QuerySet[Invitation]) -> dict[str, int]:
    """How many invitations per status, plus those never sent (pending with no sending yet)."""
    counts = dict.fromkeys(InvitationStatus.values, 0)
    for row in invitations.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["unsent"] = invitations.filter(status=InvitationStatus.PENDING, send_count=0).count()
    counts["total"] = sum(counts[s] for s in InvitationStatus.values)
    return counts


def invitation_label(invitation: Invitation) -> str:
    """What the inviting staff may see of the person: their name once they are a member, else the e-mail."""
    if invitation.kind == InvitationKind.JOIN and invitation.status != InvitationStatus.ACCEPTED:
        return invitation.user.email
    return invitation.user.get_full_name() or invitation.user.email


def access_network_invitation(user: Any, network: Network, invitation_id: int) -> Invitation:
    """One invitation of ``network``, for its staff; 404 otherwise."""
    invitation = list_network_invitations(user, network).filter(pk=invitation_id).first()
    if invitation is None:
        raise not_found()
    return invitation


@dataclass(frozen=True)
class MemberFilters:
    """What a staff member's member list asks for; every field is optional."""

    q: str = ""
    status: str = ""
    fee_status: str = ""


def filter_members(memberships: QuerySet[Membership], filters: MemberFilters | None) -> QuerySet[Membership]:
    filters = filters or MemberFilters()
    if filters.status:
        memberships = memberships.filter(status=filters.status)
    if filters.fee_status:
        memberships = memberships.filter(fee_status=filters.fee_status)
    for term in search_terms(filters.q):
        memberships = memberships.filter(
            Q(leader__search_text__contains=term) | Q(leader__user__email__icontains=term)
        )
    return memberships


def list_network_members_filtered(user: Any, network: Network, filters: MemberFilters | None = None
                                  ) -> QuerySet[Membership]:
    """A network's memberships for its staff, filtered by status, fee status and text."""
    return filter_members(list_network_members(user, network), filters).order_by("leader__sort_name", "pk")


def access_membership(user: Any, network: Network, membership_id: int) -> Membership:
    """One membership of ``network``, for the network's staff only (else "not found")."""
    membership = list_network_members(user, network).filter(pk=membership_id).first()
    if membership is None:
        raise not_found()
    return membership


def list_network_roles(user: Any, network: Network) -> QuerySet[NetworkRole]:
    """The roles given in a network, for its staff only."""
    if not permissions.can_manage_network(user, network):
        return NetworkRole.objects.none()
    return network.roles.select_related("user").order_by("role", "user__last_name", "user__email")


def access_role(user: Any, network: Network, role_id: int) -> NetworkRole:
    grant = list_network_roles(user, network).filter(pk=role_id).first()
    if grant is None:
        raise not_found()
    return grant


def access_import_job(user: Any, job_id: int) -> ImportJob:
    """An uploaded member file, for its owner and the network's staff only (else "not found")."""
    job = ImportJob.objects.select_related("network", "owner").filter(pk=job_id).first()
    if job is None:
        raise not_found()
    if not (job.owner_id == getattr(user, "pk", None) or permissions.can_manage_network(user, job.network)):
        raise not_found()
    return job
