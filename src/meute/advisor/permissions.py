"""Who may do what in the advisor, in one place.

* Anyone logged in may use the questionnaire and read the territory's directory of networks
  (a network's public description is not protected).
* **Territory staff** keep that directory: the site administrator, and the territory advisers
  (:class:`~meute.advisor.models.TerritoryAdviser`, one row per département) for the networks
  present in their départements (or with no département yet). A network's own staff may also
  update its directory entry. Territory staff may save and send an advice.
* An introduction is seen by the two leaders concerned, by the staff of any network either of
  them belongs to, and by the site administrator; everyone else gets "not found".
"""

from __future__ import annotations

from typing import Any

from meute.core.permissions import cached_on_user, is_site_admin
from meute.members import permissions as member_permissions
from meute.members.models import Network


def adviser_departments(user: Any) -> frozenset[str]:
    """Codes of the départements where ``user`` is a territory adviser."""
    if not user.is_authenticated:
        return frozenset()
    from meute.advisor.models import TerritoryAdviser

    return cached_on_user(user, "adviser_departments", lambda: frozenset(
        TerritoryAdviser.objects.filter(user=user).values_list("department_id", flat=True)))


def is_territory_staff(user: Any) -> bool:
    return is_site_admin(user) or bool(adviser_departments(user))


def can_manage_territory_network(user: Any, network: Network) -> bool:
    """Whether ``user`` may update ``network``'s entry in the territory's directory."""
    if is_site_admin(user) or member_permissions.can_manage_network(user, network):
        return True
    mine = adviser_departments(user)
    if not mine:
        return False
    codes = set(network.departments.values_list("code", flat=True))
    return not codes or bool(codes & mine)


def can_create_territory_network(user: Any, department_codes: set[str]) -> bool:
    if is_site_admin(user):
        return True
    mine = adviser_departments(user)
    return bool(mine) and (not department_codes or bool(department_codes & mine))


def can_see_introduction(user: Any, introduction: Any) -> bool:
    if not user.is_authenticated:
        return False
    if is_site_admin(user) or user.pk in (introduction.requester.user_id, introduction.target.user_id):
        return True
    staff = member_permissions.staff_network_ids(user)
    return bool(staff and (member_permissions.leader_network_ids(introduction.requester)
                           | member_permissions.leader_network_ids(introduction.target)) & staff)
