"""Who may see a peer group's confidential life, and who runs the programme.

* A group's topics, minutes, action items and attendance: its active members, its
  facilitator, its sponsors, the programme's staff (staff of the network) and the site
  administrator. No one else.
* The programme (candidates, formation runs, publishing, fees, plenaries): the network's staff.
* A meeting's agenda order, attendance and minutes: the facilitator and the staff.
* Declaring a person one must not sit with: the programme's members (any membership but "left",
  candidates included) for themselves, its staff for anyone.
"""

from __future__ import annotations

from typing import Any

from meute.core.permissions import is_site_admin
from meute.members.models import Network
from meute.members.permissions import staff_network_ids
from meute.peergroups.models import GroupMemberStatus, PeerGroup


def runs_programme(user: Any, network: Network) -> bool:
    return is_site_admin(user) or network.pk in staff_network_ids(user)


def is_group_member(user: Any, group: PeerGroup) -> bool:
    return user.is_authenticated and group.members.filter(
        leader__user=user, status__in=[GroupMemberStatus.ACTIVE, GroupMemberStatus.ALUMNI]).exists()


def can_see_group(user: Any, group: PeerGroup) -> bool:
    if not user.is_authenticated:
        return False
    if runs_programme(user, group.network) or group.facilitator_id == user.pk:
        return True
    return group.sponsors.filter(pk=user.pk).exists() or is_group_member(user, group)


def can_lead_meetings(user: Any, group: PeerGroup) -> bool:
    return user.is_authenticated and (group.facilitator_id == user.pk or runs_programme(user, group.network))


def can_propose_topics(user: Any, group: PeerGroup) -> bool:
    return group.members.filter(leader__user=user, status=GroupMemberStatus.ACTIVE).exists() or can_lead_meetings(
        user, group)


def may_declare_conflicts(user: Any, network: Network) -> bool:
    """The programme's staff, and its members (candidates included) for themselves."""
    if not user.is_authenticated:
        return False
    if runs_programme(user, network):
        return True
    from meute.members.models import Membership, MembershipStatus

    return Membership.objects.filter(network=network, leader__user=user).exclude(
        status=MembershipStatus.LEFT).exists()
