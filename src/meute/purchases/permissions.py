"""Who may see and act on a pooled purchase: the rules, in one place.

* The staff of the organising network (and the site administrator) manage a campaign.
* The staff of a network taking part see the campaign and the lines of their network's companies.
* Active members of a network taking part see the campaign, the supplier's offer and commit for
  their own company; nobody else learns that the campaign exists.
"""

from __future__ import annotations

from typing import Any

from meute.core.permissions import is_site_admin
from meute.members.permissions import member_network_ids, staff_network_ids
from meute.purchases.models import Campaign


def point_network_ids(campaign: Campaign) -> frozenset[int]:
    cached = getattr(campaign, "_point_network_ids", None)
    if cached is None:
        cached = frozenset(campaign.points.values_list("network_id", flat=True))
        campaign._point_network_ids = cached
    return cached


def can_manage_campaign(user: Any, campaign: Campaign) -> bool:
    return is_site_admin(user) or campaign.network_id in staff_network_ids(user)


def staff_point_ids(user: Any, campaign: Campaign) -> frozenset[int]:
    """The networks of the campaign whose companies' lines ``user`` may follow as staff."""
    if can_manage_campaign(user, campaign):
        return point_network_ids(campaign)
    return point_network_ids(campaign) & staff_network_ids(user)


def member_point_ids(user: Any, campaign: Campaign) -> frozenset[int]:
    """The networks of the campaign where ``user`` is an active member (where they may collect)."""
    return point_network_ids(campaign) & member_network_ids(user)


def can_see_campaign(user: Any, campaign: Campaign) -> bool:
    return bool(can_manage_campaign(user, campaign) or staff_point_ids(user, campaign)
                or member_point_ids(user, campaign))
