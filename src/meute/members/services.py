"""Changes to companies, leaders, networks, memberships and roles.

``do_*`` trust their input and run atomically; ``check_*`` validate first. Every change
names its actor and leaves an audit entry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meute.accounts.models import User
from meute.core.audit import diff, log_action, snapshot
from meute.core.bounds import check_bounds
from meute.core.text import fold
from meute.members import permissions
from meute.members.exceptions import InvalidMemberData, MemberError
from meute.members.models import (
    Company,
    FeeStatus,
    HeadcountBand,
    Leader,
    Membership,
    MembershipStatus,
    Network,
    NetworkRole,
    ProfileTag,
    Role,
    Visibility,
)
from meute.naf.reference import naf_codes
from meute.territory.models import Commune

# The same answer whether the e-mail is unknown or belongs to someone the actor does not manage.
UNKNOWN_PERSON_MESSAGE = gettext_lazy(
    "No member of the networks you manage has this e-mail address. To add someone new, add them as a member first."
)


@dataclass
class MemberData:
    """A member and their company, already validated (see :mod:`meute.members.importing`)."""

    email: str
    first_name: str
    last_name: str
    company_name: str
    siret: str
    naf_code: str
    commune: Commune
    phone: str = ""
    function: str = ""
    tags: list[str] = field(default_factory=list)
    expertise: str = ""
    headcount: str = ""  # not given
    founded_year: int | None = None
    website: str = ""
    offers: str = ""
    needs: str = ""
    status: str = MembershipStatus.ACTIVE
    fee_status: str = FeeStatus.DUE


def refresh_company_facts(leader: Leader) -> None:
    """Copy the company's département and NAF section onto the leader (the directory filters on them)."""
    company = leader.company
    leader.department_id = company.department_id if company is not None else None
    leader.naf_section = company.naf_section if company is not None else ""


def copy_company_facts(leaders: QuerySet[Leader]) -> int:
    """:func:`refresh_company_facts` for many leaders in one statement (bulk writes, a changed company)."""
    company = Company.objects.filter(pk=OuterRef("company_id"))
    return leaders.update(department_id=Subquery(company.values("department_id")[:1]),
                          naf_section=Coalesce(Subquery(company.values("naf_section")[:1]), Value("")))


def refresh_search_fields(leader: Leader) -> None:
    """Recompute the folded text the directory searches in (and the company's facts copied on the leader)."""
    refresh_company_facts(leader)
    user = leader.user
    company = leader.company
    parts = [user.first_name, user.last_name, leader.function, leader.expertise]
    if company is not None:
        parts += [company.name, company.commune.name if company.commune_id else ""]
    leader.search_text = fold(" ".join(p for p in parts if p))
    leader.expertise_search = fold(leader.expertise)
    leader.sort_name = fold(f"{user.last_name} {user.first_name}") or fold(user.email)


def refresh_directory_flag(leader: Leader) -> None:
    """Keep ``Leader.in_directory``: listed, consenting, not erased, with an active membership somewhere.

    Consent (``directory_consent_at``) is given by accepting an invitation or by choosing
    "listed" oneself; staff cannot give it for someone else.
    """
    flag = (
        leader.listed and leader.directory_consent_at is not None and leader.anonymised_at is None
        and leader.memberships.filter(status=MembershipStatus.ACTIVE).exists()
    )
    if flag != leader.in_directory:
        leader.in_directory = flag
        Leader.objects.filter(pk=leader.pk).update(in_directory=flag)


def _company_fields(data: MemberData) -> dict[str, Any]:
    return {
        "name": data.company_name,
        "siren": data.siret[:9],
        "naf_code": data.naf_code,
        "naf_section": naf_codes()[data.naf_code].section,
        "headcount": data.headcount,
        "commune": data.commune,
        "department_id": data.commune.department_id,
        "founded_year": data.founded_year,
        "website": data.website,
        "offers": data.offers,
        "needs": data.needs,
    }


def _upsert_company(data: MemberData) -> tuple[Company, bool]:
    company = Company.objects.filter(siret=data.siret).first()
    created = company is None
    company = company or Company(siret=data.siret)
    for name, value in _company_fields(data).items():
        setattr(company, name, value)
    company.save()
    if not created:
        copy_company_facts(company.leaders.all())
    return company, created


