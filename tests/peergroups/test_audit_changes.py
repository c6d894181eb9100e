"""Peer-group services leave audit entries with the old and new values, in the programme's network."""

import pytest
from django.utils import timezone

from meute.core.audit import entries_for
from meute.members.models import Role
from meute.peergroups.meetings import check_record_attendance, check_update_meeting, check_write_minutes
from meute.peergroups.services import check_end_cycle, check_set_fee
from tests.factories import NetworkRoleFactory, peer_group

pytestmark = pytest.mark.django_db


def staff_of(group):
    return NetworkRoleFactory(network=group.network, role=Role.STAFF).user


def test_fee_change_logs_status_and_payment_date_before_and_after():
    """Recording a fee as paid logs due → paid and the payment date, in the programme's network."""
    group = peer_group(members=2)
    member = group.members.first()
    check_set_fee(member, "paid", acting_user=staff_of(group))
    entry = entries_for(member).get(action="peergroups.fee.updated")
    assert entry.changes["fee_status"] == ["due", "paid"] and entry.changes["fee_paid_on"][0] is None
    assert list(entry.networks.all()) == [group.network]


def test_meeting_update_logs_the_fields_that_changed():
    """Moving a meeting's place logs the old and new place only."""
    group = peer_group(members=2)
    meeting = group.meetings.filter(starts_at__gt=timezone.now()).first()
    check_update_meeting(meeting, acting_user=group.facilitator, starts_at=meeting.starts_at,
                         ends_at=meeting.ends_at, place="Salle B", visio_url="", speaker="")
    entry = entries_for(meeting).get(action="peergroups.meeting.updated")
    assert entry.changes == {"place": ["CCI", "Salle B"]}
    assert list(entry.networks.all()) == [group.network]


def test_attendance_and_minutes_log_old_and_new_values():
    """Attendance and minutes log, per member and for the text, what was there before and after."""
    group = peer_group(members=2)
    meeting = group.meetings.filter(ends_at__lt=timezone.now()).last()
    leader = group.members.first().leader
    check_record_attendance(meeting, {leader.pk: "present"}, acting_user=group.facilitator)
    check_record_attendance(meeting, {leader.pk: "excused"}, acting_user=group.facilitator)
    entries = entries_for(meeting).filter(action="peergroups.attendance.recorded").order_by("id")
    assert [e.changes for e in entries] == [{f"attendance of {leader.pk}": [None, "present"]},
                                            {f"attendance of {leader.pk}": ["present", "excused"]}]
    check_write_minutes(meeting, acting_user=group.facilitator, minutes="Trésorerie", actions=[])
    assert entries_for(meeting).get(action="peergroups.minutes.written").changes == {"minutes": ["", "Trésorerie"]}


def test_end_of_cycle_logs_the_group_and_each_membership():
    """Ending a cycle logs the group's flag and each member's membership becoming alumni."""
    group = peer_group(members=2)
    check_end_cycle(group, acting_user=staff_of(group))
    assert entries_for(group).get(action="peergroups.cycle.ended").changes == {"ended": [False, True]}
    membership = group.members.first().leader.memberships.get(network=group.network)
    assert entries_for(membership).get(action="members.membership.status_changed").changes["status"] == [
        "active", "alumni"]
