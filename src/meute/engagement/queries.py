"""Who may read which engagement light. No leaderboard: a member reads their own light, a
facilitator their group's, staff their networks' members; nobody else reads any."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from meute.core.permissions import is_site_admin, not_found
from meute.engagement import stored
from meute.engagement.lights import AMBER_LIGHT, GREEN_LIGHT, GREY, RED, Light
from meute.engagement.models import StoredLight
from meute.engagement.risk import missed_twice_leaders
from meute.members.models import Leader, Membership, MembershipStatus, Network
from meute.members.permissions import can_manage_network
from meute.peergroups import permissions as group_permissions
from meute.peergroups.models import GroupMemberStatus, PeerGroup

COLOURS = (GREEN_LIGHT, AMBER_LIGHT, RED, GREY)


def my_lights(user: Any, memberships: list[Membership] | None = None) -> list[tuple[Network, Light]]:
    """The person's own light in each network where they are an active member. ``memberships``: the
    person's own memberships with their networks, when the caller has read them already."""
    if not user.is_authenticated:
        return []
    if memberships is None:
        memberships = list(Membership.objects.filter(leader__user=user).select_related("network")
                           .order_by("network__name"))
    memberships = [m for m in memberships if m.status == MembershipStatus.ACTIVE]
    lights = stored.lights_of((m.network_id, m.leader_id) for m in memberships)
    return [(m.network, lights[m.network_id, m.leader_id]) for m in memberships]


def list_group_lights(user: Any, group: PeerGroup) -> list[tuple[Leader, Light]]:
    """The lights of a group's active members, for its facilitator and the programme's staff."""
    if not group_permissions.can_lead_meetings(user, group):
        raise not_found()
    leaders = list(Leader.objects.filter(peer_groups__group=group, peer_groups__status=GroupMemberStatus.ACTIVE)
                   .select_related("user").order_by("sort_name"))
    lights = stored.lights_of((group.network_id, x.pk) for x in leaders)
    return [(x, lights[group.network_id, x.pk]) for x in leaders]


@dataclass(frozen=True)
class AtRisk:
    leader: Leader
    light: Light
    missed_twice: bool


@dataclass(frozen=True)
class NetworkEngagement:
    counts: dict[str, int]  # colour -> active members
    at_risk: list[AtRisk]  # the first ones, lowest rate first
    at_risk_total: int


def _require_staff(user: Any, network: Network) -> None:
    if not (is_site_admin(user) or can_manage_network(user, network)):
        raise not_found()


def network_engagement(user: Any, network: Network, *, at_risk_limit: int = 50,
                       active: int | None = None) -> NetworkEngagement:
    """Lights of a network's active members by colour, and who is at risk (red, or two meetings
    missed in a row): for the network's staff only. Read from the stored lights (:mod:`.stored`,
    active members only), recomputed first where they have expired. ``active``: the number of
    active members, when the caller has counted them already."""
    _require_staff(user, network)
    stored.fresh(network.pk)
    rows = StoredLight.objects.filter(network=network)
    counts = dict.fromkeys(COLOURS, 0)
    counts.update(rows.exclude(colour=GREY).values_list("colour").annotate(n=Count("pk")).order_by())
    if active is None:
        active = Membership.objects.filter(network=network, status=MembershipStatus.ACTIVE).count()
    counts[GREY] = active - sum(counts[c] for c in (GREEN_LIGHT, AMBER_LIGHT, RED))
    missed = set(missed_twice_leaders(network.pk).values_list("leader_id", flat=True))
    risky = rows.filter(Q(colour=RED) | Q(leader_id__among=sorted(missed)))
    # Lowest rate first (round half up; nothing expected sorts last), then by name: sorted and cut in SQL.
    rate = Case(When(expected=0, then=Value(101)),
                default=(200 * F("attended") + F("expected")) / (2 * F("expected")), output_field=IntegerField())
    shown = list(risky.annotate(rate=rate).order_by("rate", "leader__sort_name", "leader_id")
                 .values_list("leader_id", flat=True)[:at_risk_limit])
    found = {x.leader_id: x for x in rows.filter(leader_id__among=shown)
             .select_related("leader__user", "leader__company")}
    at_risk = [AtRisk(found[pk].leader, stored.as_light(found[pk]), pk in missed) for pk in shown]
    return NetworkEngagement(counts, at_risk, len(shown) if len(shown) < at_risk_limit else risky.count())


def access_risk_signal(user: Any, signal_id: int) -> Any:
    """A member-at-risk signal, for the group's facilitator (or the programme's staff), or for the
    network's staff when the member belongs to no running group."""
    from meute.engagement.models import RiskSignal

    row = RiskSignal.objects.select_related("group__network", "network", "leader__user").filter(pk=signal_id).first()
    if row is None:
        raise not_found()
    if row.group is not None and group_permissions.can_lead_meetings(user, row.group):
        return row
    _require_staff(user, row.network)
    return row
