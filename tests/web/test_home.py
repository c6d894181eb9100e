import datetime

import pytest
from django.utils import timezone

from meute.advisor.models import Introduction
from meute.events.models import FollowUp, Registration
from meute.peergroups.models import Topic
from tests.engagement.helpers import held
from tests.factories import EventFactory, MembershipFactory, NetworkRoleFactory, UserFactory, peer_group

pytestmark = pytest.mark.django_db


def upcoming(group):
    return group.meetings.filter(starts_at__gt=timezone.now()).first()


def test_a_members_home_lists_what_to_do(client):
    """A member's home shows the next meeting with its answer buttons, a topic to vote, an introduction, a follow-up."""
    group = peer_group()
    member = group.members.first().leader
    other = group.members.last().leader
    Topic.objects.create(meeting=upcoming(group), proposed_by=other.user, title="Recruter un alternant")
    Introduction.objects.create(requester=other, target=member)
    event = EventFactory(network=group.network, starts_at=timezone.now() - datetime.timedelta(days=3))
    FollowUp.objects.create(event=event, user=member.user, other=other.user, note="devis")
    client.force_login(member.user)
    page = client.get("/").content.decode()
    for piece in ('id="next-meetings"', 'value="coming"', "Recruter un alternant", 'id="introductions-to-answer"',
                  'id="follow-ups"', 'id="my-engagement"'):
        assert piece in page, piece
    assert 'id="cockpit"' not in page and 'id="leader-home"' not in page


def test_a_facilitators_home_lists_meetings_to_close(client):
    """The facilitator sees the group's next meeting, attendance to record and minutes to write."""
    group = peer_group()
    client.force_login(group.facilitator)
    page = client.get("/").content.decode()
    assert group.name in page and 'id="attendance-to-record"' in page and 'id="minutes-to-write"' in page
    assert 'id="cockpit"' not in page


def test_a_sponsor_is_not_asked_to_close_the_facilitators_meetings(client):
    """Attendance and minutes are the facilitator's: the group's sponsor is not asked for them."""
    group = peer_group()
    client.force_login(group.sponsors.first())
    page = client.get("/").content.decode()
    assert group.name in page
    assert 'id="attendance-to-record"' not in page and 'id="minutes-to-write"' not in page


def test_a_sponsor_sees_the_group_but_not_the_lights(client):
    """A sponsor's home names the group and its next meeting, without the members' lights."""
    group = peer_group()
    client.force_login(group.sponsors.first())
    page = client.get("/").content.decode()
    assert group.name in page and "group-lights" not in page and 'id="attendance-to-record"' not in page


def test_staff_see_their_network_cockpit_only(client):
    """Staff see their network's figures and at-risk list; another network's staff cannot open it by slug."""
    group = peer_group()
    leaders = [m.leader for m in group.members.all()]
    held(group, 20, {leaders[0]: "absent", leaders[1]: "present"})
    held(group, 50, {leaders[0]: "absent", leaders[1]: "present"})
    staff = NetworkRoleFactory(network=group.network).user
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert 'id="cockpit"' in page and "<svg" in page and leaders[0].full_name in page
    assert 'id="chart-attendance-groups"' in page
    outsider = NetworkRoleFactory().user
    client.force_login(outsider)
    page = client.get("/").content.decode()
    assert leaders[0].full_name not in page and group.network.name not in page
    assert client.get(f"/?network={group.network.slug}").status_code == 404


