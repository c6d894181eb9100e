"""Who may see what of a referral or a one-to-one: the rules, in one place.

* A referral is seen by its giver and its receiver only; nobody else learns it exists (staff,
  the site administrator and other members included).
* Its amount is the receiver's: the giver sees it only when the receiver shares it.
* A network's (and its groups') figures are sums, for the network's staff and the site
  administrator; a member sees their own figures.
* A one-to-one is seen by its two members.
"""

from __future__ import annotations

from typing import Any

from meute.core.permissions import is_site_admin
from meute.members.models import Leader, Network
from meute.members.permissions import staff_network_ids
from meute.referrals.models import OneToOne, Referral


def leader_of(user: Any) -> Leader | None:
    """The acting person's leader profile (memoised on the user object), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    leader = user.__dict__.get("_referrals_leader")
    if leader is None:
        leader = Leader.objects.select_related("company").filter(user_id=user.pk, anonymised_at__isnull=True).first()
        if leader is not None:
            user.__dict__["_referrals_leader"] = leader
    return leader


def side(user: Any, referral: Referral) -> str | None:
    """``"giver"``, ``"receiver"`` or None: the acting person's part in the referral."""
    leader = leader_of(user)
    if leader is None:
        return None
    if referral.receiver_id == leader.pk:
        return "receiver"
    if referral.giver_id == leader.pk:
        return "giver"
    return None


def can_see_referral(user: Any, referral: Referral) -> bool:
    return side(user, referral) is not None


def can_see_amount(user: Any, referral: Referral) -> bool:
    part = side(user, referral)
    return part == "receiver" or (part == "giver" and referral.amount_shared)


def can_see_network_figures(user: Any, network: Network) -> bool:
    return is_site_admin(user) or network.pk in staff_network_ids(user)


def can_see_one_to_one(user: Any, one_to_one: OneToOne) -> bool:
    leader = leader_of(user)
    return leader is not None and leader.pk in (one_to_one.requester_id, one_to_one.other_id)
