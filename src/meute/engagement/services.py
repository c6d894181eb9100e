"""The daily engagement check (``meute engagement-check``): remember and signal members at risk.

For every network with active members, under the network's row lock (two checks at once
signal each occurrence once):

* a member who missed their group's last two meetings without excuse gets one
  ``missed_twice`` signal per pair of meetings (``occurrence = meeting:<id of the second>``);
* a member whose light is red gets one ``red`` signal per red episode; the episode closes
  (``resolved_at``) when the light leaves red, so turning red again signals again;
* the network's stored lights (:mod:`meute.engagement.stored`) are rebuilt.

Each new :class:`RiskSignal` is audited and :data:`meute.engagement.signals.member_at_risk`
is sent after the commit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from meute.core.audit import log_action
from meute.engagement import stored
from meute.engagement.lights import RED, compute_lights
from meute.engagement.models import RiskReason, RiskSignal
from meute.engagement.risk import missed_twice
from meute.engagement.signals import member_at_risk
from meute.members.models import Membership, MembershipStatus, Network
from meute.peergroups.models import GroupMember, GroupMemberStatus


@dataclass
class CheckReport:
    networks: int = 0
    signalled: int = 0
    resolved: int = 0


def _groups_of(network_id: int, leader_ids: set[int]) -> dict[int, int]:
    rows = GroupMember.objects.filter(group__network_id=network_id, group__ended=False, leader_id__in=leader_ids,
                                      status=GroupMemberStatus.ACTIVE).values_list("leader_id", "group_id")
    return dict(rows)


def _signal(network: Network, leader_id: int, group_id: int | None, reason: str, occurrence: str) -> RiskSignal:
    row = RiskSignal.objects.create(leader_id=leader_id, network=network, group_id=group_id, reason=reason,
                                    occurrence=occurrence)
    log_action("engagement.risk.signalled", actor=None, obj=network,
               data={"leader": leader_id, "group": group_id, "reason": reason, "occurrence": occurrence})

    def send() -> None:
        member_at_risk.send(sender=RiskSignal, leader=row.leader, network=network, group=row.group, reason=reason,
                            signal_id=row.pk)
    transaction.on_commit(send)
    return row


@transaction.atomic
def do_check_network(network_id: int, *, now: datetime.datetime | None = None) -> CheckReport:
    now = now or timezone.now()
    network = Network.objects.select_for_update().get(pk=network_id)
    report = CheckReport(networks=1)
    lights = compute_lights(network.pk, now=now)  # active members only
    red = {leader_id for leader_id, light in lights.items() if light.colour == RED}
    missed = [m for m in missed_twice(network.pk, now) if m.leader_id in lights]
    groups = _groups_of(network.pk, red | {m.leader_id for m in missed})
    for m in missed:
        occurrence = f"meeting:{m.last_meeting_id}"
        if not RiskSignal.objects.filter(leader_id=m.leader_id, network=network, reason=RiskReason.MISSED_TWICE,
                                         occurrence=occurrence).exists():
            _signal(network, m.leader_id, m.group_id, RiskReason.MISSED_TWICE, occurrence)
            report.signalled += 1
    open_red = set(RiskSignal.objects.filter(network=network, reason=RiskReason.RED, resolved_at__isnull=True)
                   .values_list("leader_id", flat=True))
    for leader_id in sorted(red - open_red):
        _signal(network, leader_id, groups.get(leader_id), RiskReason.RED, f"red:{now.isoformat()}")
        report.signalled += 1
    gone = open_red - red
    if gone:
        report.resolved = RiskSignal.objects.filter(network=network, reason=RiskReason.RED, resolved_at__isnull=True,
                                                    leader_id__in=gone).update(resolved_at=now)
        log_action("engagement.risk.resolved", actor=None, obj=network, data={"leaders": sorted(gone)})
    return report


def do_check_engagement(*, now: datetime.datetime | None = None) -> CheckReport:
    """Check every network with active members; one transaction (and one lock) per network. Each
    network's stored lights are rebuilt too (at the real time, whatever ``now`` says)."""
    total = CheckReport()
    ids = (Membership.objects.filter(status=MembershipStatus.ACTIVE).values_list("network_id", flat=True)
           .distinct().order_by("network_id"))
    for network_id in list(ids):
        report = do_check_network(network_id, now=now)
        stored.rebuild(network_id)
        total.networks += 1
        total.signalled += report.signalled
        total.resolved += report.resolved
    return total