def test_a_figure_downloads_as_csv_for_staff_only(client):
    """A chart's numbers download as CSV for the network's staff; others get 404."""
    member = MembershipFactory(status="candidate")
    staff = NetworkRoleFactory(network=member.network).user
    client.force_login(staff)
    response = client.get(f"/cockpit/{member.network.slug}/candidates-zone.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "86" in response.content.decode()
    for user in (member.leader.user, UserFactory(), NetworkRoleFactory().user):
        client.force_login(user)
        assert client.get(f"/cockpit/{member.network.slug}/candidates-zone.csv").status_code == 404
    client.force_login(staff)
    assert client.get(f"/cockpit/{member.network.slug}/unknown.csv").status_code == 404


def test_event_fill_counts_confirmed_and_waiting():
    """The event-fill figure gives the confirmed seats, the capacity and the waiting list from the database."""
    from meute.cockpit.figures import event_fill

    event = EventFactory(capacity=2)
    for seq, status in enumerate(["confirmed", "confirmed", "waiting", "cancelled"], start=1):
        Registration.objects.create(event=event, user=UserFactory(), status=status, seq=seq)
    figure = event_fill(event.network)
    assert figure.rows[0][1] == (2, 2, 1)
    assert figure.csv_rows()[0][figure.series[2]] == "1"


def test_attendance_per_group_keeps_groups_of_the_same_name_apart():
    """Two groups named alike get a bar each, with their own rate."""
    from meute.cockpit.figures import attendance_per_group

    first = peer_group(members=1, name="Groupe")
    second = peer_group(members=1, name="Groupe", network=first.network)
    held(first, 10, {first.members.get().leader: "present"})
    held(second, 10, {second.members.get().leader: "absent"})
    assert sorted(values for _label, values in attendance_per_group(first.network).rows) == [(0,), (100,)]


def test_many_groups_chart_the_lowest_and_export_them_all(monkeypatch):
    """Beyond the limit, the chart shows the lowest attendance rates and the CSV holds every group."""
    from meute.cockpit import figures

    monkeypatch.setattr(figures, "GROUPS_SHOWN", 2)
    first = peer_group(members=1, name="A")
    for name, status in (("B", "absent"), ("C", "present")):
        group = peer_group(members=1, name=name, network=first.network)
        held(group, 10, {group.members.get().leader: status})
    held(first, 10, {first.members.get().leader: "absent"})
    figure = figures.attendance_per_group(first.network)
    assert [label for label, _v in figure.shown] == ["A", "B"] and len(figure.csv_rows()) == 3


def test_members_by_month_counts_the_last_twelve_months_only():
    """Two joined this month, one eleven months ago, one two years ago (not shown): the columns say 2 and 1."""
    from meute.cockpit.figures import members_by_month

    today = timezone.localdate()
    first = MembershipFactory(joined_on=today)
    network = first.network
    MembershipFactory(network=network, joined_on=today.replace(day=1))
    eleven = today.replace(day=1) - datetime.timedelta(days=320)
    MembershipFactory(network=network, joined_on=eleven)
    MembershipFactory(network=network, joined_on=today - datetime.timedelta(days=730))
    values = [v[0] for _label, v in members_by_month(network).rows]
    assert (len(values), values[-1], sum(values)) == (12, 2, 3)


def test_members_by_status_and_fees_add_up_the_memberships():
    """Status and fee figures count each membership once, whatever its month of joining."""
    from meute.cockpit.figures import fees, members_by_status

    first = MembershipFactory(status="active", fee_status="paid", joined_on=None)
    network = first.network
    MembershipFactory(network=network, status="active", fee_status="due", joined_on=timezone.localdate())
    MembershipFactory(network=network, status="candidate", fee_status="due")
    by_status = dict(members_by_status(network).rows)
    by_fee = dict(fees(network).rows)
    assert (sum(v[0] for v in by_status.values()), sum(v[0] for v in by_fee.values())) == (3, 2)


def test_a_home_does_not_link_to_an_event_its_person_may_no_longer_see(client):
    """Someone who left a network keeps their registration to its members-only event, but their
    home does not list it: its page would answer « not found »."""
    from meute.members.models import MembershipStatus

    event = EventFactory(audience="members", title="Soirée des adhérents")
    membership = MembershipFactory(network=event.network)
    Registration.objects.create(event=event, user=membership.leader.user, seq=1, status="confirmed")
    membership.status = MembershipStatus.LEFT
    membership.save()
    client.force_login(membership.leader.user)
    assert "Soirée des adhérents" not in client.get("/").content.decode()


def test_a_home_lists_a_members_event_registration(client):
    """A member registered to their network's members-only event sees it on their home."""
    event = EventFactory(audience="members", title="Soirée des adhérents")
    membership = MembershipFactory(network=event.network)
    Registration.objects.create(event=event, user=membership.leader.user, seq=1, status="confirmed")
    client.force_login(membership.leader.user)
    assert "Soirée des adhérents" in client.get("/").content.decode()