def _upsert_user(data: MemberData) -> tuple[User, bool]:
    user = User.objects.filter(email__iexact=data.email).first()
    created = user is None
    if created:
        user = User.objects.create_user(data.email, first_name=data.first_name, last_name=data.last_name)
    else:
        user.first_name, user.last_name = data.first_name, data.last_name
        user.save(update_fields=["first_name", "last_name"])
    return user, created


UPSERT_AUDIT_FIELDS = ("company", "phone", "function", "expertise", "tags")


@transaction.atomic
def do_upsert_member(data: MemberData, *, network: Network | None, acting_user: Any) -> tuple[Leader, bool]:
    """Create or update a leader, their company and membership; matched by e-mail, company by SIRET."""
    company, _company_created = _upsert_company(data)
    user, created = _upsert_user(data)
    leader = Leader.objects.filter(user=user).first() or Leader(user=user)
    before = snapshot(leader if leader.pk else None, UPSERT_AUDIT_FIELDS)
    leader.company = company
    leader.phone, leader.function, leader.expertise = data.phone, data.function, data.expertise
    leader.tags = " ".join(sorted(set(data.tags)))
    refresh_search_fields(leader)
    leader.save()
    if network is not None:
        Membership.objects.update_or_create(
            leader=leader, network=network,
            defaults={"status": data.status, "fee_status": data.fee_status},
            create_defaults={
                "status": data.status, "fee_status": data.fee_status, "joined_on": timezone.localdate(),
            },
        )
        refresh_directory_flag(leader)
    log_action(
        "members.leader.created" if created else "members.leader.updated",
        actor=acting_user,
        obj=leader,
        data={"email": data.email, "siret": data.siret, "network": network.slug if network else None},
        changes=diff(before, snapshot(leader, UPSERT_AUDIT_FIELDS)), network=network,
    )
    return leader, created


PROFILE_FIELDS = {  # name, function and phone are the person's: check_update_person checks them
    "function", "expertise", "listed", "email_visibility", "phone_visibility", "tags",
}
COMPANY_PROFILE_FIELDS = {"website", "offers", "needs", "headcount", "founded_year"}


def normalise_headcount(changes: dict[str, Any]) -> None:
    """A headcount is one of the bands, or blank: not given."""
    if "headcount" in changes:
        changes["headcount"] = changes["headcount"] or ""
        if changes["headcount"] not in ("", *HeadcountBand.values):
            raise InvalidMemberData(_("Choose a headcount band."), field="headcount")


def check_update_profile(leader: Leader, *, acting_user: Any, **changes: Any) -> Leader:
    """A leader edits their own profile (or network staff do it for them)."""
    if not permissions.may_edit_person(acting_user, leader.user):
        raise MemberError(_("You may not change this profile."))
    if changes.get("listed") and not leader.listed and leader.user_id != acting_user.pk:
        raise MemberError(_("Only the person may choose to be listed in the directory."), field="listed")
    unknown = set(changes) - PROFILE_FIELDS - COMPANY_PROFILE_FIELDS
    if unknown:
        raise InvalidMemberData(_("Unknown field: %(f)s") % {"f": ", ".join(sorted(unknown))})
    check_bounds(Leader, {k: v for k, v in changes.items() if k in PROFILE_FIELDS and k != "tags"}, InvalidMemberData)
    check_bounds(Company, {k: v for k, v in changes.items() if k in COMPANY_PROFILE_FIELDS}, InvalidMemberData)
    normalise_headcount(changes)
    for name in ("email_visibility", "phone_visibility"):
        if name in changes and changes[name] not in Visibility.values:
            raise InvalidMemberData(_("Choose who may see this field."), field=name)
    if "tags" in changes:
        tags = list(changes["tags"])
        bad = [t for t in tags if t not in ProfileTag.values]
        if bad:
            raise InvalidMemberData(_("Unknown profile tag: %(t)s") % {"t": ", ".join(bad)}, field="tags")
        changes["tags"] = " ".join(sorted(set(tags)))
    return do_update_profile(leader, acting_user=acting_user, **changes)


@transaction.atomic
def do_update_profile(leader: Leader, *, acting_user: Any, **changes: Any) -> Leader:
    before = {}
    for name, value in changes.items():
        target = leader.company if name in COMPANY_PROFILE_FIELDS else leader
        if target is None:
            continue
        before[name] = getattr(target, name)
        setattr(target, name, value)
    if leader.company is not None and set(changes) & COMPANY_PROFILE_FIELDS:
        leader.company.save()
    if changes.get("listed") and leader.user_id == getattr(acting_user, "pk", None):
        leader.directory_consent_at = leader.directory_consent_at or timezone.now()
    refresh_search_fields(leader)
    leader.save()
    refresh_directory_flag(leader)
    log_action("members.leader.profile_updated", actor=acting_user, obj=leader,
               changes={k: [before[k], changes[k]] for k in before}, network=permissions.leader_network_ids(leader))
    return leader


