"""Rows for directory and member-list exports; contact fields follow the permission layer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from meute.members.models import Leader, Membership
from meute.members.queries import visible_contact
from meute.naf.reference import naf_codes


def _company_cells(leader: Leader) -> dict[str, str]:
    company = leader.company
    if company is None:
        return {_("Company"): "", _("SIRET"): "", _("NAF code"): "", _("Activity"): "", _("Commune"): "",
                _("Département"): ""}
    naf = naf_codes().get(company.naf_code)
    return {
        _("Company"): company.name,
        _("SIRET"): company.siret or "",
        _("NAF code"): company.naf_code,
        _("Activity"): naf.label if naf else "",
        _("Commune"): company.commune.name,
        _("Département"): company.department_id,
    }


def directory_rows(user: Any, leaders: QuerySet[Leader]) -> Iterator[dict[str, str]]:
    """One row per leader the user may see, with only the contact fields they may see."""
    for leader in leaders.iterator(chunk_size=500):
        contact = visible_contact(user, leader)
        yield {
            _("Last name"): leader.user.last_name,
            _("First name"): leader.user.first_name,
            _("Function"): leader.function,
            **_company_cells(leader),
            _("E-mail"): contact.get("email", ""),
            _("Phone"): contact.get("phone", ""),
            _("Expertise"): leader.expertise,
        }


def membership_rows(memberships: Iterable[Membership]) -> Iterator[dict[str, str]]:
    """Rows of a network's member list, for its staff (every field)."""
    for membership in memberships:
        leader = membership.leader
        yield {
            _("Last name"): leader.user.last_name,
            _("First name"): leader.user.first_name,
            _("E-mail"): leader.user.email,
            _("Phone"): leader.phone,
            _("Function"): leader.function,
            **_company_cells(leader),
            _("Status"): membership.get_status_display(),
            _("Fee"): membership.get_fee_status_display(),
            _("Joined on"): membership.joined_on.isoformat() if membership.joined_on else "",
        }
