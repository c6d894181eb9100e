"""The back office: staff change a member's person, company, membership and roles.

As in :mod:`meute.members.services`: ``do_*`` trust their input and run atomically, ``check_*``
validate first, every change names its actor and leaves an audit entry, and a staff member acts
only inside the networks they manage.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import User
from meute.core.audit import log_action
from meute.members import permissions
from meute.members.exceptions import InvalidMemberData, MemberError
from meute.members.models import (
    Company,
    FeeStatus,
    Leader,
    Membership,
    MembershipStatus,
    Network,
    NetworkRole,
    Role,
)
from meute.members.services import (
    UNKNOWN_PERSON_MESSAGE,
    check_grant_role,
    normalise_headcount,
    refresh_directory_flag,
    refresh_search_fields,
)
from meute.members.validation import clean_phone
from meute.naf.reference import naf_codes

PERSON_FIELDS = ("first_name", "last_name", "function", "phone")
MEMBERSHIP_FIELDS = ("status", "fee_status", "fee_paid_on", "joined_on", "left_on")
ENDED_STATUSES = (MembershipStatus.LEFT, MembershipStatus.ALUMNI)


def _diff(obj: Any, changes: dict[str, Any]) -> dict[str, list[str]]:
    """``{field: [old, new]}`` for the fields whose value changes, as text for the audit log."""

    def text(value: Any) -> str:
        return "" if value is None else (value.isoformat() if isinstance(value, datetime.date) else str(value))

    return {k: [text(getattr(obj, k)), text(v)] for k, v in changes.items() if getattr(obj, k) != v}


def check_update_person(leader: Leader, *, acting_user: Any, **changes: Any) -> Leader:
    """Change a member's name, function or phone: the member, or staff managing all their networks."""
    if not permissions.may_edit_person(acting_user, leader.user):
        raise MemberError(_(
            "%(n)s also belongs to networks you do not manage: only they, or the staff of all their "
            "networks, may change their profile."
        ) % {"n": leader.full_name})
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise InvalidMemberData(_("Unknown field: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for name, limit in (("first_name", 150), ("last_name", 150), ("function", 100)):
        if name in changes:
            changes[name] = " ".join(str(changes[name] or "").split())
            if len(changes[name]) > limit:
                raise InvalidMemberData(
                    _("At most %(n)s characters.") % {"n": limit}, field=name
                )
    if "last_name" in changes and not changes["last_name"]:
        raise InvalidMemberData(_("The last name is missing."), field="last_name")
    if "phone" in changes:  # the form the import writes too; blank removes the number
        phone = " ".join(str(changes["phone"] or "").split())
        changes["phone"] = clean_phone(phone) if phone else ""
    return do_update_person(leader, acting_user=acting_user, **changes)


@transaction.atomic
def do_update_person(leader: Leader, *, acting_user: Any, **changes: Any) -> Leader:
    leader = (Leader.objects.select_for_update(of=("self", "user")).select_related("user", "company__commune")
              .get(pk=leader.pk))
    user = leader.user
    user_changes = {k: v for k, v in changes.items() if k in ("first_name", "last_name")}
    leader_changes = {k: v for k, v in changes.items() if k in ("function", "phone")}
    changed = {**_diff(user, user_changes), **_diff(leader, leader_changes)}
    if not changed:
        return leader
    if user_changes:
        for name, value in user_changes.items():
            setattr(user, name, value)
        user.save(update_fields=list(user_changes))
    for name, value in leader_changes.items():
        setattr(leader, name, value)
    refresh_search_fields(leader)
    leader.save()
    log_action("members.leader.person_updated", actor=acting_user, obj=leader, data={"changed": changed})
    return leader


COMPANY_FIELDS = ("name", "siret", "naf_code", "commune", "headcount", "website")


def check_update_company(leader: Leader, *, acting_user: Any, **changes: Any) -> Company:
    """Change the company of ``leader`` (or give them one): SIRET and NAF checked, shared companies guarded.

    A company shared with members of networks the actor does not manage is not changed by them.
    """
    from meute.members.validation import clean_naf, clean_siret

    if not permissions.may_edit_person(acting_user, leader.user):
        raise MemberError(_("You may not change this member's company."))
    company = leader.company
    if company is not None and not permissions.may_edit_company(acting_user, company):
        raise MemberError(_(
            "«%(c)s» is also the company of members of networks you do not manage: "
            "only its members or their networks' staff may change it."
        ) % {"c": company.name})
    unknown = set(changes) - set(COMPANY_FIELDS)
    if unknown:
        raise InvalidMemberData(_("Unknown field: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "name" in changes:
        changes["name"] = " ".join(str(changes["name"] or "").split())
        if not changes["name"]:
            raise InvalidMemberData(_("The company name is missing."), field="name")
        if len(changes["name"]) > 200:
            raise InvalidMemberData(_("A company name has at most 200 characters."), field="name")
    if "siret" in changes:
        changes["siret"] = clean_siret(changes["siret"])
        taken = Company.objects.filter(siret=changes["siret"])
        if company is not None:
            taken = taken.exclude(pk=company.pk)
        if taken.exists():
            raise InvalidMemberData(
                _("This SIRET is already the SIRET of another company in meute."), field="siret"
            )
    if "naf_code" in changes:
        changes["naf_code"] = clean_naf(changes["naf_code"])
    normalise_headcount(changes)
    if company is None:
        missing = [f for f in ("name", "siret", "naf_code", "commune") if not changes.get(f)]
        if missing:
            raise InvalidMemberData(_("A new company needs a name, a SIRET, a NAF code and a commune."),
                                    field=missing[0])
    elif "commune" in changes and changes["commune"] is None:
        raise InvalidMemberData(_("The commune is missing."), field="commune")
    return do_update_company(leader, acting_user=acting_user, **changes)


@transaction.atomic
def do_update_company(leader: Leader, *, acting_user: Any, **changes: Any) -> Company:
    leader = Leader.objects.select_for_update().select_related("user").get(pk=leader.pk)
    company = Company.objects.select_for_update().get(pk=leader.company_id) if leader.company_id else None
    created = company is None
    company = company or Company()
    changed = _diff(company, changes) if not created else {k: ["", str(v)] for k, v in changes.items()}
    for name, value in changes.items():
        setattr(company, name, value)
    if "siret" in changes:
        company.siren = company.siret[:9]
    if "naf_code" in changes:
        company.naf_section = naf_codes()[company.naf_code].section
    if "commune" in changes:
        company.department_id = company.commune.department_id
    if changed:
        company.save()
    if created:
        leader.company = company
        leader.save(update_fields=["company"])
    for other in company.leaders.select_related("user", "company__commune"):
        refresh_search_fields(other)
        Leader.objects.filter(pk=other.pk).update(search_text=other.search_text, department_id=other.department_id,
                                                  naf_section=other.naf_section)
    if changed:
        log_action(
            "members.company.created" if created else "members.company.updated", actor=acting_user, obj=company,
            data={"changed": changed, "leader": leader.pk},
        )
    return company


def _check_membership_dates(values: dict[str, Any]) -> None:
    today = timezone.localdate()
    joined, left, paid = values.get("joined_on"), values.get("left_on"), values.get("fee_paid_on")
    if joined and joined > today:
        raise InvalidMemberData(_("The joining date cannot be in the future."), field="joined_on")
    if left and left > today:
        raise InvalidMemberData(_("The leaving date cannot be in the future."), field="left_on")
    if joined and left and left < joined:
        raise InvalidMemberData(_("The leaving date comes before the joining date."), field="left_on")
    if paid and paid > today:
        raise InvalidMemberData(_("The payment date cannot be in the future."), field="fee_paid_on")
    if left and values.get("status") not in ENDED_STATUSES:
        raise InvalidMemberData(
            _("Only a membership that is over (left, alumni) has a leaving date: clear it or change the status."),
            field="left_on",
        )
    if paid and values.get("fee_status") != FeeStatus.PAID:
        raise InvalidMemberData(_("A payment date goes with the fee status “paid”."), field="fee_paid_on")


def check_update_membership(membership: Membership, *, acting_user: Any, **changes: Any) -> Membership:
    """Staff change a membership of a network they manage: status, fee, dates (checked together)."""
    if not permissions.can_manage_network(acting_user, membership.network):
        raise MemberError(_("Only the network's staff may change a membership."))
    unknown = set(changes) - set(MEMBERSHIP_FIELDS)
    if unknown:
        raise InvalidMemberData(_("Unknown field: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "status" in changes and changes["status"] not in MembershipStatus.values:
        raise InvalidMemberData(_("Unknown membership status."), field="status")
    if "fee_status" in changes and changes["fee_status"] not in FeeStatus.values:
        raise InvalidMemberData(_("Unknown fee status."), field="fee_status")
    with transaction.atomic():
        # The dates are checked against the row as it is under the lock, not as the form saw it.
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        values = {name: getattr(locked, name) for name in MEMBERSHIP_FIELDS} | changes
        if values["status"] in ENDED_STATUSES and not values["left_on"]:
            changes["left_on"] = values["left_on"] = timezone.localdate()
        if values["fee_status"] == FeeStatus.PAID and not values["fee_paid_on"]:
            changes["fee_paid_on"] = values["fee_paid_on"] = timezone.localdate()
        _check_membership_dates(values)
        return do_update_membership(membership, acting_user=acting_user, **changes)


@transaction.atomic
def do_update_membership(membership: Membership, *, acting_user: Any, **changes: Any) -> Membership:
    membership = Membership.objects.select_for_update().select_related("leader", "network").get(pk=membership.pk)
    changed = _diff(membership, changes)
    if not changed:
        return membership
    for name, value in changes.items():
        setattr(membership, name, value)
    membership.save()
    refresh_directory_flag(membership.leader)
    log_action("members.membership.updated", actor=acting_user, obj=membership, data={"changed": changed})
    return membership


def check_end_membership(
    membership: Membership, *, acting_user: Any, left_on: datetime.date | None = None
) -> Membership:
    """Staff end a membership: status “left” on the given date (today by default)."""
    if membership.status == MembershipStatus.LEFT:
        raise MemberError(_("This membership has already ended."))
    return check_update_membership(
        membership, acting_user=acting_user, status=MembershipStatus.LEFT, left_on=left_on or timezone.localdate()
    )


def check_bulk_update_memberships(
    network: Network, membership_ids: list[int], *, acting_user: Any, status: str | None = None,
    fee_status: str | None = None,
) -> int:
    """Change the status or fee status of many memberships of ``network`` at once; returns how many changed.

    Only memberships of ``network`` are touched, whatever ids are given; all change or none.
    """
    if not permissions.can_manage_network(acting_user, network):
        raise MemberError(_("Only the network's staff may change a membership."))
    if status is None and fee_status is None:
        raise InvalidMemberData(_("Choose what to change."), field="action")
    if status is not None and status not in MembershipStatus.values:
        raise InvalidMemberData(_("Unknown membership status."), field="status")
    if fee_status is not None and fee_status not in FeeStatus.values:
        raise InvalidMemberData(_("Unknown fee status."), field="fee_status")
    if not membership_ids:
        raise InvalidMemberData(_("No member is selected."), field="action")
    return do_bulk_update_memberships(network, membership_ids, acting_user=acting_user, status=status,
                                      fee_status=fee_status)


@transaction.atomic
def do_bulk_update_memberships(
    network: Network, membership_ids: list[int], *, acting_user: Any, status: str | None, fee_status: str | None
) -> int:
    today = timezone.localdate()
    locked = list(
        Membership.objects.select_for_update().filter(network=network, pk__in=membership_ids)
        .select_related("leader").order_by("pk")
    )
    count = 0
    for membership in locked:
        changes: dict[str, Any] = {}
        if status is not None and membership.status != status:
            changes["status"] = status
            if status in ENDED_STATUSES:
                changes["left_on"] = membership.left_on or today
            else:
                changes["left_on"] = None
        if fee_status is not None and membership.fee_status != fee_status:
            changes["fee_status"] = fee_status
            changes["fee_paid_on"] = (membership.fee_paid_on or today) if fee_status == FeeStatus.PAID else None
        changed = _diff(membership, changes)
        if not changed:
            continue
        for name, value in changes.items():
            setattr(membership, name, value)
        membership.save()
        if "status" in changes:
            refresh_directory_flag(membership.leader)
        log_action("members.membership.updated", actor=acting_user, obj=membership,
                   data={"changed": changed, "bulk": True})
        count += 1
    log_action("members.membership.bulk_updated", actor=acting_user, obj=network,
               data={"status": status, "fee_status": fee_status, "selected": len(locked), "changed": count})
    return count


def check_grant_role_by_email(network: Network, email: str, role: str, *, acting_user: Any) -> NetworkRole:
    """Give a role to the person with this e-mail, if they are known to the actor's networks.

    Anyone else gets the same refusal, whether or not the e-mail exists elsewhere.
    """
    user = User.objects.filter(email__iexact=str(email or "").strip()).first()
    if user is None:
        if not permissions.can_manage_network(acting_user, network):
            raise MemberError(_("Only the staff of %(n)s may give roles in it.") % {"n": network.name})
        raise MemberError(UNKNOWN_PERSON_MESSAGE, field="email")
    return check_grant_role(network, user, role, acting_user=acting_user)


def check_revoke_role(grant: NetworkRole, *, acting_user: Any) -> None:
    """Remove a role; the last staff role of a network stays (someone must run it)."""
    if not permissions.can_manage_network(acting_user, grant.network):
        raise MemberError(_("Only the staff of %(n)s may remove roles in it.") % {"n": grant.network.name})
    do_revoke_role(grant, acting_user=acting_user)


@transaction.atomic
def do_revoke_role(grant: NetworkRole, *, acting_user: Any) -> None:
    network = Network.objects.select_for_update().get(pk=grant.network_id)  # serialises staff removals
    grant = NetworkRole.objects.filter(pk=grant.pk).select_related("user").first()
    if grant is None:
        raise MemberError(_("This role was already removed."))
    if grant.role == Role.STAFF and not network.roles.filter(role=Role.STAFF).exclude(pk=grant.pk).exists():
        raise MemberError(_("%(n)s would have no staff left: give the staff role to someone else first.")
                          % {"n": network.name})
    grant.delete()
    log_action("members.role.revoked", actor=acting_user, obj=network,
               data={"user": grant.user.email, "role": grant.role})