def check_grant_role(network: Network, user: User, role: str, *, acting_user: Any) -> NetworkRole:
    if not permissions.can_manage_network(acting_user, network):
        raise MemberError(_("Only the staff of %(n)s may give roles in it.") % {"n": network.name})
    if role not in Role.values:
        raise InvalidMemberData(_("Unknown role."), field="role")
    if not permissions.may_name_person(acting_user, user):
        raise MemberError(UNKNOWN_PERSON_MESSAGE, field="email")
    return do_grant_role(network, user, role, acting_user=acting_user)


@transaction.atomic
def do_grant_role(network: Network, user: User, role: str, *, acting_user: Any) -> NetworkRole:
    grant, created = NetworkRole.objects.get_or_create(network=network, user=user, role=role)
    if created:
        log_action("members.role.granted", actor=acting_user, obj=grant,
                   changes={"user": [None, user.email], "role": [None, role]})
    return grant


@transaction.atomic
def do_add_membership(
    leader: Leader, network: Network, *, status: str, fee_status: str = FeeStatus.DUE,
    joined_on: datetime.date | None = None, acting_user: Any,
) -> Membership:
    """Add ``leader`` to ``network`` (or return the membership they already have)."""
    membership, created = Membership.objects.get_or_create(
        leader=leader, network=network,
        defaults={"status": status, "fee_status": fee_status, "joined_on": joined_on or timezone.localdate()},
    )
    if created:
        refresh_directory_flag(leader)
        log_action("members.membership.created", actor=acting_user, obj=membership,
                   changes={"status": [None, status], "fee_status": [None, fee_status]})
    return membership


def check_set_membership_status(membership: Membership, status: str, *, acting_user: Any) -> Membership:
    if not permissions.can_manage_network(acting_user, membership.network):
        raise MemberError(_("Only the network's staff may change a membership."))
    if status not in MembershipStatus.values:
        raise InvalidMemberData(_("Unknown membership status."), field="status")
    return do_set_membership_status(membership, status, acting_user=acting_user)


@transaction.atomic
def do_set_membership_status(membership: Membership, status: str, *, acting_user: Any) -> Membership:
    previous, previous_left_on = membership.status, membership.left_on
    membership.status = status
    if status in (MembershipStatus.LEFT, MembershipStatus.ALUMNI) and membership.left_on is None:
        membership.left_on = timezone.localdate()
    membership.save()
    refresh_directory_flag(membership.leader)
    log_action(
        "members.membership.status_changed", actor=acting_user, obj=membership,
        data={"from": previous, "to": status}, changes={"status": [previous, status], "left_on": [previous_left_on,
                                                                                             membership.left_on]},
    )
    return membership


NETWORK_FIELDS = {
    "name", "family", "scope", "fee_amount", "fee_period", "max_size", "cadence", "hours_per_month", "goals",
    "admission", "allows_business", "contact_name", "contact_email", "contact_phone", "website", "terms",
}


def check_update_network(network: Network, *, acting_user: Any, **changes: Any) -> Network:
    if not permissions.can_manage_network(acting_user, network):
        raise MemberError(_("Only the staff of %(n)s may change it.") % {"n": network.name})
    unknown = set(changes) - NETWORK_FIELDS
    if unknown:
        raise InvalidMemberData(_("Unknown field: %(f)s") % {"f": ", ".join(sorted(unknown))})
    check_bounds(Network, changes, InvalidMemberData)
    if changes.get("max_size") is not None:
        active = network.memberships.filter(status=MembershipStatus.ACTIVE).count()
        if changes["max_size"] < active:
            raise InvalidMemberData(_("%(n)s members are active: the maximum size cannot be lower.") % {"n": active},
                                    field="max_size")
    return do_update_network(network, acting_user=acting_user, **changes)


@transaction.atomic
def do_update_network(network: Network, *, acting_user: Any, **changes: Any) -> Network:
    changed = {}
    for name, value in changes.items():
        if getattr(network, name) != value:
            changed[name] = [getattr(network, name), value]
            setattr(network, name, value)
    network.save()
    log_action("members.network.updated", actor=acting_user, obj=network, changes=changed)
    return network
