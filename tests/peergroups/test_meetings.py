import datetime

import pytest
from django.utils import timezone

from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.meetings import (
    check_order_agenda,
    check_propose_topic,
    check_record_attendance,
    check_update_meeting,
    check_vote,
    check_write_minutes,
    monthly_dates,
)
from meute.peergroups.models import Attendance
from meute.peergroups.queries import agenda
from tests.factories import UserFactory, peer_group

pytestmark = pytest.mark.django_db


def upcoming(group):
    return group.meetings.filter(starts_at__gt=timezone.now()).first()


def past(group):
    return group.meetings.filter(ends_at__lt=timezone.now()).last()


def a_member(group):
    return group.members.first().leader.user


def test_monthly_series_falls_on_first_tuesdays():
    """The series of a cycle falls on the first Tuesday of every month."""
    dates = monthly_dates(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    assert [d.isoformat() for d in dates] == ["2026-01-06", "2026-02-03", "2026-03-03", "2026-04-07",
                                              "2026-05-05", "2026-06-02"]


def test_member_proposes_and_votes_once():
    """A member's topic gets their vote once; a second vote is refused."""
    group = peer_group()
    user = a_member(group)
    topic = check_propose_topic(upcoming(group), acting_user=user, title="Trésorerie")
    check_vote(topic, acting_user=user)
    with pytest.raises(PeerGroupError, match="already voted"):
        check_vote(topic, acting_user=user)
    assert topic.votes.count() == 1


def test_outsider_cannot_propose_a_topic():
    """Someone outside the group cannot add to its agenda."""
    group = peer_group()
    with pytest.raises(PeerGroupError):
        check_propose_topic(upcoming(group), acting_user=UserFactory(), title="x")


def test_agenda_puts_the_urgent_topic_first():
    """The facilitator's urgent topic comes first, then their order."""
    group = peer_group()
    meeting = upcoming(group)
    a, b, c = (check_propose_topic(meeting, acting_user=a_member(group), title=t) for t in "abc")
    check_order_agenda(meeting, [a.pk, b.pk, c.pk], acting_user=group.facilitator, urgent=c.pk)
    assert [t.title for t in agenda(meeting)] == ["c", "a", "b"]


def test_only_the_facilitator_orders_the_agenda():
    """A member cannot reorder the agenda."""
    group = peer_group()
    meeting = upcoming(group)
    topic = check_propose_topic(meeting, acting_user=a_member(group), title="a")
    with pytest.raises(PeerGroupError):
        check_order_agenda(meeting, [topic.pk], acting_user=a_member(group))


def test_attendance_is_recorded_for_members():
    """The facilitator records present, excused and absent."""
    group = peer_group(members=3)
    meeting = past(group)
    ids = list(group.members.values_list("leader_id", flat=True))
    check_record_attendance(meeting, dict(zip(ids, ["present", "excused", "absent"], strict=True)),
                            acting_user=group.facilitator)
    assert sorted(Attendance.objects.filter(meeting=meeting).values_list("status", flat=True)) == [
        "absent", "excused", "present"]


def test_attendance_for_a_stranger_is_refused():
    """Attendance cannot name someone outside the group."""
    group = peer_group()
    other = peer_group(network=group.network, name="autre")
    with pytest.raises(PeerGroupError):
        check_record_attendance(past(group), {other.members.first().leader_id: "present"},
                                acting_user=group.facilitator)


def test_minutes_before_the_meeting_are_refused():
    """Minutes cannot be written for a meeting that has not happened."""
    group = peer_group()
    with pytest.raises(PeerGroupError, match="taken place"):
        check_write_minutes(upcoming(group), acting_user=group.facilitator, minutes="x", actions=[])


def test_minutes_and_action_items_are_saved():
    """After a meeting the facilitator writes minutes and an action item for a member."""
    group = peer_group()
    meeting = past(group)
    owner = group.members.first().leader_id
    check_write_minutes(meeting, acting_user=group.facilitator, minutes="Tour de table", actions=[
        ("Appeler l'avocat", owner, None)])
    assert (meeting.minutes, meeting.action_items.get().owner_id) == ("Tour de table", owner)


def test_meeting_cannot_be_moved_into_the_past():
    """Moving a meeting to a past date is refused."""
    group = peer_group()
    meeting = upcoming(group)
    earlier = timezone.now() - datetime.timedelta(days=2)
    with pytest.raises(PeerGroupError, match="past"):
        check_update_meeting(meeting, acting_user=group.facilitator, starts_at=earlier,
                             ends_at=earlier + datetime.timedelta(hours=3), place="", visio_url="", speaker="")


def test_facilitator_reorders_the_agenda_from_the_page(client):
    """Positions typed by the facilitator set the agenda's order."""
    from django.urls import reverse

    group = peer_group()
    meeting = upcoming(group)
    a, b = (check_propose_topic(meeting, acting_user=a_member(group), title=t) for t in "ab")
    client.force_login(group.facilitator)
    client.post(reverse("web:meeting_action", args=[meeting.pk]), {"action": "order", f"pos_{a.pk}": "2",
                                                                  f"pos_{b.pk}": "1"})
    assert [t.title for t in agenda(meeting)] == ["b", "a"]


def test_alumni_are_shown_networks_to_continue_with(client):
    """After the cycle ends, members become alumni and the group page lists local networks to join."""
    from django.urls import reverse

    from meute.members.models import Membership
    from meute.peergroups.services import check_end_cycle
    from meute.territory.models import Department
    from tests.factories import NetworkFactory, NetworkRoleFactory

    group = peer_group()
    club = NetworkFactory(name="Club des entreprises de Poitiers", family="geographic")
    club.departments.set([Department.objects.get(pk="86")])
    check_end_cycle(group, acting_user=NetworkRoleFactory(network=group.network).user)
    member = group.members.first()
    client.force_login(member.leader.user)
    page = client.get(reverse("web:group", args=[group.pk])).content.decode()
    membership = Membership.objects.get(leader=member.leader, network=group.network)
    assert club.name in page and membership.status == "alumni"


def test_attendance_export_is_for_the_facilitator_not_the_members(client):
    """The facilitator downloads the group's attendance; a member of the group gets a 404."""
    from django.urls import reverse

    group = peer_group(members=2)
    ids = list(group.members.values_list("leader_id", flat=True))
    check_record_attendance(past(group), dict.fromkeys(ids, "present"), acting_user=group.facilitator)
    url = reverse("web:group_attendance_export", args=[group.pk])
    client.force_login(group.facilitator)
    csv_text = client.get(url).content.decode()
    client.force_login(a_member(group))
    assert csv_text.count("\n") == 3 and client.get(url).status_code == 404


def test_attendance_for_a_meeting_not_started_is_refused():
    """Attendance for a future meeting is refused with the date, and nothing is recorded."""
    group = peer_group(members=2)
    meeting = upcoming(group)
    with pytest.raises(PeerGroupError, match="has not started"):
        check_record_attendance(meeting, {group.members.first().leader_id: "present"}, acting_user=group.facilitator)
    assert not Attendance.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize(("extra", "named"), [({"due_on": "9999-12-31", "task": "Relancer"}, "« Échéance »"),
                                              ({"owner": "999999", "task": "Relancer"}, "« Qui »")])
def test_refused_minutes_name_the_wrong_field_not_the_minutes(client, extra, named):
    """Minutes written with a wrong action item are refused with a message naming that item's field,
    not « Rédigez le compte rendu »; nothing is saved."""
    from django.urls import reverse

    group = peer_group()
    meeting = past(group)
    client.force_login(group.facilitator)
    response = client.post(reverse("web:meeting_action", args=[meeting.pk]),
                           {"action": "minutes", "minutes": "Trésorerie : tour de table.", **extra},
                           HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    shown = " ".join(str(m) for m in response.context["messages"])
    meeting.refresh_from_db()
    assert named in shown and "Rédigez le compte rendu" not in shown and meeting.minutes == ""
